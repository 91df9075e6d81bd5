"""Writes of comments, endorsements, flags, moderation, dispositions and acknowledgements, and
the facilitators' bulk answers (apply a suggestion, mark duplicates, resolve flags)."""

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.validation import check_text
from definition.editing import update_clause
from definition.models import Clause, Draft, Event
from definition.notifications import enqueue
from definition.permissions import require_facilitator, verified_membership
from definition.selectors import list_clauses
from definition.services import log_event
from deliberation.discussion import grouping
from deliberation.models import (
    Comment,
    Disposition,
    Endorsement,
    Flag,
    Position,
    Vote,
)
from deliberation.rules import require_member, require_open
from deliberation.tasks import (
    comments_changed,
    notify_disposition_task,
    notify_reply_task,
)
from deliberation.votes.services import clause_votes_changed


def check_comment_permission(actor, clause: Clause) -> bool:
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Sign in to comment.")
    is_member = verified_membership(actor, clause.draft.definition) is not None
    if clause.draft.definition.comments_members_only and not is_member:
        raise NotAllowed("Only verified members may comment on this definition.")
    return is_member


def _check_comment_content(clause, kind, body, quote, proposed_text) -> None:
    if kind not in Comment.Kind.values:
        raise InvalidInput(f"Choose one of {', '.join(Comment.Kind.values)}.", field="kind")
    check_text(body, "body", 20000, required=True)
    check_text(quote, "quote", 5000)
    check_text(proposed_text, "proposed_text", 20000)
    if kind == Comment.Kind.SUGGESTION and not proposed_text.strip():
        raise InvalidInput("A suggestion needs the proposed wording.", field="proposed_text")
    if kind != Comment.Kind.SUGGESTION and proposed_text:
        raise InvalidInput("Only a suggestion proposes text.", field="proposed_text")
    if quote and quote not in clause.body and quote not in clause.heading:
        raise InvalidInput("The quote must be an exact passage of the clause.", field="quote")


@transaction.atomic
def post_comment(*, actor, clause: Clause, body: str, kind: str = "comment",
                 parent: Comment | None = None, quote: str = "", proposed_text: str = ""
                 ) -> Comment:
    """Comment on a clause of an open draft, or reply to a comment on it."""
    is_member = check_comment_permission(actor, clause)
    require_open(clause.draft, "comments")
    _check_comment_content(clause, kind, body, quote, proposed_text)
    if parent is not None and parent.clause_id != clause.pk:
        raise InvalidInput("The parent comment is on another clause.", field="parent")
    comment = Comment.objects.create(clause=clause, author=actor, parent=parent, kind=kind,
                                     body=body.strip(), quote=quote, proposed_text=proposed_text,
                                     author_verified=is_member)
    if parent is None:
        comments_changed(clause.pk)
    elif parent.author_id != actor.pk:
        transaction.on_commit(lambda: enqueue(notify_reply_task, comment.pk))
    return comment


@transaction.atomic
def edit_comment(*, actor, comment: Comment, changes: dict) -> Comment:
    """The author edits their comment; the earlier text stays in history, shown as edited."""
    if comment.author_id != getattr(actor, "pk", None):
        raise NotAllowed("Only the author may edit a comment.")
    require_open(comment.clause.draft, "edits of comments")
    if comment.kind == Comment.Kind.OBJECTION and comment.vote_id:
        raise Conflict("Edit an objection by changing your vote's rationale.", field="body")
    unknown = set(changes) - {"body", "quote", "proposed_text"}
    if unknown:
        raise InvalidInput("This field cannot be edited.", field=sorted(unknown)[0])
    merged = {"body": comment.body, "quote": comment.quote,
              "proposed_text": comment.proposed_text, **changes}
    _check_comment_content(comment.clause, comment.kind, merged["body"], merged["quote"],
                           merged["proposed_text"])
    for field, value in merged.items():
        setattr(comment, field, value)
    comment.edited_at = timezone.now()
    comment.save()
    if comment.parent_id is None:
        comments_changed(comment.clause_id)
    return comment


@transaction.atomic
def endorse_comment(*, actor, comment: Comment) -> Endorsement:
    """A verified member +1s a suggestion. Endorsing twice keeps one endorsement."""
    require_member(actor, comment.clause.draft.definition)
    if comment.kind != Comment.Kind.SUGGESTION:
        raise InvalidInput("Only suggestions can be endorsed.", field="comment")
    if comment.author_id == actor.pk:
        raise NotAllowed("You cannot endorse your own suggestion.")
    endorsement, _ = Endorsement.objects.get_or_create(comment=comment, user=actor)
    return endorsement


