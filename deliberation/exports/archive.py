"""The whole definition as one JSON document (backup, open data, transfer), and its restore.

Everything an outsider needs to recompute every consensus figure is in it: settings, groups,
memberships with their status, every draft with its clauses, every current vote with its group
and whether it counts, every comment with its disposition (objections point at their vote), the
appeals against dispositions with their answers and decisions, the decision log, and the stored
summaries to compare with. Rows are numbered 1.. in the archive
(never database ids), so export -> import -> export gives the same document.

The complete archive is for facilitators. The public one (open data, for anyone) leaves out
drafts in editing, withholds the text of hidden comments and, when the definition's votes are not
public, names voters (and the authors of objections) by stable pseudonyms; it cannot be restored,
since it no longer says who voted. Appeals are public (PRODUCT.md §2): the public archive holds
what the decision log shows of them — the reason, the disposition appealed against, the
facilitators' answer, the decision with its reasons, who and when — with the author of an appeal
on an objection named as that objection's author is.
"""

from __future__ import annotations

from django.db.models import Count

from definition.models import Definition, Draft, Event, Membership
from definition.selectors import list_clauses
from deliberation.consensus.selectors import get_draft_consensus
from deliberation.exports.tables import pseudonym
from deliberation.models import Appeal, Comment, Endorsement, Vote

FORMAT = "concord-archive"
VERSION = 1
SETTINGS = ("quorum", "min_groups", "thresholds", "votes_public", "comments_members_only",
            "sections_votable", "language")
DRAFT_DATES = ("closes_at", "published_at", "closed_at", "finalized_at", "created_at")
MEMBERSHIP_TEXT = ("status", "affiliation", "conflict_of_interest", "decision_reason")
COMMENT_TEXT = ("kind", "body", "quote", "proposed_text", "author_verified", "hidden",
                "hidden_reason")
DISPOSITION_TEXT = ("status", "response", "acknowledged_satisfied", "acknowledgement_note")
APPEAL_TEXT = ("reason", "disposition_status", "disposition_response", "status", "answer",
               "decision_reason")
APPEAL_PEOPLE = ("disposition_decided_by", "answered_by", "decided_by")
APPEAL_DATES = ("disposition_decided_at", "answered_at", "decided_at", "created_at")
EVENT_REFS = ("membership", "comment", "appeal")  # ids inside Event.data, renumbered like rows


def iso(value) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str | None:
    return user.username if user is not None else None


class _Builder:
    """Collects the archive; `full` for facilitators, else the public view."""

    def __init__(self, definition: Definition, *, full: bool):
        self.definition = definition
        self.full = full
        self.pseudonymous = not full and not definition.votes_public
        self.users: dict[str, str] = {}
        self.local: dict[str, dict[int, int]] = {}

    def user(self, user) -> str | None:
        if user is None:
            return None
        self.users.setdefault(user.username, user.display_name)
        return user.username

    def voter(self, user) -> str:
        if self.pseudonymous:
            return pseudonym(self.definition, user.username)
        return self.user(user)

    def number(self, kind: str, rows) -> list:
        rows = list(rows)
        self.local[kind] = {row.pk: index for index, row in enumerate(rows, start=1)}
        return rows

    def ref(self, kind: str, pk: int | None) -> int | None:
        return self.local[kind].get(pk) if pk is not None else None


def _definition(b: _Builder) -> dict:
    d = b.definition
    return {"slug": d.slug, "title": d.title, "summary": d.summary, "created_at": iso(d.created_at),
            "settings": {name: getattr(d, name) for name in SETTINGS},
            "facilitators": sorted(b.user(u) for u in d.facilitators.all())}


def _groups(b: _Builder) -> list[dict]:
    return [{"slug": g.slug, "name": g.name, "description": g.description,
             "position": g.position} for g in b.definition.groups.all()]


def _memberships(b: _Builder) -> list[dict]:
    rows = b.number("membership", Membership.objects.filter(definition=b.definition)
                    .select_related("user", "group", "decided_by").order_by("pk"))
    return [{"id": b.ref("membership", m.pk), "user": b.user(m.user), "group": m.group.slug,
             **{name: getattr(m, name) for name in MEMBERSHIP_TEXT},
             "decided_by": b.user(m.decided_by), "decided_at": iso(m.decided_at),
             "created_at": iso(m.created_at)} for m in rows]


def _clause(c) -> dict:
    return {"key": c.key, "parent": c.parent_key, "position": c.position, "kind": c.kind,
            "heading": c.heading, "body": c.body, "derived_from": list(c.derived_from or [])}


def _summary(row: dict) -> dict:
    return {**row, "computed_at": iso(row["computed_at"])}


def _drafts(b: _Builder) -> list[dict]:
    drafts = []
    drafts_of = Draft.objects.filter(definition=b.definition)
    if not b.full:  # a draft in editing is seen by its facilitators only
        drafts_of = drafts_of.exclude(status=Draft.Status.EDITING)
    for draft in drafts_of.select_related(
            "based_on", "created_by", "definition").order_by("created_at", "pk"):
        consensus = get_draft_consensus(draft=draft)
        drafts.append({
            "version": draft.version, "status": draft.status,
            "based_on": draft.based_on.version if draft.based_on_id else None,
            "changelog": draft.changelog, "created_by": b.user(draft.created_by),
            **{name: iso(getattr(draft, name)) for name in DRAFT_DATES},
            "clauses": [_clause(c) for c in list_clauses(draft=draft)],
            "summaries": [_summary(row) for row in consensus["clauses"]]})
    return drafts


