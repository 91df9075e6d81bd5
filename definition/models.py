"""Definitions, their stakeholder groups and memberships, drafts, clauses and the decision log.

Groups and memberships live here rather than in `accounts` because they belong to a definition and
their decisions are written to the definition's decision log; this keeps imports flowing one way
(accounts <- definition <- deliberation).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from definition.titles import display_title

DEFAULT_GROUPS = (
    ("developers", "Developers", "People who build and ship AI systems and open source software."),
    ("lawyers", "Lawyers", "Legal practitioners and licensing experts."),
    ("legislators", "Legislators", "Legislators, regulators and policy makers."),
    ("companies", "Companies", "Companies that produce or deploy AI systems."),
)

THRESHOLD_DEFAULTS = {
    "strong_min_approval": 2 / 3,
    "strong_floor": 0.5,
    "rough_balanced": 0.6,
    "rough_min_approval": 0.5,
    "contested_divergence": 0.3,
    "opposed_balanced": 0.4,
}

# A BCP 47 language tag (`en`, `zh-hans`, `pt-BR`): the language the definition is written in.
language_validator = RegexValidator(
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "A language tag (BCP 47) such as en, fr, zh-hans or pt-BR.",
)

version_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,39}$",
    "A version is 1 to 40 letters, digits, dots, dashes or underscores, e.g. 0.0.9 or 1.0-RC1.",
)


class Definition(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=5000)
    # The language of the definition's text (clauses, and the comments on them): pages mark that
    # content with it whatever the interface language (WCAG 3.1.2).
    language = models.CharField(max_length=35, default="en", validators=[language_validator])
    quorum = models.PositiveSmallIntegerField(default=5)
    min_groups = models.PositiveSmallIntegerField(default=3)
    thresholds = models.JSONField(default=dict, blank=True)
    votes_public = models.BooleanField(default=True)
    comments_members_only = models.BooleanField(default=False)
    # PRODUCT.md §2: a section (a heading without body) is not voted on unless this says so.
    sections_votable = models.BooleanField(default=False)
    # Bumped whenever a membership is decided: consensus summaries computed before are stale
    # (participation and revoked votes change with it).
    membership_version = models.PositiveIntegerField(default=0)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_definitions", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[facilitators])

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def effective_thresholds(self) -> dict[str, float]:
        return {**THRESHOLD_DEFAULTS, **(self.thresholds or {})}


class StakeholderGroup(models.Model):
    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="groups")
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "slug"], name="group_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(
        StakeholderGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    affiliation = models.CharField(max_length=200, blank=True)
    conflict_of_interest = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "definition"],
                condition=~Q(status="rejected"),
                name="one_live_membership_per_definition",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "verified", "rejected", "revoked"]),
                name="membership_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.status})"


class Draft(models.Model):
    class Status(models.TextChoices):
        EDITING = "editing", _("editing")
        OPEN = "open", _("open for comments")
        CLOSED = "closed", _("closed")
        FINAL = "final", _("final")

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="drafts")
    version = models.CharField(max_length=40, validators=[version_validator])
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.EDITING)
    changelog = models.TextField(blank=True, max_length=50000)
    closes_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    # The members its figures count once it closed: {"verified": {group id: n}, "revoked":
    # [membership ids], "version": the definition's membership_version then}. A closed draft
    # takes no votes, so later membership decisions must not change (or stale) its figures; null
    # while it is open (count the members as they are now).
    members_at_close = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "version"], name="draft_version_unique"),
            models.UniqueConstraint(
                fields=["definition"],
                condition=Q(status="open"),
                name="one_open_draft_per_definition",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["editing", "open", "closed", "final"]),
                name="draft_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.slug} {self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.EDITING


class Clause(models.Model):
    """A unit of text. Its key is its identity across drafts; its text is frozen once published.

    A database trigger (migration 0002) refuses changes to the text of a clause, and new clauses,
    in a draft that has left `editing`.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="clauses")
    key = models.SlugField(max_length=80)
    heading = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, max_length=20000)
    kind = models.CharField(max_length=20, blank=True, default="paragraph")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    derived_from = models.JSONField(default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["draft", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="clause_key_unique_in_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.draft.version}:{self.key}"

    @property
    def is_section(self) -> bool:
        """A heading without body: shown as a heading, not voted on (PRODUCT.md §2)."""
        return not self.body.strip()

    @property
    def display_title(self) -> str:
        """What people read instead of the key: the heading, else the body's first words."""
        return display_title(self.heading, self.body) or self.key


class Change(models.TextChoices):
    """What happened to a clause key between two drafts (`diffing.compare_drafts`)."""

    ADDED = "added", _("added")
    REMOVED = "removed", _("removed")
    CHANGED = "changed", _("changed")
    UNCHANGED = "unchanged", _("unchanged")
    RENAMED = "renamed", _("renamed")


class Event(models.Model):
    """An entry of a definition's public decision log."""

    class Kind(models.TextChoices):
        DEFINITION_CREATED = "definition-created", _("definition created")
        FACILITATOR_ADDED = "facilitator-added", _("facilitator named")
        FACILITATOR_REMOVED = "facilitator-removed", _("facilitator removed")
        SETTINGS_CHANGED = "settings-changed", _("settings changed")
        DRAFT_CREATED = "draft-created", _("draft created")
        DRAFT_PUBLISHED = "draft-published", _("draft published")
        DRAFT_CLOSED = "draft-closed", _("draft closed")
        DRAFT_FINALIZED = "draft-finalized", _("draft finalized")
        MEMBER_VERIFIED = "member-verified", _("member verified")
        MEMBER_REJECTED = "member-rejected", _("application rejected")
        MEMBER_REVOKED = "member-revoked", _("membership revoked")
        DISPOSITION = "disposition", _("disposition")
        BLOCK_OVERRULED = "block-overruled", _("block overruled")
        COMMENT_HIDDEN = "comment-hidden", _("comment hidden")
        COMMENT_RESTORED = "comment-restored", _("comment restored")
        FLAGS_RESOLVED = "flags-resolved", _("flags dismissed")
        APPEAL_FILED = "appeal-filed", _("appeal filed")
        APPEAL_ANSWERED = "appeal-answered", _("appeal answered")
        APPEAL_DECIDED = "appeal-decided", _("appeal decided")
        PUBLISHED_WITH_OPEN_ITEMS = "published-with-open-items", _("published with open items")

    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="events")
    draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True, max_length=5000)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"


