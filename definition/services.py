"""Writes to definitions, groups and drafts (create, import, publish, close, finalize). Every
write goes through a service; every decision is written to the decision log.

Memberships are in `memberships`, clause editing in `editing`.
"""

import re
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.errors import Conflict, InvalidInput
from core.validation import check_text
from definition import notifications
from definition.markdown import (
    ParsedDraft,
    match_keys,
    minimum_clause_count,
    parse_markdown,
    rename_keys,
)
from definition.models import (
    DEFAULT_GROUPS,
    THRESHOLD_DEFAULTS,
    Clause,
    Definition,
    Draft,
    Event,
    Membership,
    StakeholderGroup,
    language_validator,
)
from definition.permissions import require_admin, require_facilitator
from definition.selectors import list_clauses
from definition.tasks import announce_draft_task

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-_]{0,39}$")
SETTINGS_FIELDS = ("quorum", "min_groups", "votes_public", "comments_members_only",
                   "sections_votable", "thresholds", "language")


def log_event(*, definition, kind, actor=None, summary, reason="", draft=None, data=None) -> Event:
    """Append an entry to the definition's public decision log."""
    return Event.objects.create(
        definition=definition,
        draft=draft,
        kind=kind,
        actor=actor,
        summary=summary[:300],
        reason=reason,
        data=data or {},
    )


def _check_slug(value: str, field: str, max_length: int) -> None:
    if not value or len(value) > max_length or not SLUG_RE.match(value):
        raise InvalidInput(
            f"Use 1 to {max_length} lowercase letters, digits and single dashes.", field=field
        )


@transaction.atomic
def create_definition(*, actor, slug: str, title: str, summary: str = "") -> Definition:
    """Create a definition with the four default stakeholder groups. Admins only."""
    require_admin(actor)
    _check_slug(slug, "slug", 80)
    check_text(title, "title", 200, required=True)
    check_text(summary, "summary", 5000)
    if Definition.objects.filter(slug=slug).exists():
        raise Conflict(f"A definition {slug!r} exists already.", field="slug")
    definition = Definition.objects.create(slug=slug, title=title.strip(), summary=summary)
    for position, (group_slug, name, description) in enumerate(DEFAULT_GROUPS):
        StakeholderGroup.objects.create(
            definition=definition,
            slug=group_slug,
            name=name,
            description=description,
            position=position,
        )
    log_event(
        definition=definition,
        kind=Event.Kind.DEFINITION_CREATED,
        actor=actor,
        summary=f"Definition “{definition.title}” created",
    )
    return definition


@transaction.atomic
def add_facilitator(*, actor, definition: Definition, username: str) -> None:
    require_admin(actor)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"No user {username!r}.", field="username")
    # Not staff: facilitators work at their desk; the Django admin is for admins (PRODUCT.md §1).
    definition.facilitators.add(user)
    log_event(
        definition=definition,
        kind=Event.Kind.FACILITATOR_ADDED,
        actor=actor,
        summary=f"{username} named facilitator",
    )


@transaction.atomic
def remove_facilitator(*, actor, definition: Definition, username: str, reason: str = "") -> None:
    require_admin(actor)
    check_text(reason, "reason", 2000)
    user = definition.facilitators.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"{username!r} is not a facilitator here.", field="username")
    definition.facilitators.remove(user)
    log_event(
        definition=definition,
        kind=Event.Kind.FACILITATOR_REMOVED,
        actor=actor,
        reason=reason,
        summary=f"{username} is no longer facilitator",
    )


def _check_settings(changes: dict) -> None:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise InvalidInput("Unknown setting.", field=sorted(unknown)[0])
    for field in ("quorum", "min_groups"):
        value = changes.get(field)
        if field in changes and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000
        ):
            raise InvalidInput("A whole number from 0 to 1000.", field=field)
    for field in ("votes_public", "comments_members_only", "sections_votable"):
        if field in changes and not isinstance(changes[field], bool):
            raise InvalidInput("Must be true or false.", field=field)
    if "language" in changes:
        language = changes["language"]
        if not isinstance(language, str) or len(language) > 35:
            raise InvalidInput("A language tag (BCP 47) such as en or zh-hans.", field="language")
        try:
            language_validator(language)
        except DjangoValidationError as error:
            raise InvalidInput(error.messages[0], field="language") from None
    _check_thresholds(changes.get("thresholds", {}))