@transaction.atomic
def withdraw_endorsement(*, actor, comment: Comment) -> bool:
    """The member takes back their +1; returns whether there was one."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Sign in to do this.")
    deleted, _ = Endorsement.objects.filter(comment=comment, user=actor).delete()
    return deleted > 0


@transaction.atomic
def flag_comment(*, actor, comment: Comment, reason: str = "") -> Flag:
    """Any signed-in user flags a comment for the facilitators' review."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Sign in to flag.")
    check_text(reason, "reason", 500)
    flag, _ = Flag.objects.get_or_create(comment=comment, user=actor, defaults={"reason": reason})
    return flag


@transaction.atomic
def hide_comment(*, actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a public reason. Nothing is deleted; the log records it."""
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    check_text(reason, "reason", 2000, required=True)
    grouping.release(comment)
    comment.hidden, comment.hidden_reason, comment.hidden_by = True, reason.strip(), actor
    comment.save()
    comment.flags.update(resolved=True)
    comments_changed(comment.clause_id)
    log_event(definition=definition, draft=comment.clause.draft, kind=Event.Kind.COMMENT_HIDDEN,
              actor=actor, reason=reason, summary=f"Comment #{comment.pk} hidden",
              data={"comment": comment.pk})
    return comment


@transaction.atomic
def restore_comment(*, actor, comment: Comment, reason: str = "") -> Comment:
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    if not comment.hidden:
        raise Conflict("This comment is not hidden.", field="hidden")
    grouping.release(comment)
    comment.hidden, comment.hidden_reason, comment.hidden_by = False, "", None
    comment.save()
    comments_changed(comment.clause_id)
    log_event(definition=definition, draft=comment.clause.draft, kind=Event.Kind.COMMENT_RESTORED,
              actor=actor, reason=reason, summary=f"Comment #{comment.pk} restored",
              data={"comment": comment.pk})
    return comment


def _check_duplicate_of(comment: Comment, status: str, duplicate_of) -> None:
    if duplicate_of is None:
        return
    if status != Disposition.Status.DUPLICATE:
        raise InvalidInput("Only a duplicate names the comment it repeats.", field="duplicate_of")
    if duplicate_of.pk == comment.pk:
        raise InvalidInput("A comment cannot duplicate itself.", field="duplicate_of")
    if duplicate_of.clause.draft.definition_id != comment.clause.draft.definition_id:
        raise InvalidInput("duplicate_of must be a comment of this definition.",
                           field="duplicate_of")


def _check_disposition(comment: Comment, status: str, response: str, addressed_in,
                       addressed_in_next: bool = False) -> None:
    if comment.parent_id is not None:
        raise InvalidInput("Only top-level comments get a disposition.", field="comment")
    if status not in Disposition.Status.values:
        raise InvalidInput(f"Choose one of {', '.join(Disposition.Status.values)}.",
                           field="status")
    check_text(response, "response", 10000, required=True)
    # Read the vote afresh: the voter may have moved off `block` since the comment was loaded.
    is_block = Vote.objects.filter(pk=comment.vote_id, position=Position.BLOCK).exists()
    if status == Disposition.Status.OVERRULED and not is_block:
        raise InvalidInput("Only a sustained block can be overruled.", field="status")
    definition = comment.clause.draft.definition
    if addressed_in is not None and addressed_in.definition_id != definition.pk:
        raise InvalidInput("addressed_in must be a draft of this definition.",
                           field="addressed_in")
    if addressed_in is not None and addressed_in_next:
        raise InvalidInput("Name a draft or the next one, not both.", field="addressed_in")


@transaction.atomic
def record_disposition(*, actor, comment: Comment, status: str, response: str,
                       addressed_in: Draft | None = None,
                       duplicate_of: Comment | None = None,
                       addressed_in_next: bool = False) -> Disposition:
    """Record (or revise) the facilitators' answer to a comment, suggestion or objection.

    `addressed_in_next` says it is addressed in the next draft, which may not exist yet (its
    publication resolves it). A revised answer asks the author to acknowledge again; the author
    is emailed either way."""
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    _check_disposition(comment, status, response, addressed_in, addressed_in_next)
    _check_duplicate_of(comment, status, duplicate_of)
    grouping.release(comment)
    disposition, _ = Disposition.objects.select_for_update().get_or_create(
        comment=comment, defaults={"status": status, "response": response,
                                   "decided_at": timezone.now(), "decided_by": actor})
    disposition.status, disposition.response = status, response
    disposition.addressed_in, disposition.duplicate_of = addressed_in, duplicate_of
    disposition.addressed_in_next = addressed_in_next
    disposition.decided_by, disposition.decided_at = actor, timezone.now()
    disposition.acknowledged_satisfied, disposition.acknowledgement_note = None, ""
    disposition.acknowledged_at = None
    disposition.save()
    decided_at = disposition.decided_at.isoformat()
    comments_changed(comment.clause_id)  # it leaves its group of similar comments
    transaction.on_commit(lambda: enqueue(notify_disposition_task, comment.pk, decided_at))
    if comment.vote_id is not None:  # an objection: open objections and blocks change
        clause_votes_changed(comment.clause_id)
    kind = Event.Kind.BLOCK_OVERRULED if status == "overruled" else Event.Kind.DISPOSITION
    log_event(definition=definition, draft=comment.clause.draft, kind=kind, actor=actor,
              reason=response, summary=f"{comment.kind.capitalize()} #{comment.pk}: {status}",
              data={"comment": comment.pk, "status": status, "clause": comment.clause.key,
                    **({"duplicate_of": duplicate_of.pk} if duplicate_of else {})})
    return disposition


@transaction.atomic
def record_dispositions(*, actor, comments: list[Comment], status: str, response: str,
                        addressed_in: Draft | None = None, addressed_in_next: bool = False
                        ) -> list[Disposition]:
    """One answer to many comments (similar ones, answered together): each gets its own
    disposition row, log entry and email, as if answered one by one."""
    comments = list(dict.fromkeys(comments))
    if not comments or len(comments) > MAX_BULK:
        raise InvalidInput(f"Choose 1 to {MAX_BULK} comments.", field="comments")
    return [record_disposition(actor=actor, comment=comment, status=status, response=response,
                               addressed_in=addressed_in, addressed_in_next=addressed_in_next)
            for comment in comments]


@transaction.atomic
def resolve_next_draft(*, actor, draft: Draft) -> int:
    """`draft` was just published: the dispositions of its definition "addressed in the next
    draft" are now addressed in it. Returns how many."""
    require_facilitator(actor, draft.definition)
    return (Disposition.objects
            .filter(addressed_in_next=True, comment__clause__draft__definition=draft.definition_id)
            .exclude(comment__clause__draft=draft)
            .update(addressed_in=draft, addressed_in_next=False))


@transaction.atomic
def acknowledge_disposition(*, actor, comment: Comment, satisfied: bool, note: str = ""
                            ) -> Disposition:
    """The author says whether the disposition of their comment satisfies them."""
    if comment.author_id != getattr(actor, "pk", None):
        raise NotAllowed("Only the author may acknowledge a disposition.")
    disposition = Disposition.objects.select_for_update().filter(comment=comment).first()
    if disposition is None:
        raise Conflict("This comment has no disposition yet.", field="comment")
    if not isinstance(satisfied, bool):
        raise InvalidInput("Must be true or false.", field="satisfied")
    disposition.acknowledged_satisfied = satisfied
    disposition.acknowledgement_note = check_text(note or "", "note", 5000)
    disposition.acknowledged_at = timezone.now()
    disposition.save()
    return disposition


APPLIED_STATUSES = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)


