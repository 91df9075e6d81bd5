"""Build a believable demonstration process through the services; the script is `demo_data`.

Three drafts of one definition, about sixty members in four groups, votes with a fixed seed,
threaded comments, dispositions and acknowledgements. Everything goes through the services except
what no service does: creating accounts, and deleting the demo for `--reset`.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from definition import editing, memberships, services
from definition.models import Definition, Draft, Membership
from definition.selectors import list_clauses
from deliberation import tasks
from deliberation.consensus import opinions, recompute
from deliberation.demo import data
from deliberation.discussion import services as discussion_services
from deliberation.models import Comment, Disposition, Vote
from deliberation.votes import services as vote_services

POSITIONS = ("support", "accept", "abstain", "oppose")


@dataclass
class Demo:
    """What the script has built so far, by the names the script uses."""

    definition: Definition | None = None
    people: dict = field(default_factory=dict)
    voters: list = field(default_factory=list)  # (user, group slug) of verified members
    drafts: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(data.SEED))

    @property
    def facilitator(self):
        return self.people["facilitator"]


def demo_exists() -> bool:
    return Definition.objects.filter(slug=data.SLUG).exists()


def build_demo() -> Definition:
    """Play the whole script, then compute every draft's consensus and opinion groups once.

    Refuses to run over an existing demo or over existing demo accounts (ValueError)."""
    with tasks.recompute_deferred():
        definition = _play_script()
    for draft_id in definition.drafts.values_list("pk", flat=True):
        recompute.recompute(draft_id=draft_id)
        opinions.compute_opinion_groups(draft_id=draft_id)
    return definition


@transaction.atomic
def _play_script() -> Definition:
    if demo_exists():
        raise ValueError(f"The definition {data.SLUG!r} exists already.")
    taken = get_user_model().objects.filter(username__in=demo_usernames())
    if taken.exists():
        names = ", ".join(taken.values_list("username", flat=True))
        raise ValueError(f"Demo accounts exist already: {names}.")
    demo = Demo()
    _create_accounts(demo)
    _create_definition(demo)
    _enrol_members(demo)
    _run_first_draft(demo)
    for revision in data.REVISIONS:
        _run_revision(demo, revision)
    _record_dispositions(demo, data.REVISIONS[-1]["version"])
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
    # One hash for every account: hashing sixty passwords would take most of a minute.
    hashed = make_password(data.PASSWORD)
    User.objects.filter(username__in=demo_usernames()).update(password=hashed)


def _create_definition(demo: Demo) -> None:
    admin = demo.people["admin"]
    demo.definition = services.create_definition(
        actor=admin, slug=data.SLUG, title=data.TITLE, summary=data.SUMMARY)
    for username in ("facilitator", "facilitator2"):
        services.add_facilitator(actor=admin, definition=demo.definition, username=username)


def _apply(demo: Demo, name: str, group: str, index: int) -> Membership:
    affiliations, conflicts = data.AFFILIATIONS[group], data.CONFLICTS[group]
    return memberships.apply_membership(
        user=demo.people[name], definition=demo.definition, group_slug=group,
        affiliation=affiliations[index % len(affiliations)],
        conflict_of_interest=conflicts[index % len(conflicts)])


def _enrol_members(demo: Demo) -> None:
    facilitators = (demo.people["facilitator"], demo.people["facilitator2"])
    for n, (name, _, _, group) in enumerate(_roster()):
        index = int(name.split(":")[1])
        membership = _apply(demo, name, group, index)
        if name.startswith("applicant:"):
            if index == len(data.PENDING):
                memberships.reject_membership(actor=facilitators[0], membership=membership,
                                        reason=data.REJECTION_REASON)
            continue
        memberships.verify_membership(actor=facilitators[n % 2], membership=membership)
        demo.voters.append((demo.people[name], group))


# Drafts ----------------------------------------------------------------------------------------


def _add_clauses(demo: Demo, draft: Draft, rows) -> None:
    for key, parent, heading, body, kind in rows:
        editing.add_clause(actor=demo.facilitator, draft=draft, key=key, parent=parent,
                         heading=heading, body=body, kind=kind)


def _publish(demo: Demo, draft: Draft) -> Draft:
    closes_at = timezone.now() + timedelta(days=data.OPEN_DAYS)
    draft = services.publish_draft(actor=demo.facilitator, draft=draft, closes_at=closes_at)
    demo.drafts[draft.version] = draft
    return draft


def _run_first_draft(demo: Demo) -> None:
    draft = services.create_draft(actor=demo.facilitator, definition=demo.definition,
                               version="0.1", changelog=data.FIRST_CHANGELOG)
    _add_clauses(demo, draft, data.CLAUSES)
    _deliberate(demo, _publish(demo, draft))


def _run_revision(demo: Demo, revision: dict) -> None:
    """Make the next draft from the open one, edit it, answer the open one's comments, publish."""
    previous = list(demo.drafts.values())[-1]
    draft = services.create_draft(actor=demo.facilitator, definition=demo.definition,
                               version=revision["version"], based_on=previous,
                               changelog=revision["changelog"])
    for key, changes in revision["update"].items():
        editing.update_clause(actor=demo.facilitator, clause=draft.clauses.get(key=key),
                            changes=changes)
    for key in revision["delete"]:
        editing.delete_clause(actor=demo.facilitator, clause=draft.clauses.get(key=key))
    _add_clauses(demo, draft, revision["add"])
    demo.drafts[draft.version] = draft  # dispositions may point at it before it opens
    _record_dispositions(demo, previous.version)
    _deliberate(demo, _publish(demo, draft))


