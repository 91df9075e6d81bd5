"""Build a believable demonstration process through the services; the script is `demo_data`.

The real OSAID drafts 0.0.8, 0.0.9 and 1.0-RC1, imported one from the other with key matching;
about seventy invented members in four groups; twelve weeks of votes, threaded comments,
dispositions and acknowledgements. Where a clause's text changed, its voters weigh it afresh;
where it did not, most keep their position. Everything goes through the services, on a simulated
clock (every timestamp is the day the script says), except what no service does: creating
accounts, and deleting the demo for `--reset`.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from definition import memberships
from definition import services as texts
from definition.models import Definition, Draft, Membership
from definition.selectors import list_clauses
from deliberation import tasks
from deliberation.consensus import opinions, recompute
from deliberation.demo import data
from deliberation.discussion import grouping
from deliberation.discussion import services as discussion_services
from deliberation.models import Comment, Disposition, Vote
from deliberation.votes import services as vote_services

POSITIONS = ("support", "accept", "abstain", "oppose")


@dataclass
class Demo:
    """What the script has built so far, by the names the script uses."""

    start: datetime
    definition: Definition | None = None
    people: dict = field(default_factory=dict)
    joined: dict = field(default_factory=dict)  # name -> day verified
    drafts: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)  # (name, clause key) -> last position
    rng: random.Random = field(default_factory=lambda: random.Random(data.SEED))
    now: datetime | None = None

    @property
    def facilitator(self):
        return self.people["facilitator"]

    def at(self, day: float) -> None:
        """Move the simulated clock to `day` days after the start of the process."""
        self.now = self.start + timedelta(days=day)

    def day(self, moment: datetime) -> float:
        return (moment - self.start) / timedelta(days=1)


@contextmanager
def _simulated_clock(demo: Demo) -> Iterator[None]:
    """Every `timezone.now()` (services, auto_now fields, history rows) reads the script's clock.

    The seed runs alone in its process (a management command, or a test's setup)."""
    real = timezone.now
    timezone.now = lambda: demo.now or real()
    try:
        yield
    finally:
        timezone.now = real


def demo_exists() -> bool:
    return Definition.objects.filter(slug=data.SLUG).exists()


def build_demo() -> Definition:
    """Play the whole script, then compute every draft's consensus, opinion groups and grouping
    of similar comments (the desk's) once.

    Refuses to run over an existing demo or over existing demo accounts (ValueError)."""
    with tasks.recompute_deferred():
        definition = _play_script()
    for draft_id in definition.drafts.values_list("pk", flat=True):
        recompute.recompute(draft_id=draft_id)
        opinions.compute_opinion_groups(draft_id=draft_id)
        grouping.regroup_stale(draft_id=draft_id)
    return definition


def _start() -> datetime:
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    return today - timedelta(days=data.DAYS)


@transaction.atomic
def _play_script() -> Definition:
    if demo_exists():
        raise ValueError(f"The definition {data.SLUG!r} exists already.")
    taken = get_user_model().objects.filter(username__in=demo_usernames())
    if taken.exists():
        names = ", ".join(taken.values_list("username", flat=True))
        raise ValueError(f"Demo accounts exist already: {names}.")
    demo = Demo(start=_start())
    with _simulated_clock(demo):
        demo.at(0)
        _create_accounts(demo)
        _create_definition(demo)
        previous = None
        for spec in data.DRAFTS:
            previous = _run_draft(demo, spec, previous)
        _record_dispositions(demo, previous.version)
        _revoke(demo)
        _late_applications(demo)
    return demo.definition


@transaction.atomic
def delete_demo() -> None:
    """Remove the demo definition and the demo accounts (a reset; no service deletes these)."""
    definition = Definition.objects.filter(slug=data.SLUG).first()
    if definition is not None:
        comments = Comment.objects.filter(clause__draft__definition=definition)
        comments.update(parent=None)  # replies protect their parents from deletion
        comments.delete()
        Vote.objects.filter(clause__draft__definition=definition).delete()
        definition.drafts.update(based_on=None)
        definition.memberships.all().delete()
        definition.delete()
    get_user_model().objects.filter(username__in=demo_usernames()).delete()


def demo_counts(definition: Definition) -> dict[str, int]:
    in_definition = {"clause__draft__definition": definition}
    return {
        "members": definition.memberships.filter(status=Membership.Status.VERIFIED).count(),
        "drafts": definition.drafts.count(),
        "clauses": sum(d.clauses.count() for d in definition.drafts.all()),
        "votes": Vote.objects.filter(**in_definition).count(),
        "comments": Comment.objects.filter(**in_definition).count(),
        "dispositions": Disposition.objects.filter(comment__clause__draft__definition=definition)
        .count(),
    }


# People ----------------------------------------------------------------------------------------


def _person_name(n: int) -> tuple[str, str]:
    first = data.FIRST_NAMES[n % len(data.FIRST_NAMES)]
    last = data.LAST_NAMES[n % len(data.LAST_NAMES)]  # coprime lengths: no name repeats
    return f"{first}.{last}".lower(), f"{first} {last}"


def _roster() -> list[tuple[str, str, str, str]]:
    """(name in the script, username, display name, group slug) of members and applicants."""
    rows, n = [], 0
    for group, size in data.GROUP_SIZES.items():
        for index in range(size):
            username, display = _person_name(n)
            rows.append((f"{group}:{index}", username, display, group))
            n += 1
    for index, (group, _) in enumerate((*data.PENDING, data.REJECTED)):
        username, display = _person_name(n)
        rows.append((f"applicant:{index}", username, display, group))
        n += 1
    rows[0] = ("developers:0", "member", rows[0][2], "developers")
    return rows


def demo_username(name: str) -> str:
    """The username of a person the script names, e.g. `lawyers:0`."""
    return next(row[1] for row in _roster() if row[0] == name)


def demo_usernames() -> list[str]:
    return [row[0] for row in data.STAFF] + [row[1] for row in _roster()]


def _create_accounts(demo: Demo) -> None:
    User = get_user_model()
    for username, display, superuser in data.STAFF:
        demo.people[username] = User.objects.create_user(
            username, f"{username}@demo.example", None, display_name=display,
            is_superuser=superuser, is_staff=superuser)
    for name, username, display, _ in _roster():
        demo.people[name] = User.objects.create_user(
            username, f"{username}@demo.example", None, display_name=display)
    demo.people["member"] = demo.people["developers:0"]
    # One hash for every account: hashing seventy passwords would take most of a minute.
    hashed = make_password(data.PASSWORD)
    User.objects.filter(username__in=demo_usernames()).update(password=hashed)


def _create_definition(demo: Demo) -> None:
    admin = demo.people["admin"]
    demo.definition = texts.create_definition(
        actor=admin, slug=data.SLUG, title=data.TITLE, summary=data.SUMMARY)
    for username in ("facilitator", "facilitator2"):
        texts.add_facilitator(actor=admin, definition=demo.definition, username=username)


def _apply(demo: Demo, name: str, group: str, index: int) -> Membership:
    affiliations, conflicts = data.AFFILIATIONS[group], data.CONFLICTS[group]
    return memberships.apply_membership(
        user=demo.people[name], definition=demo.definition, group_slug=group,
        affiliation=affiliations[index % len(affiliations)],
        conflict_of_interest=conflicts[index % len(conflicts)])


def _join_day(group: str, index: int) -> float:
    """Most members join in the first week; the last of each group while 0.0.9 is open."""
    if index >= data.GROUP_SIZES[group] - data.LATE_JOINERS:
        return 33 + (index * 5) % 8 + 0.4
    return 1 + (index * 7) % 5 + 0.3


def _enrol(demo: Demo, before_day: float) -> None:
    """Members whose join day is before `before_day` apply and are verified a day later."""
    facilitators = (demo.people["facilitator"], demo.people["facilitator2"])
    for n, (name, _, _, group) in enumerate(_roster()):
        if name.startswith("applicant:") or name in demo.joined:
            continue
        index = int(name.split(":")[1])
        day = _join_day(group, index)
        if day >= before_day:
            continue
        demo.at(day - 1)
        membership = _apply(demo, name, group, index)
        demo.at(day)
        memberships.verify_membership(actor=facilitators[n % 2], membership=membership)
        demo.joined[name] = day


def _revoke(demo: Demo) -> None:
    name, day, reason = data.REVOKED
    demo.at(day)
    membership = Membership.objects.get(user=demo.people[name], definition=demo.definition)
    memberships.revoke_membership(actor=demo.facilitator, membership=membership, reason=reason)


def _late_applications(demo: Demo) -> None:
    """Three applications wait for a decision; one was rejected early on."""
    for index, (group, day) in enumerate(data.PENDING):
        demo.at(day)
        _apply(demo, f"applicant:{index}", group, index)
    group, day = data.REJECTED
    demo.at(day)
    membership = _apply(demo, f"applicant:{len(data.PENDING)}", group, 0)
    demo.at(day + 1)
    memberships.reject_membership(actor=demo.facilitator, membership=membership,
                            reason=data.REJECTION_REASON)


# Drafts ----------------------------------------------------------------------------------------


def _run_draft(demo: Demo, spec: tuple, previous: Draft | None) -> Draft:
    """Import the draft from the corpus copy (keys matched to the previous one), answer the
    previous draft's comments, publish (which closes nothing: the period ended), deliberate."""
    filename, version, imported, published, ends, changelog = spec
    demo.at(imported)
    markdown = (data.CORPUS / filename).read_text(encoding="utf-8")
    draft, _ = texts.import_draft(actor=demo.facilitator, definition=demo.definition,
                                  version=version, markdown=markdown, based_on=previous,
                                  changelog=changelog)
    demo.drafts[version] = draft  # dispositions may point at it before it opens
    if previous is not None:
        _record_dispositions(demo, previous.version)
    _enrol(demo, before_day=(ends or data.DAYS) - 5)
    demo.at(published)
    # The open draft's period ends at 17:00, CLOSES_IN_DAYS after the day the seed runs.
    ends_at = ends if ends is not None else data.DAYS + data.CLOSES_IN_DAYS + 8 / 24
    closes_at = demo.start + timedelta(days=ends_at)
    draft = texts.publish_draft(actor=demo.facilitator, draft=draft, closes_at=closes_at)
    demo.drafts[version] = draft
    _deliberate(demo, draft, previous, window=(published + 1, (ends or data.DAYS) - 0.5))
    if ends is not None:
        demo.at(ends + 0.01)
        texts.close_expired_drafts()
    return draft


def _text(clause) -> str:
    return " ".join(f"{clause.heading} {clause.body}".split())


def _deliberate(demo: Demo, draft: Draft, previous: Draft | None, window: tuple) -> None:
    clauses = [c for c in list_clauses(draft=draft) if c.body.strip()]
    before = ({c.key: _text(c) for c in list_clauses(draft=previous)}
              if previous is not None else {})
    by_key = {}
    for clause in clauses:
        clause.draft = draft
        by_key[clause.key] = clause
        _cast_random_votes(demo, clause, unchanged=before.get(clause.key) == _text(clause),
                           window=window)
    aliases = {alias: by_key.get(key) for alias, key in data.KEYS.items()}
    for ref, day, person, alias, position, rationale in data.SCRIPTED_VOTES.get(draft.version, ()):
        demo.at(day)
        vote = vote_services.cast_vote(actor=demo.people[person], clause=aliases[alias],
                                  position=position, rationale=rationale)
        demo.comments[ref] = Comment.objects.filter(vote=vote).first()
    for ref, alias, nth in data.NAMED_OBJECTIONS.get(draft.version, ()):
        objections = Comment.objects.filter(clause=aliases[alias], kind=Comment.Kind.OBJECTION)
        demo.comments[ref] = objections.order_by("created_at", "id")[nth]
    for n, spec in enumerate(data.COMMENTS.get(draft.version, ())):
        demo.at(spec["day"] + 0.1 + (n % 8) / 24)
        _post(demo, aliases[spec["on"]], spec)


def _profile(version: str, key: str) -> dict:
    alias = next((a for a, k in data.KEYS.items() if k == key), None)
    return data.PROFILES[data.PLAN[version].get(alias, data.DEFAULT_PROFILE)]


def _voters(demo: Demo, draft: Draft, window: tuple) -> Iterator[tuple[str, str, float]]:
    """(name, group, earliest day) of the members who may vote in the window."""
    open_now = draft.closes_at > demo.start + timedelta(days=data.DAYS)
    for name, _, _, group in _roster():
        joined = demo.joined.get(name)
        if joined is None or joined + 1 >= window[1] or (open_now and name == "developers:0"):
            continue  # `member` has the open draft to vote on
        yield name, group, max(window[0], joined + 1)


def _cast_random_votes(demo: Demo, clause, *, unchanged: bool, window: tuple) -> None:
    draft = clause.draft
    profile = _profile(draft.version, clause.key)
    open_now = draft.closes_at > demo.start + timedelta(days=data.DAYS)
    revoked, revoked_day, _ = data.REVOKED
    for name, group, earliest in _voters(demo, draft, window):
        chance, weights = profile.get(group) or profile["*"]
        last = demo.positions.get((name, clause.key))
        chance = data.RETURN if last else chance
        if demo.rng.random() >= chance * (data.OPEN_TURNOUT if open_now else 1):
            continue
        position = demo.rng.choices(POSITIONS, weights)[0]
        if last and unchanged and demo.rng.random() < data.STICK:
            position = last
        rationale = ""
        if position == "oppose":
            alias = next((a for a, k in data.KEYS.items() if k == clause.key), "")
            reasons = (data.OPPOSE_REASONS.get(f"{alias}@{draft.version}")
                       or data.OPPOSE_REASONS.get(alias, data.GENERIC_REASONS))
            rationale = demo.rng.choice(reasons)
        latest = min(window[1], revoked_day - 0.1) if name == revoked else window[1]
        demo.at(demo.rng.uniform(earliest, latest))
        vote_services.cast_vote(actor=demo.people[name], clause=clause, position=position,
                           rationale=rationale)
        demo.positions[(name, clause.key)] = position


def _post(demo: Demo, clause, spec: dict) -> None:
    comment = discussion_services.post_comment(
        actor=demo.people[spec["by"]], clause=clause, body=spec["body"],
        kind=spec.get("kind", "comment"), parent=demo.comments.get(spec.get("parent")),
        quote=spec.get("quote", ""), proposed_text=spec.get("proposed_text", ""))
    demo.comments[spec.get("ref", f"#{comment.pk}")] = comment
    for n, person in enumerate(spec.get("endorsed_by", ())):
        demo.at(spec["day"] + 0.5 + n / 4)
        discussion_services.endorse_comment(actor=demo.people[person], comment=comment)
    if "flagged_by" in spec:
        person, reason = spec["flagged_by"]
        demo.at(spec["day"] + 0.3)
        discussion_services.flag_comment(actor=demo.people[person], comment=comment, reason=reason)
    if "hidden" in spec:
        reason, person = spec["hidden"]
        demo.at(spec["day"] + 0.6)
        discussion_services.hide_comment(actor=demo.people[person], comment=comment, reason=reason)


def _record_dispositions(demo: Demo, version: str) -> None:
    facilitators = (demo.people["facilitator"], demo.people["facilitator2"])
    for n, (ref, day, status, response, addressed, ack) in enumerate(data.DISPOSITIONS[version]):
        comment = demo.comments[ref]
        # an objection of a random vote may come later than the script's day: answer it after
        day = max(day + 0.2 + n / 24, demo.day(comment.created_at) + 0.3)
        demo.at(day)
        duplicate_of = data.DUPLICATE_OF.get(ref)
        discussion_services.record_disposition(
            actor=facilitators[n % 2], comment=comment, status=status, response=response,
            addressed_in=demo.drafts[addressed] if addressed else None,
            duplicate_of=demo.comments[duplicate_of] if duplicate_of else None)
        if ack is not None:
            ack_day, satisfied, note = ack
            demo.at(max(ack_day + 0.4, day + 0.2))
            discussion_services.acknowledge_disposition(actor=comment.author, comment=comment,
                                             satisfied=satisfied, note=note)
