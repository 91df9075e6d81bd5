"""Publishing safely: what the draft that closes leaves behind, and publishing with it.

Publishing a draft closes the open one. Before it does, the facilitators see what that draft
leaves behind — comments without disposition, sustained blocks, open appeals, clauses whose
consensus level fell against the draft before it — and confirm with a public reason, recorded in
the decision log. Publishing also resolves the dispositions "addressed in the next draft".
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from core.errors import Conflict
from core.validation import check_text
from definition.models import Draft, Event, Membership
from definition.services import log_event, publish_draft
from deliberation.discussion.services import resolve_next_draft
from deliberation.models import Appeal, ClauseSummary, Comment

# Higher is stronger consensus; `insufficient` says nothing and is never "fallen".
LEVEL_RANK = {"blocked": 0, "opposed": 1, "contested": 2, "none": 3, "rough": 4, "strong": 5}


@dataclass
class Leftovers:
    """What the open draft leaves behind when another is published (`closing` None: nothing
    is open)."""

    closing: Draft | None
    undisposed: int = 0
    sustained_blocks: int = 0
    open_appeals: int = 0
    fallen: list = field(default_factory=list)  # (key, heading, level before, level now)

    @property
    def any(self) -> bool:
        return bool(self.undisposed or self.sustained_blocks or self.open_appeals or self.fallen)

    def summary(self) -> str:
        """What is left, in words (the API's refusal says it)."""
        parts = [f"{self.undisposed} comment(s) without disposition" if self.undisposed else "",
                 f"{self.sustained_blocks} sustained block(s)" if self.sustained_blocks else "",
                 f"{self.open_appeals} open appeal(s)" if self.open_appeals else "",
                 f"{len(self.fallen)} clause(s) whose level fell ("
                 + ", ".join(key for key, *_ in self.fallen) + ")" if self.fallen else ""]
        return ", ".join(part for part in parts if part)

    def as_report(self) -> dict:
        """What is left, for the API: counts, and each fallen clause with its levels."""
        return {**self.as_data(), "fallen": [
            {"key": key, "heading": heading, "level_before": before, "level": now}
            for key, heading, before, now in self.fallen]}

    def as_data(self) -> dict:
        return {"closing": self.closing.version if self.closing else None,
                "undisposed": self.undisposed, "sustained_blocks": self.sustained_blocks,
                "open_appeals": self.open_appeals, "fallen": [key for key, *_ in self.fallen]}


def _levels(draft_id) -> dict[str, tuple[str, str]]:
    rows = (ClauseSummary.objects.filter(draft_id=draft_id)
            .values_list("clause__key", "clause__heading", "level"))
    return {key: (heading, level) for key, heading, level in rows}


def _fallen(closing: Draft) -> list[tuple]:
    if closing.based_on_id is None:
        return []
    before, now = _levels(closing.based_on_id), _levels(closing.pk)
    fallen = []
    for key, (heading, level) in now.items():
        old = before.get(key, ("", "insufficient"))[1]
        if level in LEVEL_RANK and old in LEVEL_RANK and LEVEL_RANK[level] < LEVEL_RANK[old]:
            fallen.append((key, heading, old, level))
    return sorted(fallen)


def get_leftovers(*, draft: Draft) -> Leftovers:
    """What publishing `draft` would leave behind in the draft open now (a fixed number of
    queries)."""
    closing = (Draft.objects.filter(definition=draft.definition_id, status=Draft.Status.OPEN)
               .exclude(pk=draft.pk).first())
    if closing is None:
        return Leftovers(closing=None)
    top = Comment.objects.filter(clause__draft=closing, parent=None)
    return Leftovers(
        closing=closing,
        undisposed=top.filter(hidden=False, disposition__isnull=True).count(),
        sustained_blocks=top.filter(kind=Comment.Kind.OBJECTION, vote__position="block",
                                    vote__membership__status=Membership.Status.VERIFIED)
        .exclude(disposition__status__in=("resolved", "overruled")).count(),
        open_appeals=Appeal.objects.filter(comment__clause__draft=closing,
                                           status=Appeal.Status.OPEN).count(),
        fallen=_fallen(closing))


@transaction.atomic
def publish_reviewed(*, actor, draft: Draft, closes_at: datetime, changelog: str | None = None,
                     confirmed: bool = False, reason: str = "") -> Draft:
    """Publish `draft`; when the draft that closes leaves anything behind, only with
    `confirmed` and a public `reason`, logged with what was left. The page and the API ask
    alike: a refusal names the field (`confirm`, then `reason`) and carries what is left
    (`leftovers`); nothing is written before both are given."""
    leftovers = get_leftovers(draft=draft)
    reason = check_text(reason or "", "reason", 5000).strip()
    if leftovers.any and not confirmed:
        raise Conflict(f"Draft {leftovers.closing.version} leaves open items "
                       f"({leftovers.summary()}): confirm to publish anyway.", field="confirm",
                       details={"leftovers": leftovers.as_report()})
    if leftovers.any and not reason:
        raise Conflict("Say publicly why you publish with open items.", field="reason",
                       details={"leftovers": leftovers.as_report()})
    published = publish_draft(actor=actor, draft=draft, closes_at=closes_at, changelog=changelog)
    if leftovers.any:
        log_event(definition=published.definition, draft=leftovers.closing,
                  kind=Event.Kind.PUBLISHED_WITH_OPEN_ITEMS, actor=actor, reason=reason,
                  summary=f"Draft {published.version} published; {leftovers.closing.version} "
                          f"closed with {leftovers.undisposed} comments without disposition, "
                          f"{leftovers.sustained_blocks} sustained blocks, "
                          f"{leftovers.open_appeals} open appeals",
                  data=leftovers.as_data())
    resolve_next_draft(actor=actor, draft=published)
    return published