MAX_BULK = 500


def _check_applicable(comment: Comment, draft: Draft) -> None:
    if comment.kind != Comment.Kind.SUGGESTION or comment.parent_id is not None:
        raise InvalidInput("Only a top-level suggestion can be applied.", field="comment")
    if comment.hidden:
        raise Conflict("This suggestion is hidden.", field="comment")
    source = comment.clause.draft
    if source.definition_id != draft.definition_id or source.pk == draft.pk:
        raise InvalidInput("Apply a suggestion on an earlier draft of this definition.",
                           field="draft")


def _clause_for_suggestion(comment: Comment, draft: Draft) -> Clause:
    """The clause of `draft` with the suggestion's key, else the one clause derived from it."""
    key = comment.clause.key
    clauses = list_clauses(draft=draft)
    same = [c for c in clauses if c.key == key] or [c for c in clauses if key in c.derived_from]
    if len(same) != 1:
        found = "no clause" if not same else "several clauses"
        raise Conflict(f"Draft {draft.version} has {found} for {key!r}.", field="draft")
    same[0].draft = draft
    return same[0]


def _credit_suggestion(actor, comment: Comment, draft: Draft, response: str) -> None:
    disposition = Disposition.objects.select_for_update().filter(comment=comment).first()
    if disposition is None or disposition.status not in APPLIED_STATUSES:
        record_disposition(actor=actor, comment=comment, status=Disposition.Status.ACCEPTED,
                           response=response or f"Applied in draft {draft.version}.",
                           addressed_in=draft)
    elif disposition.addressed_in_id is None:
        disposition.addressed_in, disposition.addressed_in_next = draft, False
        disposition.save(update_fields=["addressed_in", "addressed_in_next"])