def _check_thresholds(thresholds) -> None:
    if not isinstance(thresholds, dict):
        raise InvalidInput("Must be an object of threshold names to numbers.", field="thresholds")
    for name, value in thresholds.items():
        if name not in THRESHOLD_DEFAULTS:
            raise InvalidInput(f"Unknown threshold {name!r}.", field="thresholds")
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise InvalidInput(
                f"Threshold {name!r} must be a number from 0 to 1.", field="thresholds"
            )


@transaction.atomic
def update_definition(*, actor, definition: Definition, changes: dict) -> Definition:
    """Change title, summary or settings. Facilitators only; logged with the changed values."""
    require_facilitator(actor, definition)
    changes = dict(changes)  # the caller's dict (e.g. request data) stays as it was
    text_changes = {k: changes.pop(k) for k in ("title", "summary") if k in changes}
    _check_settings(changes)
    if "title" in text_changes:
        check_text(text_changes["title"], "title", 200, required=True)
    if "summary" in text_changes:
        check_text(text_changes["summary"], "summary", 5000)
    for field, value in {**text_changes, **changes}.items():
        setattr(definition, field, value)
    definition.save()
    if changes:
        log_event(
            definition=definition,
            kind=Event.Kind.SETTINGS_CHANGED,
            actor=actor,
            summary="Settings changed",
            data=changes,
        )
    return definition


@transaction.atomic
def add_group(
    *, actor, definition: Definition, slug: str, name: str, description: str = ""
) -> StakeholderGroup:
    require_facilitator(actor, definition)
    _check_slug(slug, "slug", 50)
    check_text(name, "name", 100, required=True)
    check_text(description, "description", 2000)
    if definition.groups.filter(slug=slug).exists():
        raise Conflict(f"A group {slug!r} exists already.", field="slug")
    return StakeholderGroup.objects.create(
        definition=definition,
        slug=slug,
        name=name,
        description=description,
        position=definition.groups.count(),
    )


def _check_version(definition: Definition, version: str) -> None:
    if not version or not VERSION_RE.match(version):
        raise InvalidInput("1 to 40 letters, digits, dots, dashes or underscores.", field="version")
    if definition.drafts.filter(version=version).exists():
        raise Conflict(f"Draft {version!r} exists already.", field="version")


@transaction.atomic
def create_draft(
    *,
    actor,
    definition: Definition,
    version: str,
    based_on: Draft | None = None,
    changelog: str = "",
) -> Draft:
    """A new draft in `editing`; with `based_on`, every clause is copied with its key."""
    require_facilitator(actor, definition)
    _check_version(definition, version)
    check_text(changelog, "changelog", 50000)
    if based_on is not None and based_on.definition_id != definition.pk:
        raise InvalidInput("based_on must be a draft of this definition.", field="based_on")
    draft = Draft.objects.create(
        definition=definition,
        version=version,
        based_on=based_on,
        changelog=changelog,
        created_by=actor,
    )
    if based_on is not None:
        _copy_clauses(source=based_on, target=draft)
    log_event(
        definition=definition,
        draft=draft,
        kind=Event.Kind.DRAFT_CREATED,
        actor=actor,
        summary=f"Draft {version} created" + (f" from {based_on.version}" if based_on else ""),
    )
    return draft


def _copy_clauses(*, source: Draft, target: Draft) -> None:
    new_by_old: dict[int, Clause] = {}
    for clause in list_clauses(draft=source):  # pre-order: parents come before children
        new_by_old[clause.pk] = Clause.objects.create(
            draft=target,
            key=clause.key,
            heading=clause.heading,
            body=clause.body,
            kind=clause.kind,
            position=clause.position,
            parent=new_by_old.get(clause.parent_id),
        )


