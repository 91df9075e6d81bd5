"""Votes, comments, dispositions and the stored consensus summaries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from definition.models import Clause, Draft, Membership, StakeholderGroup


class Position(models.TextChoices):
    SUPPORT = "support"
    ACCEPT = "accept"
    ABSTAIN = "abstain"
    OPPOSE = "oppose"
    BLOCK = "block"


APPROVING = (Position.SUPPORT, Position.ACCEPT)
DISAPPROVING = (Position.OPPOSE, Position.BLOCK)


class Vote(models.Model):
    """A member's current position on a clause. Retracting deletes the row; history keeps it."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="votes")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="votes")
    position = models.CharField(max_length=10, choices=Position.choices)
    rationale = models.TextField(blank=True, max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["clause", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "voter"], name="one_vote_per_member_clause"),
            models.CheckConstraint(
                condition=Q(position__in=[p.value for p in Position]), name="vote_position_valid"
            ),
            models.CheckConstraint(
                condition=~Q(position__in=["oppose", "block"]) | ~Q(rationale=""),
                name="objection_needs_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter} {self.position} {self.clause}"


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment"
        QUESTION = "question"
        SUGGESTION = "suggestion"
        OBJECTION = "objection"

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(max_length=20000)
    quote = models.TextField(blank=True, max_length=5000)
    proposed_text = models.TextField(blank=True, max_length=20000)
    # The vote whose rationale this objection is; kept when the vote is retracted (history).
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.SET_NULL, related_name="objection"
    )
    author_verified = models.BooleanField(default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True, max_length=2000)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="suggestion") | Q(proposed_text=""),
                name="only_suggestions_propose_text",
            ),
            models.CheckConstraint(
                condition=~Q(kind="suggestion") | ~Q(proposed_text=""),
                name="suggestion_has_proposed_text",
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""), name="hidden_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} by {self.author}"

    @property
    def edited(self) -> bool:
        return self.edited_at is not None


class Endorsement(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_endorsement_per_user"),
        ]


class Flag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_flag_per_user"),
        ]


DISPOSITION_STATUSES = [
    "accepted", "partially-accepted", "declined", "deferred", "duplicate", "out-of-scope",
    "resolved", "overruled",
]


class Disposition(models.Model):
    """A facilitator's recorded answer to a top-level comment, suggestion or objection."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted"
        PARTIALLY_ACCEPTED = "partially-accepted"
        DECLINED = "declined"
        DEFERRED = "deferred"
        DUPLICATE = "duplicate"
        OUT_OF_SCOPE = "out-of-scope"
        RESOLVED = "resolved"
        OVERRULED = "overruled"

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="disposition")
    status = models.CharField(max_length=20, choices=Status.choices)
    response = models.TextField(max_length=10000)
    addressed_in = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    acknowledged_satisfied = models.BooleanField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True, max_length=5000)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DISPOSITION_STATUSES), name="disposition_status_valid"
            ),
            models.CheckConstraint(condition=~Q(response=""), name="disposition_needs_response"),
        ]

    def __str__(self) -> str:
        return f"{self.status} on {self.comment_id}"

    @property
    def ends_block(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.OVERRULED)


class ClauseSummary(models.Model):
    """The stored consensus figures of one clause (PRODUCT.md §4), as computed by a job.

    Stale while it was never computed (`computed_version` < 0), while a `ClauseChange` of its clause
    waits to be counted, or while memberships were decided after it was computed.
    `computed_version` is the watermark: the newest change id the stored figures reflect.
    """

    clause = models.OneToOneField(Clause, on_delete=models.CASCADE, related_name="summary")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="summaries")
    level = models.CharField(max_length=12, default="insufficient")
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