# Deliberation ----------------------------------------------------------------------------------


def _deliberate(demo: Demo, draft: Draft) -> None:
    clauses = [c for c in list_clauses(draft=draft) if c.body.strip()]
    for clause in clauses:
        clause.draft = draft
        _cast_random_votes(demo, clause)
    by_key = {c.key: c for c in clauses}
    for ref, person, key, position, rationale in data.SCRIPTED_VOTES.get(draft.version, ()):
        vote = vote_services.cast_vote(actor=demo.people[person], clause=by_key[key],
                                  position=position, rationale=rationale)
        demo.comments[ref] = Comment.objects.get(vote=vote)
    for ref, key, nth in data.NAMED_OBJECTIONS.get(draft.version, ()):
        objections = Comment.objects.filter(clause=by_key[key], kind=Comment.Kind.OBJECTION)
        demo.comments[ref] = objections.order_by("id")[nth]
    for spec in data.COMMENTS.get(draft.version, ()):
        _post(demo, by_key[spec["on"]], spec)


def _cast_random_votes(demo: Demo, clause) -> None:
    version = clause.draft.version
    name = data.VERSION_PROFILES.get((version, clause.key)) or data.CLAUSE_PROFILES.get(
        clause.key, "broad")
    profile = data.PROFILES[name]
    for user, group in demo.voters:
        chance, weights = profile.get(group) or profile["*"]
        if demo.rng.random() >= chance:
            continue
        position = demo.rng.choices(POSITIONS, weights)[0]
        rationale = ""
        if position == "oppose":
            reasons = data.OPPOSE_REASONS.get(clause.key, data.GENERIC_REASONS)
            rationale = demo.rng.choice(reasons)
        vote_services.cast_vote(actor=user, clause=clause, position=position, rationale=rationale)


def _post(demo: Demo, clause, spec: dict) -> None:
    comment = discussion_services.post_comment(
        actor=demo.people[spec["by"]], clause=clause, body=spec["body"],
        kind=spec.get("kind", "comment"), parent=demo.comments.get(spec.get("parent")),
        quote=spec.get("quote", ""), proposed_text=spec.get("proposed_text", ""))
    demo.comments[spec.get("ref", f"#{comment.pk}")] = comment
    for person in spec.get("endorsed_by", ()):
        discussion_services.endorse_comment(actor=demo.people[person], comment=comment)
    if "flagged_by" in spec:
        person, reason = spec["flagged_by"]
        discussion_services.flag_comment(actor=demo.people[person], comment=comment, reason=reason)
    if "hidden" in spec:
        reason, person = spec["hidden"]
        discussion_services.hide_comment(actor=demo.people[person], comment=comment, reason=reason)


def _record_dispositions(demo: Demo, version: str) -> None:
    facilitators = (demo.people["facilitator"], demo.people["facilitator2"])
    for n, (ref, status, response, addressed, ack) in enumerate(data.DISPOSITIONS[version]):
        comment = demo.comments[ref]
        discussion_services.record_disposition(
            actor=facilitators[n % 2], comment=comment, status=status, response=response,
            addressed_in=demo.drafts[addressed] if addressed else None)
        if ack is not None:
            discussion_services.acknowledge_disposition(actor=comment.author, comment=comment,
                                             satisfied=ack[0], note=ack[1])