def _check_unchanged(comment: Comment, clause: Clause, replace: bool) -> None:
    """The clause must still hold the text the suggestion was written against, unless the
    facilitator chose to replace what is there (another suggestion applied, or an edit)."""
    if replace or clause.body in (comment.clause.body, comment.proposed_text):
        return
    raise Conflict(f"Clause {clause.key} has changed since suggestion #{comment.pk} was made "
                   "(another suggestion or an edit): confirm to replace its text.",
                   field="replace")


@transaction.atomic
def apply_suggestion(*, actor, comment: Comment, draft: Draft, response: str = "",
                     replace: bool = False) -> Clause:
    """Put a suggestion's proposed text into the same clause of an editing draft, in one action.

    When the clause no longer holds the text the suggestion was made against, this asks first
    (`replace`), so that applying a competing suggestion never silently reverts another. Unless
    the suggestion is already accepted (or partially), it is recorded `accepted`, addressed in
    `draft` (logged, and its author emailed); an acceptance without a draft gets this one."""
    require_facilitator(actor, draft.definition)
    _check_applicable(comment, draft)
    check_text(response or "", "response", 10000)
    target = _clause_for_suggestion(comment, draft)
    _check_unchanged(comment, target, replace)
    clause = update_clause(actor=actor, clause=target, changes={"body": comment.proposed_text})
    _credit_suggestion(actor, comment, draft, response)
    return clause


def _check_duplicates(comments, of: Comment, draft: Draft | None) -> list[Comment]:
    comments = list(dict.fromkeys(comments))
    if not comments or len(comments) > MAX_BULK:
        raise InvalidInput(f"Choose 1 to {MAX_BULK} comments.", field="comments")
    if of.parent_id is not None:
        raise InvalidInput("The original must be a top-level comment.", field="of")
    for comment in comments:
        if draft is not None and comment.clause.draft_id != draft.pk:
            raise InvalidInput(f"Comment {comment.pk} is not on draft {draft.version}.",
                               field="comments")
        if comment.pk == of.pk:
            raise InvalidInput("A comment cannot duplicate itself.", field="comments")
    return comments


@transaction.atomic
def record_duplicates(*, actor, comments: list[Comment], of: Comment, response: str,
                      draft: Draft | None = None) -> list[Disposition]:
    """Disposition many comments as `duplicate` of one, with one response (each logged and
    emailed like any disposition). With `draft`, every comment must be on it."""
    require_facilitator(actor, of.clause.draft.definition)
    comments = _check_duplicates(comments, of, draft)
    return [record_disposition(actor=actor, comment=comment, status=Disposition.Status.DUPLICATE,
                               response=response, duplicate_of=of)
            for comment in comments]


@transaction.atomic
def resolve_flags(*, actor, comment: Comment, reason: str = "") -> int:
    """Dismiss the open flags on a comment without hiding it; logged. Returns how many."""
    definition = comment.clause.draft.definition
    require_facilitator(actor, definition)
    check_text(reason or "", "reason", 2000)
    flags = list(Flag.objects.select_for_update().filter(comment=comment, resolved=False))
    if not flags:
        raise Conflict("This comment has no open flag.", field="comment")
    for flag in flags:
        flag.resolved = True
        flag.save(update_fields=["resolved"])
    log_event(definition=definition, draft=comment.clause.draft, kind=Event.Kind.FLAGS_RESOLVED,
              actor=actor, reason=reason, summary=f"Flags on comment #{comment.pk} dismissed",
              data={"comment": comment.pk, "flags": len(flags)})
    return len(flags)
