"""Restore a definition from its complete archive (see `archive`) on an instance without it.

People are matched by username; those missing become inactive placeholder accounts (no usable
password) that an admin can later hand over. Published text is protected by database triggers, so
each draft is created in `editing`, filled, then given its status and dates. Timestamps are
restored as archived, so a restored definition exports to the same archive.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from core.errors import Conflict, InvalidInput
from definition.models import Clause, Definition, Draft, Event, Membership, StakeholderGroup
from definition.permissions import require_admin
from deliberation.consensus.recompute import GROUP_FIELDS, SUMMARY_FIELDS, mark_stale
from deliberation.exports.archive import (
    APPEAL_DATES,
    APPEAL_PEOPLE,
    APPEAL_TEXT,
    COMMENT_TEXT,
    DISPOSITION_TEXT,
    DRAFT_DATES,
    EVENT_REFS,
    FORMAT,
    MEMBERSHIP_TEXT,
    SETTINGS,
    VERSION,
)
from deliberation.models import (
    Appeal,
    ClauseSummary,
    Comment,
    Disposition,
    Endorsement,
    GroupSummary,
    Vote,
)
from deliberation.tasks import comments_changed

# `appeals` came later: an archive without them restores with none.
SECTIONS = ("definition", "groups", "memberships", "drafts", "votes", "comments", "events")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _check(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"Not a {FORMAT} document.", field="format")
    if data.get("version") != VERSION:
        raise InvalidInput(f"Only version {VERSION} archives can be imported.", field="version")
    if data.get("pseudonymous") or not data.get("complete"):
        raise InvalidInput("A public archive names no voters; only a complete archive (from a "
                           "facilitator) can be restored.", field="complete")
    missing = [name for name in SECTIONS if name not in data]
    if missing:
        raise InvalidInput("This section is missing.", field=missing[0])
    if Definition.objects.filter(slug=data["definition"].get("slug")).exists():
        raise Conflict("A definition with this slug exists already.", field="definition.slug")


class _Restore:
    def __init__(self, data: dict):
        self.data = data
        self.users: dict[str, object] = {}
        self.ids: dict[str, dict] = {"membership": {}, "vote": {}, "comment": {}, "appeal": {}}

    def user(self, username: str | None):
        return self.users[username] if username else None

    def restore_users(self) -> None:
        model = get_user_model()
        wanted = {u["username"]: u.get("display_name", "") for u in self.data.get("users", [])}
        self.users = {u.username: u for u in model.objects.filter(username__in=wanted)}
        for username in sorted(set(wanted) - set(self.users)):
            user = model(username=username, display_name=wanted[username], is_active=False)
            user.set_unusable_password()
            user.save()
            self.users[username] = user

    def restore_definition(self) -> None:
        d = self.data["definition"]
        settings = {name: d["settings"][name] for name in SETTINGS if name in d["settings"]}
        self.definition = Definition.objects.create(slug=d["slug"], title=d["title"],
                                                    summary=d.get("summary", ""), **settings)
        Definition.objects.filter(pk=self.definition.pk).update(created_at=_dt(d["created_at"]))
        self.definition.facilitators.add(*[self.user(name) for name in d["facilitators"]])
        self.groups = {g["slug"]: StakeholderGroup.objects.create(definition=self.definition, **g)
                       for g in self.data["groups"]}

    def restore_memberships(self) -> None:
        for m in self.data["memberships"]:
            row = Membership.objects.create(
                user=self.user(m["user"]), definition=self.definition,
                group=self.groups[m["group"]],
                decided_by=self.user(m["decided_by"]), decided_at=_dt(m["decided_at"]),
                **{name: m[name] for name in MEMBERSHIP_TEXT})
            Membership.objects.filter(pk=row.pk).update(created_at=_dt(m["created_at"]))
            self.ids["membership"][m["id"]] = row

    def restore_drafts(self) -> None:
        self.drafts: dict[str, Draft] = {}
        self.clauses: dict[tuple[str, str], Clause] = {}
        for d in self.data["drafts"]:
            draft = Draft.objects.create(definition=self.definition, version=d["version"],
                                         changelog=d["changelog"],
                                         created_by=self.user(d["created_by"]))
            self.drafts[d["version"]] = draft
            for c in d["clauses"]:  # reading order: parents first
                parent = self.clauses.get((d["version"], c["parent"])) if c["parent"] else None
                self.clauses[(d["version"], c["key"])] = Clause.objects.create(
                    draft=draft, parent=parent, key=c["key"], heading=c["heading"], body=c["body"],
                    kind=c["kind"], position=c["position"], derived_from=c["derived_from"])
        for d in self.data["drafts"]:  # now the text is in: status and dates
            based_on = self.drafts.get(d["based_on"]) if d["based_on"] else None
            Draft.objects.filter(pk=self.drafts[d["version"]].pk).update(
                status=d["status"], based_on=based_on,
                **{name: _dt(d[name]) for name in DRAFT_DATES})

    def restore_votes(self) -> None:
        votes = [Vote(clause=self.clauses[(v["draft"], v["clause"])], voter=self.user(v["voter"]),
                      membership=self.ids["membership"][v["membership"]],
                      group=self.groups[v["group"]], position=v["position"],
                      rationale=v["rationale"]) for v in self.data["votes"]]
        Vote.objects.bulk_create(votes, batch_size=2000)
        for vote, v in zip(votes, self.data["votes"], strict=True):
            vote.created_at, vote.updated_at = _dt(v["created_at"]), _dt(v["updated_at"])
            self.ids["vote"][v["id"]] = vote
        Vote.objects.bulk_update(votes, ["created_at", "updated_at"], batch_size=2000)

    def restore_comments(self) -> None:
        rows = self.data["comments"]
        comments = [Comment(clause=self.clauses[(c["draft"], c["clause"])],
                            author=self.user(c["author"]), hidden_by=self.user(c["hidden_by"]),
                            vote=self.ids["vote"].get(c["vote"]), edited_at=_dt(c["edited_at"]),
                            **{name: c[name] for name in COMMENT_TEXT}) for c in rows]
        Comment.objects.bulk_create(comments, batch_size=2000)
        self.ids["comment"] = {c["id"]: comment for c, comment in zip(rows, comments, strict=True)}
        for comment, c in zip(comments, rows, strict=True):
            comment.created_at = _dt(c["created_at"])
            comment.parent = self.ids["comment"].get(c["parent"])
        Comment.objects.bulk_update(comments, ["created_at", "parent"], batch_size=2000)
        Endorsement.objects.bulk_create([
            Endorsement(comment=self.ids["comment"][c["id"]], user=self.user(name))
            for c in rows for name in c["endorsements"]])
        Disposition.objects.bulk_create([self._disposition(c) for c in rows if c["disposition"]])
        comments_changed(*{comment.clause_id for comment in comments})

    def _disposition(self, c: dict) -> Disposition:
        d = c["disposition"]
        return Disposition(
            comment=self.ids["comment"][c["id"]], decided_by=self.user(d["decided_by"]),
            addressed_in=self.drafts.get(d["addressed_in"]) if d["addressed_in"] else None,
            duplicate_of=self.ids["comment"].get(d["duplicate_of"]),
            decided_at=_dt(d["decided_at"]), acknowledged_at=_dt(d["acknowledged_at"]),
            **{name: d[name] for name in DISPOSITION_TEXT})

    def restore_appeals(self) -> None:
        rows = self.data.get("appeals", [])
        appeals = [Appeal(comment=self.ids["comment"][a["comment"]], author=self.user(a["author"]),
                          **{name: a[name] for name in APPEAL_TEXT},
                          **{name: self.user(a[name]) for name in APPEAL_PEOPLE},
                          **{name: _dt(a[name]) for name in APPEAL_DATES if name != "created_at"})
                   for a in rows]
        Appeal.objects.bulk_create(appeals)
        for appeal, a in zip(appeals, rows, strict=True):
            appeal.created_at = _dt(a["created_at"])
            self.ids["appeal"][a["id"]] = appeal
        Appeal.objects.bulk_update(appeals, ["created_at"])

    def restore_events(self) -> None:
        events = []
        for e in self.data["events"]:
            data = dict(e["data"])
            for kind in EVENT_REFS:
                if isinstance(data.get(kind), int) and data[kind] in self.ids[kind]:
                    data[kind] = self.ids[kind][data[kind]].pk
            events.append(Event(definition=self.definition, kind=e["kind"], data=data,
                                draft=self.drafts.get(e["draft"]) if e["draft"] else None,
                                actor=self.user(e["actor"]), summary=e["summary"],
                                reason=e["reason"]))
        Event.objects.bulk_create(events, batch_size=2000)
        for event, e in zip(events, self.data["events"], strict=True):
            event.created_at = _dt(e["created_at"])
        Event.objects.bulk_update(events, ["created_at"], batch_size=2000)

    def restore_summaries(self) -> None:
        """The stored figures as archived: fresh ones stay fresh, stale ones stay stale."""
        for d in self.data["drafts"]:
            draft = self.drafts[d["version"]]
            for s in d["summaries"]:
                if s["computed_at"] is None and not s["stale"]:
                    continue  # no stored row: nobody had voted
                self._summary(draft, self.clauses[(d["version"], s["key"])], s)

    def _summary(self, draft: Draft, clause: Clause, s: dict) -> None:
        summary = ClauseSummary.objects.create(
            clause=clause, draft=draft, computed_at=_dt(s["computed_at"]),
            computed_version=0 if s["computed_at"] else -1,
            **({name: s[name] for name in SUMMARY_FIELDS if name in s}
               if s["computed_at"] else {}))
        if s["stale"] and s["computed_at"]:
            mark_stale([clause.pk])
        GroupSummary.objects.bulk_create([
            GroupSummary(summary=summary, group=self.groups[g["group"]],
                         **{name: g[name] for name in GROUP_FIELDS})
            for g in s.get("groups") or []] if s["computed_at"] else [])


@transaction.atomic
def import_archive(*, actor, data: dict) -> Definition:
    """Restore a definition from its complete archive. Site admins only."""
    require_admin(actor)
    _check(data)
    restore = _Restore(data)
    try:
        restore.restore_users()
        restore.restore_definition()
        restore.restore_memberships()
        restore.restore_drafts()
        restore.restore_votes()
        restore.restore_comments()
        restore.restore_appeals()
        restore.restore_events()
        restore.restore_summaries()
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput(f"The archive is malformed: {error!r}.", field="archive") from None
    return restore.definition
