"""The stored consensus: summaries per clause and group, pending changes, opinion groups."""

from django.db import models
from django.utils.translation import pgettext_lazy

from definition.models import Clause, Draft, StakeholderGroup


class Level(models.TextChoices):
    """The consensus levels of PRODUCT.md §4, first rule that matches (`consensus.math`)."""

    BLOCKED = "blocked", pgettext_lazy("consensus level", "blocked")
    INSUFFICIENT = "insufficient", pgettext_lazy("consensus level", "insufficient")
    STRONG = "strong", pgettext_lazy("consensus level", "strong")
    ROUGH = "rough", pgettext_lazy("consensus level", "rough")
    CONTESTED = "contested", pgettext_lazy("consensus level", "contested")
    OPPOSED = "opposed", pgettext_lazy("consensus level", "opposed")
    NONE = "none", pgettext_lazy("consensus level", "no consensus")


class ClauseSummary(models.Model):
    """The stored consensus figures of one clause (PRODUCT.md §4), as computed by a job.

    Stale while it was never computed (`computed_version` < 0), while a `ClauseChange` of its clause
    waits to be counted, or while memberships were decided after it was computed.
    `computed_version` is the watermark: the newest change id the stored figures reflect.
    """

    clause = models.OneToOneField(Clause, on_delete=models.CASCADE, related_name="summary")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="summaries")
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.INSUFFICIENT)
    balanced_approval = models.FloatField(null=True)
    pooled_approval = models.FloatField(null=True)
    bridging = models.FloatField(null=True)
    floor = models.FloatField(null=True)
    weakest_group = models.CharField(max_length=50, null=True)
    divergence = models.FloatField(null=True)
    enthusiasm = models.FloatField(default=0.0)
    sustained_blocks = models.PositiveIntegerField(default=0)
    open_objections = models.PositiveIntegerField(default=0)
    quorate_groups = models.PositiveSmallIntegerField(default=0)
    computed_version = models.BigIntegerField(default=-1)
    membership_version = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["draft", "level"])]

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.level}"

    @property
    def stale(self) -> bool:
        """Votes changed, or (open draft) memberships were decided, since the figures were computed.

        Reads `draft.definition`: select it along with the summary, and annotate
        `pending_changes` (see `with_pending_changes`) to spare a query per summary."""
        pending = getattr(self, "pending_changes", None)
        if pending is None:
            pending = ClauseChange.objects.filter(clause_id=self.clause_id).exists()
        return self.computed_version < 0 or pending or self.membership_version < self._members_at()

    def _members_at(self) -> int:
        """The membership version the figures must have counted: now for the open draft; for a
        closed one, its close (recompute.counted_members): later decisions never stale it."""
        draft = self.draft
        if draft.members_at_close is not None:
            return draft.members_at_close.get("version", 0)
        return draft.definition.membership_version if draft.status == draft.Status.OPEN else 0


class ClauseChange(models.Model):
    """A change to what a clause's summary counts: a vote cast, changed or retracted, an objection
    answered. Appended by the writing transaction; deleted by the recompute that counted it.

    Writers only ever insert their own rows, so concurrent votes share no row (no hot row, no lock
    queue); a change committed after a recompute read the pending ones stays, and keeps the
    summary stale until the next recompute counts it. The id (a sequence) is the watermark."""

    id = models.BigAutoField(primary_key=True)
    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"change {self.pk} of clause {self.clause_id}"


def with_pending_changes(summaries):
    """Annotate a ClauseSummary queryset with `pending_changes` (one EXISTS per row, same query)."""
    return summaries.annotate(pending_changes=models.Exists(
        ClauseChange.objects.filter(clause_id=models.OuterRef("clause_id"))))


class GroupSummary(models.Model):
    """Per-group figures of a clause summary."""

    summary = models.ForeignKey(ClauseSummary, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="+")
    support = models.PositiveIntegerField(default=0)
    accept = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    oppose = models.PositiveIntegerField(default=0)
    block = models.PositiveIntegerField(default=0)
    decisive = models.PositiveIntegerField(default=0)
    approval = models.FloatField()
    wilson_low = models.FloatField()
    wilson_high = models.FloatField()
    quorate = models.BooleanField(default=False)
    participation = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["summary", "group"], name="one_group_row_per_summary"),
        ]


class OpinionAnalysis(models.Model):
    """The latest latent opinion-group analysis of a draft (PRODUCT.md §4), stored as computed."""

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="opinion_analysis")
    result = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    votes_seen = models.PositiveIntegerField(default=0)
