"""`manage.py seed_demo`: a believable demo process, built once, through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from accounts.models import User
from definition.models import Clause, Definition, Draft, Event, Membership
from deliberation.demo.seed import delete_demo
from deliberation.models import Comment, Disposition, Endorsement, Flag, Vote

SLUG = "demo-definition"


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Built once for the module (a build takes seconds), committed, and removed afterwards."""
    with django_db_blocker.unblock():
        output = seed()
    yield output
    with django_db_blocker.unblock():
        delete_demo()


@pytest.fixture
def demo(seeded, db):
    return Definition.objects.get(slug=SLUG), seeded


def _drafts(definition) -> list[Draft]:
    return list(definition.drafts.order_by("created_at", "id"))


def _sustained_blocks(draft):
    ending = Disposition.objects.filter(status__in=["resolved", "overruled"])
    return Vote.objects.filter(clause__draft=draft, position="block").exclude(
        objection__disposition__in=ending)


def test_it_builds_three_drafts_in_a_chain(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    assert [d.version for d in (first, second, third)] == ["0.1", "0.2", "0.3"]
    assert [d.status for d in (first, second, third)] == ["closed", "closed", "open"]
    assert (first.based_on, second.based_on, third.based_on) == (None, first, second)
    assert third.closes_at > third.published_at
    for draft in (first, second, third):
        assert 12 <= draft.clauses.count() <= 20


def test_it_records_renames_additions_and_removals_between_drafts(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    assert second.clauses.get(key="credit").derived_from == ["attribution"]
    assert third.clauses.get(key="any-purpose").derived_from == ["no-discrimination"]
    assert not second.clauses.filter(key="scope").exists()
    assert second.clauses.filter(key="provenance").exists()
    assert not first.clauses.filter(key="provenance").exists()
    changed = second.clauses.get(key="open-data").body
    assert changed != first.clauses.get(key="open-data").body


def test_it_verifies_about_sixty_members_in_four_groups(demo):
    definition, _ = demo
    verified = definition.memberships.filter(status=Membership.Status.VERIFIED)
    assert verified.count() >= 55
    sizes = dict(verified.values_list("group__slug").annotate(n=Count("id")))
    assert sizes == {"developers": 24, "lawyers": 14, "legislators": 8, "companies": 14}
    assert not verified.filter(Q(affiliation="") | Q(conflict_of_interest="")).exists()
    assert definition.memberships.filter(status="pending").count() == 3
    assert definition.memberships.filter(status="rejected").count() == 1
    assert verified.filter(user__username="member", group__slug="developers").exists()
    assert set(definition.facilitators.values_list("username", flat=True)) == {
        "facilitator", "facilitator2"}


def test_every_group_votes_and_some_members_object(demo):
    definition, _ = demo
    votes = Vote.objects.filter(clause__draft__definition=definition)
    assert set(votes.values_list("group__slug", flat=True)) == {
        "developers", "lawyers", "legislators", "companies"}
    for draft in _drafts(definition):
        assert votes.filter(clause__draft=draft).count() > 100
    assert votes.filter(position="oppose").exclude(rationale="").count() >= 10
    assert Comment.objects.filter(clause__draft__definition=definition, kind="objection",
                                  vote__position="oppose").exists()


def test_exactly_one_block_is_sustained_on_the_open_draft(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    sustained = _sustained_blocks(third)
    assert sustained.count() == 1
    assert sustained.get().clause.key == "preferred-form-data"
    overruled = Disposition.objects.get(status="overruled")
    assert overruled.comment.clause.draft == second
    assert overruled.comment.vote.position == "block"
    assert Event.objects.filter(definition=definition, kind="block-overruled").count() == 1


def test_it_records_dispositions_and_acknowledgements(demo):
    definition, _ = demo
    first, second, _ = _drafts(definition)
    dispositions = Disposition.objects.filter(comment__clause__draft__definition=definition)
    statuses = set(dispositions.values_list("status", flat=True))
    assert {"accepted", "declined", "deferred", "duplicate", "overruled", "resolved"} <= statuses
    assert dispositions.filter(status="accepted", comment__clause__draft=first,
                               addressed_in=second).exists()
    assert dispositions.filter(acknowledged_satisfied=True).exists()
    assert dispositions.filter(acknowledged_satisfied=False).exclude(
        acknowledgement_note="").exists()


def test_it_posts_threads_quotes_suggestions_and_moderation(demo):
    definition, _ = demo
    comments = Comment.objects.filter(clause__draft__definition=definition)
    assert comments.filter(parent__parent__isnull=False).exists()  # replies to replies
    quoted = comments.exclude(quote="")
    assert quoted.exists()
    assert all(c.quote in c.clause.body or c.quote in c.clause.heading for c in quoted)
    suggestions = comments.filter(kind="suggestion").exclude(proposed_text="")
    assert suggestions.count() >= 3
    assert Endorsement.objects.filter(comment__in=suggestions).count() >= 10
    hidden = comments.get(hidden=True)
    assert hidden.hidden_reason and hidden.hidden_by.username == "facilitator2"
    assert Flag.objects.filter(comment__in=comments, resolved=False).count() == 1
    assert comments.filter(author_verified=False, kind="comment").exists()


def test_it_prints_the_counts_and_the_accounts(demo, settings):
    _, output = demo
    # The module fixture seeded before conftest switched the hashers to MD5 for this test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for word in ("members", "drafts", "clauses", "votes", "comments", "dispositions",
                 "concord-demo", "admin", "facilitator2", "member"):
        assert word in output
    assert User.objects.get(username="member").check_password("concord-demo")


def _snapshot() -> tuple:
    return (User.objects.count(), Draft.objects.count(), Clause.objects.count(),
            Vote.objects.count(), Comment.objects.count(), Disposition.objects.count(),
            Event.objects.count(), Membership.objects.count())


def test_running_it_again_changes_nothing(demo):
    before = _snapshot()
    output = seed()
    assert "exists already" in output
    assert _snapshot() == before


def test_reset_rebuilds_the_same_demo(demo):
    definition, _ = demo
    before = _snapshot()
    votes = sorted(Vote.objects.values_list("voter__username", "clause__key", "position"))
    seed("--reset")
    assert not Definition.objects.filter(pk=definition.pk).exists()
    assert _snapshot()[:6] == before[:6]
    assert sorted(Vote.objects.values_list("voter__username", "clause__key", "position")) == votes
