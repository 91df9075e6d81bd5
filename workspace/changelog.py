"""The changelog a facilitator starts from: what changed since the previous draft, and whose
suggestions it took. Markdown, meant to be edited before publishing."""

from django.db.models import Q

from definition import diffing
from definition.models import Clause, Draft, Membership
from definition.permissions import require_facilitator
from definition.selectors import list_clauses
from deliberation.models import Comment, Disposition

SECTIONS = (("added", "Added"), ("changed", "Changed"), ("renamed", "Renamed"),
            ("removed", "Removed"))
CREDITED = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)
LABEL_WORDS = 8


def _label(heading: str, body: str) -> str:
    """A clause named by its heading, else by its first words."""
    if heading.strip():
        return f"“{heading.strip()}”"
    words = body.split()
    more = "…" if len(words) > LABEL_WORDS else ""
    return f"“{' '.join(words[:LABEL_WORDS])}{more}”" if words else "(empty)"


def _line(change: diffing.ClauseChange, old_numbers: dict, new_numbers: dict) -> str:
    if change.status == "removed":
        label = _label(change.heading_old, change.old_text)
        return f"- {old_numbers[change.old_key]} {label} (`{change.old_key}`)"
    label = _label(change.heading_new, change.new_text)
    line = f"- {new_numbers[change.new_key]} {label} (`{change.new_key}`)"
    if change.status == "renamed":
        edited = (change.old_text, change.heading_old) != (change.new_text, change.heading_new)
        line += f", was `{change.old_key}`" + ("; text changed" if edited else "")
    return line


def _answered(draft: Draft):
    """Dispositions addressed in `draft`; while it is being edited, also those "addressed in the
    next draft" on the drafts before it, which its publication will resolve to it."""
    addressed = Q(addressed_in=draft)
    if draft.status == Draft.Status.EDITING:
        addressed |= Q(addressed_in_next=True,
                       comment__clause__draft__definition=draft.definition_id)
    return (Disposition.objects.filter(addressed, comment__hidden=False)
            .exclude(comment__clause__draft=draft)
            .select_related("comment__author", "comment__clause")
            .order_by("comment__clause__position", "comment__created_at", "comment_id"))


def _where(numbers: dict, key: str) -> str:
    return " ".join(filter(None, [numbers.get(key), f"`{key}`"]))


def _credits(answered: list, numbers: dict) -> list[str]:
    return [f"- {_where(numbers, d.comment.clause.key)}: suggestion #{d.comment.pk} {d.status}. "
            f"Suggested by @{d.comment.author.username}."
            for d in answered if d.comment.kind == Comment.Kind.SUGGESTION
            and d.status in CREDITED]


def _first_line(text: str, limit: int = 120) -> str:
    line = text.strip().split("\n")[0]
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _dispositions(answered: list, numbers: dict, see_voters: bool) -> list[str]:
    lines = []
    for d in answered:
        comment = d.comment
        if comment.kind == Comment.Kind.SUGGESTION and d.status in CREDITED:
            continue  # credited under "Suggestions taken"
        who = ("a member" if comment.kind == Comment.Kind.OBJECTION and not see_voters
               else f"@{comment.author.username}")
        lines.append(f"- {_where(numbers, comment.clause.key)}: {comment.kind} #{comment.pk} "
                     f"by {who}, {d.status}: {_first_line(d.response)}")
    return lines


def _open_blocks(draft: Draft, numbers: dict, see_voters: bool) -> list[str]:
    if draft.based_on_id is None:
        return []
    blocks = (Comment.objects.filter(clause__draft=draft.based_on_id, parent=None,
                                     kind=Comment.Kind.OBJECTION, vote__position="block",
                                     vote__membership__status=Membership.Status.VERIFIED)
              .exclude(disposition__status__in=("resolved", "overruled"))
              .select_related("author", "clause").order_by("clause__position", "created_at"))
    return [f"- {_where(numbers, b.clause.key)}: block #{b.pk} by "
            f"{f'@{b.author.username}' if see_voters else 'a member'} is still sustained."
            for b in blocks]


def generate_changelog(*, draft: Draft) -> str:
    """Markdown: added, changed, renamed and removed clauses against `based_on` (by number and
    heading or first words); then, each citing its clause, the accepted suggestions addressed in
    this draft (credited to their authors), the other dispositions it answers (with those
    "addressed in the next draft") and the blocks of `based_on` still sustained."""
    new = list_clauses(draft=draft)
    new_numbers = {c.key: c.number for c in new}
    parts = [f"## Changes in {draft.version}"]
    if draft.based_on_id is None:
        parts.append(f"First draft: {len(new)} clauses.")
    else:
        parts += _change_sections(draft.based_on, new, new_numbers)
    parts += _answers(draft, new_numbers)
    return "\n\n".join(parts) + "\n"


def _answers(draft: Draft, numbers: dict) -> list[str]:
    answered = list(_answered(draft))
    see_voters = draft.definition.votes_public
    parts = []
    for title, lines in (("Suggestions taken", _credits(answered, numbers)),
                         ("Comments answered", _dispositions(answered, numbers, see_voters)),
                         ("Blocks still open", _open_blocks(draft, numbers, see_voters))):
        if lines:
            parts += [f"### {title}", "\n".join(lines)]
    return parts


def _change_sections(based_on: Draft, new: list[Clause], new_numbers: dict) -> list[str]:
    old = list_clauses(draft=based_on)
    old_numbers = {c.key: c.number for c in old}
    changes = diffing.compare_clauses(old, new)
    parts = []
    for status, title in SECTIONS:
        lines = [_line(c, old_numbers, new_numbers) for c in changes if c.status == status]
        if lines:
            parts += [f"### {title}", "\n".join(lines)]
    if len(parts) == 0:
        parts.append(f"No clause changed since {based_on.version}.")
    else:
        parts.insert(0, f"Compared with {based_on.version}.")
    return parts


def access_changelog(*, actor, draft: Draft) -> str:
    """The generated changelog of a draft, for its facilitators."""
    require_facilitator(actor, draft.definition)
    return generate_changelog(draft=draft)
