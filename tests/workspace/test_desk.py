"""The facilitator desk's summary, and dismissing flags."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, NotAllowed
from definition.models import Event, Membership
from definition.services import publish_draft
from deliberation.discussion import grouping, similarity
from deliberation.discussion.grouping import regroup_stale
from deliberation.discussion.services import (
    endorse_comment,
    flag_comment,
    hide_comment,
    post_comment,
    record_disposition,
    resolve_flags,
)
from deliberation.models import ClauseSummary, Comment, Flag
from deliberation.votes.services import cast_vote
from tests.factories import MembershipFactory, UserFactory
from workspace import desk as desk_module
from workspace.desk import (
    MEMBERS_SHOWN,
    PER_PAGE,
    SORTS,
    DeskQuery,
    get_desk,
    parse_desk_query,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(definition, facilitator, members, published_draft, user):
    why, freedoms = (published_draft.clauses.get(key=k) for k in ("why", "freedoms"))
    MembershipFactory(user=UserFactory(username="applicant"), definition=definition,
                      status=Membership.Status.PENDING, affiliation="ACME",
                      conflict_of_interest="I sell models.")
    answered = post_comment(actor=members["lawyers-1"], clause=freedoms, body="Answered.")
    record_disposition(actor=facilitator, comment=answered, status="declined", response="No.")
    open_comment = post_comment(actor=members["lawyers-2"], clause=freedoms, body="Open.")
    post_comment(actor=members["developers-1"], clause=freedoms, body="Reply.",
                 parent=open_comment)
    block = cast_vote(actor=members["companies-1"], clause=why, position="block",
                      rationale="No.").objection
    overruled = cast_vote(actor=members["companies-2"], clause=freedoms, position="block",
                          rationale="No!").objection
    record_disposition(actor=facilitator, comment=overruled, status="overruled",
                       response="Rough consensus.")
    flag_comment(actor=user, comment=open_comment, reason="Rude.")
    return {"open": open_comment, "block": block, "answered": answered}


def desk(definition, now=None, **query):
    return get_desk(definition=definition, query=DeskQuery(**query), now=now)


def ids(page) -> list[list[int]]:
    return [item.ids if hasattr(item, "ids") else [item.pk] for item in page.items]


def test_the_desk_counts_every_queue(definition, busy, published_draft):
    page = desk(definition, now=published_draft.closes_at - timedelta(hours=30))

    assert page.open_draft == published_draft and page.scope == published_draft
    assert page.days_left == 2
    assert page.counts == {"comments": 2, "objections": 1, "suggestions": 0, "members": 1,
                           "flags": 1, "appeals": 0, "hidden": 0}
    assert ids(page) == [[busy["open"].pk], [busy["block"].pk]]


def test_each_queue_lists_its_items(definition, busy):
    members = desk(definition, queue="members")
    assert [(m.user.username, m.affiliation, m.conflict_of_interest)
            for m in members.items] == [("applicant", "ACME", "I sell models.")]
    assert ids(desk(definition, queue="objections")) == [[busy["block"].pk]]
    flags = desk(definition, queue="flags")
    assert [(c.pk, [f.reason for f in c.open_flags]) for c in flags.items] == [
        (busy["open"].pk, ["Rude."])]


def test_a_declined_block_stays_in_the_objections_queue(definition, busy, facilitator):
    record_disposition(actor=facilitator, comment=busy["block"], status="declined",
                       response="No.")
    assert ids(desk(definition, queue="objections")) == [[busy["block"].pk]]
    assert ids(desk(definition)) == [[busy["open"].pk]]


def test_the_desk_counts_clauses_per_stored_level(definition, busy, published_draft):
    for key, level in (("why", "blocked"), ("freedoms", "contested")):
        ClauseSummary.objects.update_or_create(
            clause=published_draft.clauses.get(key=key), draft=published_draft,
            defaults={"level": level})
    assert desk(definition).levels == {"blocked": 1, "contested": 1}


def test_the_desk_without_an_open_draft(definition, editing_draft):
    page = desk(definition)
    assert (page.open_draft, page.scope, page.days_left, page.levels, page.items) == (
        None, None, None, {}, [])


def test_days_left_round_up_and_stop_at_zero(definition, published_draft):
    closes = published_draft.closes_at
    assert desk(definition, now=closes - timedelta(hours=1)).days_left == 1
    assert desk(definition, now=closes + timedelta(hours=1)).days_left == 0


TEXT = "The definition must require the training data to be open."


@pytest.fixture
def similar(members, published_draft, django_capture_on_commit_callbacks):
    """Three similar comments on freedoms, the same text on why, another on freedoms; grouped
    as they are after their commits (the regrouping runs on commit)."""
    freedoms, why = (published_draft.clauses.get(key=k) for k in ("freedoms", "why"))
    with django_capture_on_commit_callbacks(execute=True):
        same = [post_comment(actor=members[name], clause=freedoms, body=TEXT + suffix)
                for name, suffix in (("lawyers-1", ""), ("developers-1", " Really."),
                                     ("companies-1", " We agree."))]
        elsewhere = post_comment(actor=members["lawyers-2"], clause=why, body=TEXT)
        other = post_comment(actor=members["lawyers-2"], clause=freedoms,
                             body="Typo in line two.")
    return {"same": same, "elsewhere": elsewhere, "other": other}


def test_similar_comments_on_one_clause_are_one_item(definition, similar):
    page = desk(definition)

    assert ids(page) == [[c.pk for c in similar["same"]], [similar["elsewhere"].pk],
                         [similar["other"].pk]]
    assert page.items[0].groups == 3 and page.counts["comments"] == 5
    assert [c.pk for c in page.items[0].members] == [c.pk for c in similar["same"]]


def test_a_comment_not_grouped_yet_is_an_item_of_its_own(definition, members, similar,
                                                          published_draft):
    freedoms = published_draft.clauses.get(key="freedoms")
    late = post_comment(actor=members["legislators-1"], clause=freedoms, body=TEXT)  # no commit

    page = desk(definition)

    assert ids(page) == [[c.pk for c in similar["same"]], [similar["elsewhere"].pk],
                         [similar["other"].pk], [late.pk]]
    assert page.pager.count == 4 and page.counts["comments"] == 6
    regroup_stale(draft_id=published_draft.pk)
    assert ids(desk(definition))[0] == [*(c.pk for c in similar["same"]), late.pk]


def test_a_disposed_lead_leaves_its_group_even_before_the_regrouping(definition, facilitator,
                                                                     similar):
    lead, *others = similar["same"]
    record_disposition(actor=facilitator, comment=lead, status="declined", response="No.")

    page = desk(definition)
    assert ids(page)[0] == [c.pk for c in others] and page.items[0].lead == others[0]
    assert page.counts["comments"] == 4


def test_sorting_by_support_puts_what_most_groups_raise_first(
        definition, members, published_draft, django_capture_on_commit_callbacks):
    freedoms = published_draft.clauses.get(key="freedoms")
    lone = post_comment(actor=members["lawyers-1"], clause=freedoms, body="Typo in line two.")
    with django_capture_on_commit_callbacks(execute=True):
        raised = [post_comment(actor=members[name], clause=freedoms, body=TEXT)
                  for name in ("developers-1", "companies-1")]
    assert ids(desk(definition))[0] == [lone.pk]
    assert ids(desk(definition, sort="support"))[0] == [c.pk for c in raised]


def test_the_filters_narrow_the_queue(definition, members, published_draft):
    why, freedoms = (published_draft.clauses.get(key=k) for k in ("why", "freedoms"))
    old = post_comment(actor=members["lawyers-1"], clause=why, body="Old point.", kind="question")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    new = post_comment(actor=members["developers-1"], clause=freedoms, body="New point.")

    assert ids(desk(definition, clause="why")) == [[old.pk]]
    assert ids(desk(definition, kind="comment")) == [[new.pk]]
    assert ids(desk(definition, group="developers")) == [[new.pk]]
    assert ids(desk(definition, age=7)) == [[old.pk]]
    assert [key for key, _ in desk(definition).clause_options] == ["why", "freedoms"]


def test_the_open_draft_is_the_default_scope(definition, members, published_draft, facilitator,
                                             next_draft):
    post_comment(actor=members["lawyers-1"], clause=published_draft.clauses.get(key="why"),
                 body="On 0.0.8.")
    publish_draft(actor=facilitator, draft=next_draft,
                  closes_at=timezone.now() + timedelta(days=5))
    assert desk(definition).items == [] and desk(definition).scope == next_draft
    assert len(desk(definition, draft="all").items) == 1
    assert len(desk(definition, draft="0.0.8").items) == 1


def test_queues_are_paginated(definition, members, published_draft):
    why = published_draft.clauses.get(key="why")
    Comment.objects.bulk_create([Comment(clause=why, author=members["lawyers-1"],
                                         body=f"Point number {i} about topic{i}.")
                                 for i in range(PER_PAGE + 5)])
    first, second = desk(definition), desk(definition, page=2)
    assert (len(first.items), len(second.items)) == (PER_PAGE, 5)
    assert (first.pager.pages, first.pager.next, second.pager.previous) == (2, 2, 1)
    assert desk(definition, page=99).pager.number == 2


def test_parsing_the_query_falls_back_to_defaults():
    query = parse_desk_query({"queue": "nope", "age": "5", "sort": "x", "page": "-1",
                              "kind": "objection"})
    assert query == DeskQuery(kind="objection")
    assert parse_desk_query({"queue": "appeals", "age": "14", "page": "3"}) == DeskQuery(
        queue="appeals", age=14, page=3)


def _grow(definition, members, draft, facilitator, n):
    clauses = list(draft.clauses.all())
    for i in range(n):
        who = UserFactory(username=f"extra-{i}")
        MembershipFactory(user=who, definition=definition, status=Membership.Status.PENDING)
        comment = post_comment(actor=members["legislators-1"], clause=clauses[i % 3],
                               body=f"Point {i} on subject{i}.")
        flag_comment(actor=who, comment=comment, reason="Spam?")


# The suggestions queue of `busy` is empty: its page of comments is not read.
QUEUE_QUERIES = {"comments": 9, "objections": 9, "suggestions": 7, "members": 7,
                 "flags": 8, "appeals": 7, "hidden": 7}


@pytest.mark.parametrize("queue", QUEUE_QUERIES)
def test_each_queue_takes_a_fixed_number_of_queries(definition, busy, members, published_draft,
                                                    facilitator, django_assert_num_queries,
                                                    queue):
    with django_assert_num_queries(QUEUE_QUERIES[queue]):
        desk(definition, queue=queue)
    _grow(definition, members, published_draft, facilitator, 40)
    with django_assert_num_queries(QUEUE_QUERIES[queue]):
        page = desk(definition, queue=queue)
    if queue in ("members", "flags"):
        assert len(page.items) == PER_PAGE


def test_resolving_flags_dismisses_them_and_logs_it(facilitator, busy):
    count = resolve_flags(actor=facilitator, comment=busy["open"], reason="Not rude.")

    assert count == 1
    assert not Flag.objects.filter(resolved=False).exists()
    assert not busy["open"].hidden
    event = Event.objects.get(kind="flags-resolved")
    assert (event.actor, event.reason, event.data) == (
        facilitator, "Not rude.", {"comment": busy["open"].pk, "flags": 1})


def test_resolving_needs_a_facilitator_and_an_open_flag(facilitator, member, busy):
    with pytest.raises(NotAllowed):
        resolve_flags(actor=member, comment=busy["open"])
    with pytest.raises(Conflict):
        resolve_flags(actor=facilitator, comment=busy["answered"])


def test_the_resolve_flags_endpoint(api, facilitator, busy):
    response = api(facilitator).post(f"/api/v1/comments/{busy['open'].pk}/resolve-flags/", {},
                                      format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["resolved"] == 1
    assert response.json()["comment"]["id"] == busy["open"].pk
    assert desk(busy["open"].clause.draft.definition, queue="flags").items == []


def test_the_desk_counts_time_from_now_by_default(definition, published_draft):
    published_draft.closes_at = timezone.now() + timedelta(days=3, hours=1)
    published_draft.save()

    assert desk(definition).days_left == 4


def test_a_large_group_shows_a_few_members_and_answers_them_all(
        definition, published_draft, facilitator, django_capture_on_commit_callbacks):
    """Thirty copies of one objection: the desk shows five in full and counts the rest, in a
    page whose size does not grow with the copies; one answer covers all thirty."""
    from django.urls import reverse

    from tests.helpers import client_of
    from workspace.desk import MEMBERS_SHOWN

    freedoms = published_draft.clauses.get(key="freedoms")
    group = definition.groups.get(slug="developers")

    def copies(n):
        made = []
        with django_capture_on_commit_callbacks(execute=True):  # the regrouping runs on commit
            for _ in range(n):
                member = MembershipFactory(user=UserFactory(), definition=definition, group=group)
                made.append(post_comment(actor=member.user, clause=freedoms,
                                         body="The training data must be open."))
        return made

    fac = client_of(facilitator)
    desk_url = reverse("workspace:desk", args=[definition.slug])
    copies(10)
    small = fac.get(desk_url).content.decode()
    comments = copies(20) + list(Comment.objects.filter(clause=freedoms))
    html = fac.get(desk_url).content.decode()
    assert "30 similar comments" in html and "And 25 more comments like these." in html
    assert html.count('class="badge kind"') == small.count('class="badge kind"') == MEMBERS_SHOWN
    assert abs(len(html) - len(small)) < 800  # twenty more copies: only their ids more
    item = desk(definition).items[0]
    assert item.count == 30 and len(item.members) == MEMBERS_SHOWN
    response = fac.post(reverse("workspace:answer_many", args=[definition.slug]), {
        "comment_ids": item.answerable_ids, "status": "declined", "response": "Not now."})
    assert response.status_code == 302
    assert Comment.objects.filter(pk__in=[c.pk for c in comments],
                                  disposition__status="declined").count() == 30


def _reference(rows: list[Comment], sort: str) -> list[list[int]]:
    """The items as the desk grouped, sorted and paged them in Python before the grouping was
    stored: similar undisposed comments of a clause together, the others alone."""
    texts = [similarity.Text(id=c.pk, clause=(c.clause_id, c.kind),
                             body=f"{c.body}\n{c.proposed_text}")
             for c in rows]
    grouped = similarity.group_similar(texts)
    by_id = {c.pk: c for c in rows}
    items = [[by_id[pk] for pk in ids] for ids in grouped]
    items += [[c] for c in rows if not any(c.pk in ids for ids in grouped)]

    def oldest(item):
        return min((c.created_at, c.pk) for c in item)

    def support(item):
        return (-len({c.author.memberships.get().group_id for c in item}),
                -sum(c.endorsements.count() for c in item), -len(item), oldest(item))

    return [[c.pk for c in sorted(item, key=lambda c: (c.created_at, c.pk))]
            for item in sorted(items, key=support if sort == "support" else oldest)]


@pytest.mark.parametrize("sort", SORTS)
def test_sql_grouping_sorting_and_pages_match_the_python_ones(
        definition, members, published_draft, sort, django_capture_on_commit_callbacks,
        monkeypatch):
    monkeypatch.setattr(desk_module, "PER_PAGE", 5)
    clauses = list(published_draft.clauses.order_by("position"))
    texts = [TEXT, "Typo in line two.", "Number the clauses please.", "Cite the OSI board vote."]
    names = sorted(members)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(70):
            post_comment(actor=members[names[i % len(names)]], clause=clauses[i % 3],
                         body=texts[(i * 7) % 4] + ("" if i % 5 else f" Point {i}."))
    rows = list(Comment.objects.filter(clause__draft=published_draft).order_by("created_at", "pk"))
    for n, c in enumerate(rows[::9]):  # older, out of the order of ids
        Comment.objects.filter(pk=c.pk).update(
            created_at=timezone.now() - timedelta(days=2, minutes=n))
    for clause in clauses:  # a comment's time never changes: group as if they came so
        grouping.regroup_clause(clause.pk)
    for c in rows:
        c.refresh_from_db()

    expected = _reference(rows, sort)
    first = desk(definition, sort=sort)
    pages = [first] + [desk(definition, sort=sort, page=n)
                       for n in range(2, first.pager.pages + 1)]

    assert [item for page in pages for item in ids(page)] == expected
    assert first.pager.count == len(expected) > 10 and first.pager.pages > 2
    assert all(len(item.members) == min(MEMBERS_SHOWN, item.count)
               for page in pages for item in page.items)


def test_an_items_figures_count_each_comment_once_whatever_its_endorsements(
        definition, members, published_draft, django_capture_on_commit_callbacks):
    freedoms = published_draft.clauses.get(key="freedoms")
    with django_capture_on_commit_callbacks(execute=True):
        first, second = (post_comment(actor=members[name], clause=freedoms, body=TEXT,
                                      kind="suggestion", proposed_text="Open data.")
                         for name in ("lawyers-1", "developers-1"))
    for name in ("companies-1", "companies-2", "legislators-1"):
        endorse_comment(actor=members[name], comment=first)
    endorse_comment(actor=members["legislators-1"], comment=second)

    item = desk(definition).items[0]
    assert item.ids == [first.pk, second.pk] and item.count == 2
    assert item.support == 4 and item.groups == 2  # the lawyers and the developers raise it


WALKED = [{"queue": "comments"}, {"queue": "comments", "kind": "objection"},
          {"queue": "comments", "kind": "suggestion"}, {"queue": "objections"},
          {"queue": "suggestions"}, {"queue": "comments", "clause": "freedoms"},
          {"queue": "suggestions", "clause": "why"}, {"queue": "comments", "sort": "support"},
          {"queue": "comments", "sort": "support", "kind": "comment"},
          {"queue": "suggestions", "sort": "support"},
          {"queue": "comments", "sort": "support", "clause": "why"},
          {"queue": "comments", "sort": "support", "draft": "all"},
          {"queue": "comments", "group": "lawyers"},
          {"queue": "comments", "group": "developers", "kind": "objection"},
          {"queue": "suggestions", "group": "companies"},
          {"queue": "comments", "group": "legislators", "clause": "why"},
          {"queue": "comments", "group": "lawyers", "sort": "support"},
          {"queue": "suggestions", "group": "developers", "sort": "support"}]


@pytest.mark.parametrize("view", WALKED, ids=lambda v: "&".join(map(str, v.values())))
def test_the_views_read_from_what_the_database_keeps_equal_the_grouped_ones(
        definition, facilitator, members, published_draft, view, monkeypatch,
        django_capture_on_commit_callbacks):
    """Each view the desk lists by its leads (and the count the triggers keep) shows the same
    items, pages and total as grouping the queue in SQL, through dispositions, a sustained
    block, hidden comments and a grouping left behind."""
    monkeypatch.setattr(desk_module, "PER_PAGE", 4)
    clauses = [published_draft.clauses.get(key=key) for key in ("why", "freedoms")]
    groups = list(definition.groups.all())
    voters = [MembershipFactory(user=UserFactory(username=f"voter-{i}"), definition=definition,
                                group=groups[i % len(groups)]).user for i in range(24)]
    texts = [TEXT, "Number the clauses please.", "Cite the OSI board vote."]
    with django_capture_on_commit_callbacks(execute=True):
        for i, voter in enumerate(voters):
            clause, text = clauses[i % 2], texts[i % 3] + ("" if i % 4 else f" Point {i}.")
            if i % 3 == 0:
                post_comment(actor=voter, clause=clause, body=text, kind="suggestion",
                             proposed_text=f"Open data {i % 2}.")
            cast_vote(actor=voter, clause=clause, position="block" if i % 5 == 0 else "oppose",
                      rationale=text)
            if i % 2:
                post_comment(actor=voter, clause=clause, body=text)
    comments = list(Comment.objects.filter(parent=None).order_by("created_at", "pk"))
    # Leads and members leave, a block stays sustained; the regrouping does not run after.
    for c in comments[::5]:
        record_disposition(actor=facilitator, comment=c, status="declined", response="No.")
    hide_comment(actor=facilitator, comment=Comment.objects.get(pk=comments[3].pk),
                 reason="Spam")
    sustained = Comment.objects.filter(vote__position="block", disposition=None,
                                       hidden=False).order_by("pk").last()
    record_disposition(actor=facilitator, comment=sustained, status="declined", response="No.")
    post_comment(actor=members["lawyers-1"], clause=clauses[0], body=TEXT)  # not grouped yet

    def pages():
        first = desk(definition, **view)
        rest = [desk(definition, **view, page=n) for n in range(2, first.pager.pages + 1)]
        return first.pager.count, [ids(page) for page in [first, *rest]], first.clause_options

    walked = pages()
    monkeypatch.setattr(desk_module, "_stored_items", lambda *args: None)
    monkeypatch.setattr(desk_module, "OPEN_COLUMN", {})
    assert walked == pages() and walked[0] > 0
    if view == {"queue": "objections"}:
        assert [sustained.pk] in [item for page in walked[1] for item in page]