def _votes(b: _Builder) -> list[dict]:
    rows = b.number("vote", Vote.objects.filter(clause__draft__definition=b.definition)
                    .select_related("voter", "group", "membership", "clause__draft")
                    .order_by("pk"))
    return [{"id": b.ref("vote", v.pk), "draft": v.clause.draft.version, "clause": v.clause.key,
             "voter": b.voter(v.voter), "group": v.group.slug,
             "membership": None if b.pseudonymous else b.ref("membership", v.membership_id),
             "counted": v.membership.status == Membership.Status.VERIFIED,
             "position": v.position, "rationale": v.rationale,
             "created_at": iso(v.created_at), "updated_at": iso(v.updated_at)} for v in rows]


def _disposition(b: _Builder, comment) -> dict | None:
    d = getattr(comment, "disposition", None)
    if d is None:
        return None
    return {**{name: getattr(d, name) for name in DISPOSITION_TEXT},
            "addressed_in": d.addressed_in.version if d.addressed_in_id else None,
            "duplicate_of": b.ref("comment", d.duplicate_of_id),
            "decided_by": b.user(d.decided_by), "decided_at": iso(d.decided_at),
            "acknowledged_at": iso(d.acknowledged_at)}


def _comment(b: _Builder, c, endorsers: dict) -> dict:
    objection = c.kind == Comment.Kind.OBJECTION
    data = {"id": b.ref("comment", c.pk), "draft": c.clause.draft.version, "clause": c.clause.key,
            "author": b.voter(c.author) if objection else b.user(c.author),
            "parent": b.ref("comment", c.parent_id), "vote": b.ref("vote", c.vote_id),
            **{name: getattr(c, name) for name in COMMENT_TEXT},
            "hidden_by": b.user(c.hidden_by), "edited_at": iso(c.edited_at),
            "created_at": iso(c.created_at), "endorsements": sorted(endorsers.get(c.pk, [])),
            "disposition": None}
    if c.hidden and not b.full:
        data.update(body="", quote="", proposed_text="")
    return data


def _comments(b: _Builder) -> list[dict]:
    rows = b.number("comment", Comment.objects.filter(clause__draft__definition=b.definition)
                    .select_related("author", "clause__draft", "hidden_by",
                                    "disposition__addressed_in", "disposition__decided_by")
                    .order_by("pk"))
    endorsers: dict[int, list[str]] = {}
    for e in Endorsement.objects.filter(comment__in=rows).select_related("user"):
        endorsers.setdefault(e.comment_id, []).append(b.user(e.user))
    comments = [_comment(b, c, endorsers) for c in rows]
    for data, c in zip(comments, rows, strict=True):  # after numbering: duplicates point back
        data["disposition"] = _disposition(b, c)
    return comments


def _appeals(b: _Builder) -> list[dict]:
    rows = b.number("appeal", Appeal.objects.filter(comment__clause__draft__definition=b.definition)
                    .select_related("author", "comment", *APPEAL_PEOPLE).order_by("pk"))
    return [{"id": b.ref("appeal", a.pk), "comment": b.ref("comment", a.comment_id),
             "author": b.voter(a.author) if a.comment.kind == Comment.Kind.OBJECTION
             else b.user(a.author),
             **{name: getattr(a, name) for name in APPEAL_TEXT},
             **{name: b.user(getattr(a, name)) for name in APPEAL_PEOPLE},
             **{name: iso(getattr(a, name)) for name in APPEAL_DATES}} for a in rows]


def _events(b: _Builder) -> list[dict]:
    rows = Event.objects.filter(definition=b.definition).select_related("actor", "draft")
    events = []
    for e in rows.order_by("created_at", "pk"):
        data = dict(e.data)
        for kind in EVENT_REFS:
            if isinstance(data.get(kind), int):
                data[kind] = b.ref(kind, data[kind])
        events.append({"kind": e.kind, "draft": e.draft.version if e.draft_id else None,
                       "actor": b.user(e.actor), "summary": e.summary, "reason": e.reason,
                       "data": data, "created_at": iso(e.created_at)})
    return events


def build_archive(*, definition: Definition, full: bool) -> dict:
    """The definition as a JSON-ready dict; `full` only for its facilitators (see above)."""
    b = _Builder(definition, full=full)
    body = {"definition": _definition(b), "groups": _groups(b), "memberships": _memberships(b),
            "drafts": _drafts(b), "votes": _votes(b), "comments": _comments(b),
            "appeals": _appeals(b), "events": _events(b)}
    users = [{"username": name, "display_name": b.users[name]} for name in sorted(b.users)]
    return {"format": FORMAT, "version": VERSION, "complete": full,
            "pseudonymous": b.pseudonymous, "users": users, **body}


def archive_size(definition: Definition) -> int:
    """Rows an archive holds (votes, comments and clauses), to decide on a background job."""
    counts = Definition.objects.filter(pk=definition.pk).aggregate(
        clauses=Count("drafts__clauses", distinct=True))
    votes = Vote.objects.filter(clause__draft__definition=definition).count()
    comments = Comment.objects.filter(clause__draft__definition=definition).count()
    return counts["clauses"] + votes + comments
