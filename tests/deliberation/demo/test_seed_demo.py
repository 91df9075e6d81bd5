"""`manage.py seed_demo`: the real OSAID drafts deliberated by invented people, built once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from accounts.models import User
from definition.markdown import parse_markdown
from definition.memberships import apply_membership, verify_membership
from definition.models import Clause, Definition, Draft, Event, Membership
from definition.selectors import list_clauses
from deliberation.consensus import recompute
from deliberation.demo import data
from deliberation.demo.seed import delete_demo
from deliberation.discussion import grouping
from deliberation.models import (
    ClauseSummary,
    Comment,
    Disposition,
    Endorsement,
    Flag,
    GroupSummary,
    Vote,
    with_pending_changes,
)
from deliberation.votes import services as vote_services

SLUG = "open-source-ai-definition"
FORM = "preferred-form-make"
DATA_INFORMATION = f"{FORM}-data-information"
USE = "open-source-ai-use"


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


def _approval(draft, key, group):
    return GroupSummary.objects.get(summary__clause__draft=draft, summary__clause__key=key,
                                    group__slug=group).approval


def test_it_imports_three_real_drafts_in_a_chain(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    assert definition.title == "Open Source AI Definition"
    assert [d.version for d in (first, second, third)] == ["0.0.8", "0.0.9", "1.0-RC1"]
    assert [d.status for d in (first, second, third)] == ["closed", "closed", "open"]
    assert (first.based_on, second.based_on, third.based_on) == (None, first, second)
    assert [d.clauses.count() for d in (first, second, third)] == [54, 22, 25]
    # key matching kept the clause across the three versions while its text changed
    bodies = [d.clauses.get(key=DATA_INFORMATION).body for d in (first, second, third)]
    assert len(set(bodies)) == 3 and "substantially equivalent system" in bodies[2]
    assert len({d.clauses.get(key=USE).body for d in (first, second, third)}) == 1


def test_the_texts_are_the_shipped_copies_with_their_attribution(demo):
    definition, _ = demo
    notice = (data.CORPUS / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in notice and "Open Source Initiative" in notice
    for draft in _drafts(definition):
        text = (data.CORPUS / f"osaid-{draft.version}.md").read_text(encoding="utf-8")
        assert "license: CC BY 4.0" in text
        parsed = [(c.heading, c.body) for c in parse_markdown(text).clauses]
        assert [(c.heading, c.body) for c in list_clauses(draft=draft)] == parsed


def test_the_open_draft_closes_weeks_from_now_and_the_others_closed_at_their_end(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    now = timezone.now()
    assert now + timedelta(days=20) < third.closes_at < now + timedelta(days=22)
    assert now - timedelta(days=22) < third.published_at < now - timedelta(days=20)
    for draft in (first, second):
        assert draft.published_at < draft.closes_at <= draft.closed_at
        assert draft.closed_at - draft.closes_at < timedelta(hours=1)
        assert draft.members_at_close is not None
    assert first.closed_at < second.published_at < second.closed_at < third.published_at


def test_it_verifies_about_seventy_members_in_four_groups(demo):
    definition, _ = demo
    verified = definition.memberships.filter(status=Membership.Status.VERIFIED)
    sizes = dict(verified.values_list("group__slug").annotate(n=Count("id")))
    assert sizes == {"developers": 22, "lawyers": 16, "legislators": 12, "companies": 17}
    assert not verified.filter(Q(affiliation="") | Q(conflict_of_interest="")).exists()
    assert len(set(verified.values_list("user__display_name", flat=True))) == 67
    assert definition.memberships.filter(status="pending").count() == 3
    assert definition.memberships.filter(status="rejected").count() == 1
    assert definition.memberships.filter(status="revoked").count() == 1
    assert verified.filter(user__username="member", group__slug="developers").exists()
    assert set(definition.facilitators.values_list("username", flat=True)) == {
        "facilitator", "facilitator2"}


def test_timestamps_spread_over_weeks_within_each_drafts_period(demo):
    definition, _ = demo
    votes = Vote.objects.filter(clause__draft__definition=definition)
    span = votes.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["last"] - span["first"] > timedelta(weeks=10)
    for draft in _drafts(definition):
        end = draft.closed_at or timezone.now()
        bounds = votes.filter(clause__draft=draft).aggregate(a=Min("created_at"),
                                                             b=Max("updated_at"))
        assert draft.published_at < bounds["a"] and bounds["b"] < end
        comments = Comment.objects.filter(clause__draft=draft).aggregate(
            a=Min("created_at"), b=Max("created_at"))
        assert draft.published_at < comments["a"] and comments["b"] < end
    history = Vote.history.filter(clause__draft__definition=definition)
    assert history.aggregate(a=Min("history_date"))["a"] == span["first"]
    for disposition in Disposition.objects.filter(comment__clause__draft__definition=definition):
        assert disposition.decided_at > disposition.comment.created_at
    assert Event.objects.filter(definition=definition).aggregate(
        a=Min("created_at"))["a"] < span["first"]


def test_changed_text_moves_the_groups_and_unchanged_text_keeps_them(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    # "Data information" was rewritten each time: lawyers and legislators come round
    for group in ("lawyers", "legislators"):
        assert _approval(first, DATA_INFORMATION, group) < _approval(third, DATA_INFORMATION,
                                                                     group)
    approvals = {g: _approval(third, DATA_INFORMATION, g)
                 for g in ("developers", "lawyers", "legislators", "companies")}
    assert min(approvals, key=approvals.get) == "developers"  # the open-data camp does not

    def kept(key):
        old = dict(Vote.objects.filter(clause__draft=first, clause__key=key)
                   .values_list("voter_id", "position"))
        both = Vote.objects.filter(clause__draft=second, clause__key=key, voter_id__in=old)
        return sum(old[v] == p for v, p in both.values_list("voter_id", "position")) / both.count()

    assert kept(USE) > 0.8  # the four freedoms stand unchanged
    assert kept(DATA_INFORMATION) < 0.6


def test_one_block_is_sustained_on_the_open_draft_after_one_overruled_and_one_resolved(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    sustained = _sustained_blocks(third)
    assert sustained.count() == 1
    assert sustained.get().clause.key == DATA_INFORMATION
    assert ClauseSummary.objects.get(clause=sustained.get().clause).level == "blocked"
    overruled = Disposition.objects.get(status="overruled")
    assert overruled.comment.clause.draft == second
    assert overruled.comment.clause.key == DATA_INFORMATION
    assert overruled.comment.author == sustained.get().voter  # the same person objects again
    resolved = Disposition.objects.get(comment__vote__position="block", status="resolved")
    assert (resolved.comment.clause.draft, resolved.addressed_in) == (first, second)
    assert not _sustained_blocks(first).exists() and not _sustained_blocks(second).exists()
    assert Event.objects.filter(definition=definition, kind="block-overruled").count() == 1


def test_it_records_dispositions_and_acknowledgements(demo):
    definition, _ = demo
    first, second, third = _drafts(definition)
    dispositions = Disposition.objects.filter(comment__clause__draft__definition=definition)
    assert dispositions.count() == 19
    statuses = set(dispositions.values_list("status", flat=True))
    assert {"accepted", "declined", "deferred", "duplicate", "overruled", "resolved",
            "partially-accepted", "out-of-scope"} <= statuses
    assert dispositions.filter(status="accepted", comment__clause__draft=second,
                               comment__kind="suggestion", addressed_in=third).exists()
    assert dispositions.filter(acknowledged_satisfied=True).exists()
    assert dispositions.filter(acknowledged_satisfied=False).exclude(
        acknowledgement_note="").exists()


def test_it_posts_threads_quotes_suggestions_and_moderation(demo):
    definition, _ = demo
    comments = Comment.objects.filter(clause__draft__definition=definition)
    assert comments.exclude(kind="objection").count() == 27
    assert comments.filter(parent__parent__isnull=False).exists()  # replies to replies
    quoted = comments.exclude(quote="")
    assert quoted.count() >= 5
    assert all(c.quote in c.clause.body or c.quote in c.clause.heading for c in quoted)
    suggestions = comments.filter(kind="suggestion").exclude(proposed_text="")
    assert suggestions.count() == 4
    assert Endorsement.objects.filter(comment__in=suggestions).count() >= 15
    hidden = comments.get(hidden=True)
    assert hidden.hidden_reason and hidden.hidden_by.username == "facilitator2"
    assert Flag.objects.filter(comment__in=comments, resolved=False).count() == 1
    assert comments.filter(author_verified=False, kind="comment").exists()


def test_every_summary_is_fresh_after_seeding(demo):
    definition, _ = demo
    assert recompute.stale_clause_ids() == {}
    summaries = with_pending_changes(ClauseSummary.objects.filter(
        draft__definition=definition).select_related("draft__definition"))
    assert summaries.count() == 54 + 22 + 25
    assert not [s.clause_id for s in summaries if s.stale or s.computed_at is None]


def test_the_desk_finds_the_similar_objections_grouped_after_seeding(demo):
    definition, _ = demo
    clauses = Clause.objects.filter(draft__definition=definition).values_list("pk", flat=True)
    assert grouping.stale_clause_ids(clauses) == []  # without a worker nothing else would group
    grouped = Comment.objects.filter(clause__draft__definition=definition,
                                     similar_lead__isnull=False)
    assert grouped.exists() and all(c.similar_lead.clause_id == c.clause_id for c in grouped)


def test_verifying_a_member_after_seeding_keeps_every_summary_fresh(
    demo, django_capture_on_commit_callbacks
):
    definition, _ = demo
    facilitator = User.objects.get(username="facilitator")
    pending = definition.memberships.filter(status="pending").first()
    with django_capture_on_commit_callbacks(execute=True):
        verify_membership(actor=facilitator, membership=pending)
    assert recompute.stale_clause_ids() == {}
    newcomer = apply_membership(user=User.objects.create_user("newcomer"), definition=definition,
                                group_slug="lawyers", affiliation="Example Org")
    verify_membership(actor=facilitator, membership=newcomer)  # no commit: nothing refreshed
    stale = recompute.stale_clause_ids()
    assert list(stale) == [_drafts(definition)[2].pk]  # the open draft only, until refreshed


def test_member_can_vote_on_the_open_draft(demo):
    definition, _ = demo
    member = User.objects.get(username="member")
    clause = _drafts(definition)[2].clauses.get(key=DATA_INFORMATION)
    assert not Vote.objects.filter(voter=member, clause=clause).exists()
    vote = vote_services.cast_vote(actor=member, clause=clause, position="accept")
    assert vote.group.slug == "developers"


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