@transaction.atomic
def import_draft(
    *,
    actor,
    definition: Definition,
    version: str,
    markdown: str,
    based_on: Draft | None = None,
    changelog: str = "",
    keys: dict[str, str] | None = None,
) -> tuple[Draft, list]:
    """A new draft parsed from Markdown; with `based_on`, keys are matched to its clauses;
    `keys` then renames some of them (proposed key -> chosen key, as edited in the preview).

    Returns the draft and the match report (one entry per new clause)."""
    require_facilitator(actor, definition)
    parsed, matches = preview_import(markdown, based_on=based_on, keys=keys)
    draft = create_draft(actor=actor, definition=definition, version=version, changelog=changelog)
    if based_on is not None:
        draft.based_on = based_on
        draft.save(update_fields=["based_on"])
    _create_parsed_clauses(draft, parsed.clauses)
    return draft, matches


def preview_import(markdown: str, *, based_on: Draft | None = None,
                   keys: dict[str, str] | None = None) -> tuple[ParsedDraft, list]:
    """What an import would create: the parsed clauses with their keys (matched to `based_on`,
    then renamed by `keys`) and the match report. Writes nothing."""
    parsed = parse_import(markdown)
    matches = []
    if based_on is not None:
        parsed, matches = match_keys(list_clauses(draft=based_on), parsed)
    if keys:
        try:
            parsed = rename_keys(parsed, keys)
        except ValueError as error:
            raise InvalidInput(str(error), field="keys") from None
    return parsed, matches


def parse_import(markdown: str) -> ParsedDraft:
    """Markdown parsed for an import, within the caps: at most IMPORT_MAX_CHARS characters and
    IMPORT_MAX_CLAUSES clauses (settings), else InvalidInput naming `markdown`. A flood of
    headings is refused before the full parse. Writes nothing; the page's preview uses it too."""
    check_text(markdown, "markdown", settings.IMPORT_MAX_CHARS, required=True)
    if "\x00" in markdown:
        raise InvalidInput("The Markdown contains a NUL character.", field="markdown")
    cap = settings.IMPORT_MAX_CLAUSES
    if minimum_clause_count(markdown) > cap:
        raise InvalidInput(f"This Markdown makes more than {cap} clauses; an import may have at "
                           f"most {cap}.", field="markdown")
    parsed = parse_markdown(markdown)
    if not parsed.clauses:
        raise InvalidInput("No clause found in this Markdown.", field="markdown")
    if len(parsed.clauses) > cap:
        raise InvalidInput(f"This Markdown makes {len(parsed.clauses)} clauses; an import may "
                           f"have at most {cap}.", field="markdown")
    return parsed


def _create_parsed_clauses(draft: Draft, parsed_clauses) -> None:
    by_key: dict[str, Clause] = {}
    for parsed in parsed_clauses:
        check_text(parsed.heading, "markdown", 300)
        by_key[parsed.key] = Clause.objects.create(
            draft=draft,
            key=parsed.key,
            heading=parsed.heading,
            body=parsed.body,
            kind=parsed.kind,
            position=parsed.position,
            parent=by_key.get(parsed.parent_key) if parsed.parent_key else None,
        )


def require_editing(draft: Draft) -> None:
    if draft.status != Draft.Status.EDITING:
        raise Conflict(
            f"Draft {draft.version} is {draft.status}; its text can no longer change.",
            field="status",
        )


@transaction.atomic
def update_draft(*, actor, draft: Draft, changes: dict) -> Draft:
    """Edit version label or changelog while the draft is `editing`."""
    require_facilitator(actor, draft.definition)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    require_editing(draft)
    unknown = set(changes) - {"version", "changelog"}
    if unknown:
        raise InvalidInput("This field cannot be changed here.", field=sorted(unknown)[0])
    if "version" in changes and changes["version"] != draft.version:
        _check_version(draft.definition, changes["version"])
        draft.version = changes["version"]
    if "changelog" in changes:
        check_text(changes["changelog"], "changelog", 50000)
        draft.changelog = changes["changelog"]
    draft.save()
    return draft


@transaction.atomic
def delete_draft(*, actor, draft: Draft) -> None:
    require_facilitator(actor, draft.definition)
    require_editing(draft)
    if draft.successors.exists():
        raise Conflict("Other drafts are based on this one.", field="version")
    draft.delete()