class Job(models.Model):
    """A background job a person started (recompute, large export) and can watch."""

    class Kind(models.TextChoices):
        RECOMPUTE = "recompute", _("recompute the consensus")
        EXPORT_DRAFT = "export-draft", _("export a draft")
        EXPORT_REDLINE = "export-redline", _("export a redline")
        EXPORT_ARCHIVE = "export-archive", _("export the archive")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    EXPORTS = (Kind.EXPORT_DRAFT, Kind.EXPORT_REDLINE, Kind.EXPORT_ARCHIVE)

    kind = models.CharField(max_length=40, choices=Kind.choices)
    definition = models.ForeignKey(Definition, on_delete=models.CASCADE, related_name="jobs")
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="jobs")
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.FloatField(default=0.0)
    result_url = models.CharField(max_length=500, blank=True)
    result_file = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the running task every JOB_HEARTBEAT_SECONDS; the reaper treats a running job
    # whose heartbeat is older than JOB_STALE_SECONDS as lost with its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Identical requests (same kind and parameters) share one job while it is in flight.
    fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=1),
                                   name="job_progress_in_range"),
            models.UniqueConstraint(
                fields=["fingerprint"], name="one_job_in_flight_per_fingerprint",
                condition=Q(state__in=("pending", "running")) & ~Q(fingerprint="")),
        ]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"


class NotificationSent(models.Model):
    """One email of one kind sent to one person about one thing (`key`), claimed before sending.

    The unique constraint makes every notification idempotent: a task that runs twice, or two
    workers racing, send it once."""

    class Kind(models.TextChoices):
        NEW_DRAFT = "new-draft"
        REPLY = "reply"
        DISPOSITION = "disposition"
        CLOSING = "closing"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_sent"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notify_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.user_id}"
