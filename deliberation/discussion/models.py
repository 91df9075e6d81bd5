"""Comments, endorsements, flags and dispositions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from definition.models import Clause, Draft, StakeholderGroup

from ..votes.models import Vote


class Comment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        QUESTION = "question", _("Question")
        SUGGESTION = "suggestion", _("Suggestion")
        OBJECTION = "objection", _("Objection")

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
    # Derived, kept by `discussion.grouping` (never by hand, never in history): the lead (oldest
    # member) of this comment's group of similar undisposed comments on its clause; NULL for a
    # lead, a comment alone, or one not grouped yet. No constraint: a lead that is gone still
    # keys its group until the next regrouping.
    similar_lead = models.ForeignKey("self", null=True, blank=True, on_delete=models.DO_NOTHING,
                                     db_constraint=False, db_index=False, related_name="+")

    # Derived, kept by database triggers (migration 0010), never by hand, never in history: the
    # stakeholder group the comment speaks for, its vote's, else its author's verified
    # membership's in the definition (NULL: neither). The desk counts and filters by it.
    group = models.ForeignKey(StakeholderGroup, null=True, blank=True, editable=False,
                              on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords(excluded_fields=["similar_lead", "group"])

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
        indexes = [
            # The pages' comment counts per clause: an index-only count of the visible ones.
            models.Index(fields=["clause"], condition=Q(hidden=False),
                         name="comment_visible_clause"),
            # A clause's threads, oldest first, a page at a time: read in index order.
            models.Index(fields=["clause", "created_at", "id"], condition=Q(parent=None),
                         name="comment_thread_order"),
            # The desk's queues: the visible top-level comments of a clause with what grouping,
            # sorting and the kind filter read, index-only (PostgreSQL; SQLite ignores INCLUDE).
            models.Index(fields=["clause", "created_at", "id"], include=["similar_lead", "kind"],
                         condition=Q(parent=None, hidden=False), name="comment_desk_queue"),
            # The desk's items, oldest first: leads and comments alone (`workspace.desk`).
            models.Index(fields=["clause", "created_at", "id"],
                         condition=Q(parent=None, hidden=False, similar_lead=None),
                         name="comment_desk_items"),
            # The members of a page's groups of similar comments, oldest first.
            models.Index(fields=["similar_lead", "created_at", "id"],
                         condition=Q(similar_lead__isnull=False), name="comment_similar_members"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} by {self.author}"

    @property
    def edited(self) -> bool:
        return self.edited_at is not None


class CommentGrouping(models.Model):
    """When the similar comments of a clause were last grouped (`discussion.grouping`), and the
    `stamp` of the comments grouped then (count, newest and sum of ids, newest edit of the
    undisposed visible top-level ones): a clause whose stamp differs now is due a regrouping."""

    clause = models.OneToOneField(Clause, on_delete=models.CASCADE, primary_key=True,
                                  related_name="comment_grouping")
    stamp = models.CharField(max_length=120)
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.stamp}"


class CommentCount(models.Model):
    """The desk's counts per clause as insert-only rows: the sum of a clause's rows is how many
    of its top-level comments are open (visible, without a disposition), open objections, open
    suggestions, hidden, and open items (open comments without a `similar_lead`: leads and
    comments alone), all of them and the objections' and suggestions' (a group is of one kind).
    Written by database triggers on comments and dispositions (migration 0008), so every path
    that changes them (a vote's objection, a disposition, a hide, a bulk load) counts, and no
    row is a hot spot; `discussion.counts.fold` sums a clause's rows into one.
    No constraint on the clause: its comments' deletion writes rows as the clause goes."""

    clause = models.ForeignKey(Clause, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+")
    comments = models.IntegerField(default=0)
    objections = models.IntegerField(default=0)
    suggestions = models.IntegerField(default=0)
    hidden = models.IntegerField(default=0)
    items = models.IntegerField(default=0)
    objection_items = models.IntegerField(default=0)
    suggestion_items = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.comments} open, {self.items} items"


class CommentItemCount(models.Model):
    """The desk's items (a lead and its members, or a comment alone) counted per stakeholder
    group, as insert-only rows: the sums of an item's rows per group are how many of its open
    comments speak for that group and their endorsements. Written by database triggers on
    comments, dispositions and endorsements (migration 0011), folded like `CommentCount`; the
    desk sorts the items by support from them (`workspace.desk`) instead of grouping the queue.
    `item` is the lead's id (no constraint: a lead may go while its rows are being folded)."""

    clause = models.ForeignKey(Clause, on_delete=models.DO_NOTHING, db_constraint=False,
                               related_name="+")
    item = models.ForeignKey("Comment", on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    kind = models.CharField(max_length=12)
    group = models.ForeignKey(StakeholderGroup, null=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    comments = models.IntegerField(default=0)
    endorsements = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.item_id}/{self.group_id}: {self.comments}, {self.endorsements}"


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
        ACCEPTED = "accepted", _("accepted")
        PARTIALLY_ACCEPTED = "partially-accepted", _("partially accepted")
        DECLINED = "declined", _("declined")
        DEFERRED = "deferred", _("deferred")
        DUPLICATE = "duplicate", _("duplicate")
        OUT_OF_SCOPE = "out-of-scope", _("out of scope")
        RESOLVED = "resolved", _("resolved")
        OVERRULED = "overruled", _("overruled")

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="disposition")
    status = models.CharField(max_length=20, choices=Status.choices)
    response = models.TextField(max_length=10000)
    addressed_in = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "Addressed in the next draft", said before that draft exists; publishing it resolves this
    # into `addressed_in`.
    addressed_in_next = models.BooleanField(default=False)
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
            models.CheckConstraint(condition=Q(addressed_in_next=False) | Q(addressed_in=None),
                                   name="disposition_addressed_in_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.status} on {self.comment_id}"

    @property
    def ends_block(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.OVERRULED)


class Appeal(models.Model):
    """A formal objection against a disposition (after the W3C process), by the author of the
    comment who was not satisfied with it. Public; queued for the admins, who decide it.

    The disposition appealed against is copied here, so the record survives when an upheld
    appeal reopens the comment (its disposition row goes; its history stays)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        UPHELD = "upheld", _("upheld")
        DENIED = "denied", _("denied")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="appeals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="appeals")
    reason = models.TextField(max_length=10000)
    disposition_status = models.CharField(max_length=20, choices=Disposition.Status.choices)
    disposition_response = models.TextField(max_length=10000)
    disposition_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    disposition_decided_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=10000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["comment"], condition=Q(status="open"),
                                    name="one_open_appeal_per_comment"),
            models.UniqueConstraint(fields=["comment", "disposition_decided_at"],
                                    name="one_appeal_per_disposition"),
            models.CheckConstraint(condition=Q(status__in=["open", "upheld", "denied"]),
                                   name="appeal_status_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="appeal_needs_reason"),
            models.CheckConstraint(condition=Q(status="open") | ~Q(decision_reason=""),
                                   name="appeal_decision_needs_reasons"),
        ]

    def __str__(self) -> str:
        return f"appeal #{self.pk} on {self.comment_id}: {self.status}"