@transaction.atomic
def publish_draft(
    *, actor, draft: Draft, closes_at: datetime, changelog: str | None = None
) -> Draft:
    """Open the comment period until `closes_at`; the draft that was open closes."""
    require_facilitator(actor, draft.definition)
    if closes_at is None or closes_at <= timezone.now():
        raise InvalidInput("The comment period must end in the future.", field="closes_at")
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    require_editing(draft)
    if not draft.clauses.exists():
        raise Conflict("A draft without clauses cannot be published.", field="clauses")
    for previous in Draft.objects.select_for_update().filter(
        definition=draft.definition, status=Draft.Status.OPEN
    ):
        _close(actor=actor, draft=previous, reason=f"superseded by {draft.version}")
    if changelog is not None:
        check_text(changelog, "changelog", 50000)
        draft.changelog = changelog
    draft.status, draft.closes_at, draft.published_at = Draft.Status.OPEN, closes_at, timezone.now()
    draft.save()
    log_event(
        definition=draft.definition,
        draft=draft,
        kind=Event.Kind.DRAFT_PUBLISHED,
        actor=actor,
        summary=f"Draft {draft.version} published",
        data={"closes_at": closes_at.isoformat()},
    )
    draft_id = draft.pk
    transaction.on_commit(lambda: notifications.enqueue(announce_draft_task, draft_id))
    return draft


def members_now(definition_id: int) -> dict:
    """The members that figures count now: verified ones per group, the revoked (whose votes stop
    counting; pending and rejected applicants never voted), and the definition's membership
    version they stand for. Frozen on a draft as it closes."""
    memberships = Membership.objects.filter(definition_id=definition_id)
    verified = (memberships.filter(status=Membership.Status.VERIFIED).values_list("group_id")
                .annotate(n=Count("id")).order_by())
    revoked = memberships.filter(status=Membership.Status.REVOKED).order_by("pk")
    version = Definition.objects.filter(pk=definition_id).values_list(
        "membership_version", flat=True).first()
    return {"verified": {str(group): n for group, n in verified},
            "revoked": list(revoked.values_list("pk", flat=True)), "version": version or 0}


def _close(*, actor, draft: Draft, reason: str = "") -> None:
    draft.status, draft.closed_at = Draft.Status.CLOSED, timezone.now()
    draft.members_at_close = members_now(draft.definition_id)
    draft.save()
    log_event(
        definition=draft.definition,
        draft=draft,
        kind=Event.Kind.DRAFT_CLOSED,
        actor=actor,
        summary=f"Draft {draft.version} closed",
        reason=reason,
    )


def require_closable(draft: Draft) -> None:
    if draft.status != Draft.Status.OPEN:
        raise Conflict(f"Draft {draft.version} is {draft.status}, not open.", field="status")


def require_finalizable(draft: Draft) -> None:
    if draft.status != Draft.Status.CLOSED:
        raise Conflict(
            f"Only a closed draft can be finalized; {draft.version} is {draft.status}.",
            field="status",
        )


@transaction.atomic
def close_draft(*, actor, draft: Draft, reason: str = "") -> Draft:
    require_facilitator(actor, draft.definition)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    require_closable(draft)
    _close(actor=actor, draft=draft, reason=reason)
    return draft


@transaction.atomic
def finalize_draft(*, actor, draft: Draft, reason: str = "") -> Draft:
    """Mark a closed draft as the ratified text."""
    require_facilitator(actor, draft.definition)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    require_finalizable(draft)
    draft.status, draft.finalized_at = Draft.Status.FINAL, timezone.now()
    draft.save()
    log_event(
        definition=draft.definition,
        draft=draft,
        kind=Event.Kind.DRAFT_FINALIZED,
        actor=actor,
        summary=f"Draft {draft.version} finalized",
        reason=reason,
    )
    return draft


def close_expired_drafts(*, now: datetime | None = None) -> int:
    """Close every open draft whose comment period has ended. Returns how many closed."""
    now = now or timezone.now()
    closed = 0
    for draft in Draft.objects.filter(status=Draft.Status.OPEN, closes_at__lte=now):
        with transaction.atomic():
            _close(actor=None, draft=draft, reason="comment period ended")
        closed += 1
    return closed


