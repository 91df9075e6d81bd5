"""The site admins' queue of open appeals across definitions (#15): every open appeal, oldest
first, filtered by definition, 25 a page, each linked to the page and anchor of its definition's
desk where it is decided; linked from the chrome for admins only; 403 for everyone else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from definition.models import Clause
from deliberation.models import Appeal, Comment, Disposition
from tests.factories import ClauseFactory, DraftFactory, UserFactory, open_draft
from tests.helpers import client_of

pytestmark = pytest.mark.django_db

QUEUE = "/facilitate/appeals/"


def _appeals(definition, n: int, *, status="open", decided_by=None) -> list[Appeal]:
    """n appeals on comments of an open draft of `definition`, each against a declined
    disposition."""
    clause = Clause.objects.filter(draft__definition=definition, draft__status="open",
                                   key="scope").first()
    if clause is None:
        clause = ClauseFactory(draft=DraftFactory(definition=definition, version="1.0"),
                               key="scope", heading="Scope")
        open_draft(clause.draft)
    author = UserFactory()
    comments = Comment.objects.bulk_create([Comment(clause=clause, author=author,
                                                    body=f"Point {i}.") for i in range(n)])
    now = timezone.now()
    Disposition.objects.bulk_create([Disposition(comment=c, status="declined", response="No.",
                                                 decided_by=decided_by, decided_at=now,
                                                 acknowledged_satisfied=False) for c in comments])
    return Appeal.objects.bulk_create([
        Appeal(comment=c, author=author, reason=f"Appeal {i} on {definition.slug}.", status=status,
               disposition_status="declined", disposition_response="No.",
               disposition_decided_by=decided_by, disposition_decided_at=now,
               decision_reason="" if status == "open" else "Decided.",
               decided_at=None if status == "open" else now)
        for i, c in enumerate(comments)])


@pytest.fixture
def spread(definition, other_definition, facilitator):
    return {"osaid": _appeals(definition, 2, decided_by=facilitator),
            "other": _appeals(other_definition, 1),
            "decided": _appeals(other_definition, 1, status="denied")}


def test_an_admin_sees_the_open_appeals_of_every_definition(admin_user, spread):
    html = client_of(admin_user).get(QUEUE).content.decode()
    assert html.count('class="desk-item desk-appeal"') == 3
    for appeal in spread["osaid"] + spread["other"]:
        assert f'id="appeal-{appeal.pk}"' in html
    assert f'id="appeal-{spread["decided"][0].pk}"' not in html
    assert "<strong>3</strong> all definitions" in html
    assert "<strong>1</strong> Another Definition" in html
    first = spread["osaid"][0].pk
    assert f'href="/d/osaid/facilitate/?queue=appeals#appeal-{first}"' in html


def test_it_filters_by_definition(admin_user, spread):
    html = client_of(admin_user).get(QUEUE + "?definition=other").content.decode()
    assert html.count('class="desk-item desk-appeal"') == 1
    assert f'id="appeal-{spread["other"][0].pk}"' in html
    unknown = client_of(admin_user).get(QUEUE + "?definition=nope&page=x")
    assert unknown.status_code == 200 and unknown.content.decode().count('desk-appeal"') == 3


def test_it_pages_and_links_to_the_desk_page_of_each_appeal(admin_user, definition):
    appeals = _appeals(definition, 30)
    admin = client_of(admin_user)
    first = admin.get(QUEUE).content.decode()
    assert first.count('class="desk-item desk-appeal"') == 25 and 'rel="next"' in first
    second = admin.get(QUEUE + "?page=2").content.decode()
    assert second.count('class="desk-item desk-appeal"') == 5
    last = appeals[-1].pk
    link = f"/d/osaid/facilitate/?queue=appeals&amp;page=2#appeal-{last}"
    assert f'href="{link}"' in second
    desk = admin.get(link.replace("&amp;", "&").split("#")[0]).content.decode()
    assert f'id="appeal-{last}"' in desk and "Record the decision" in desk


def test_the_admin_who_recorded_a_disposition_is_told(admin_user, definition):
    _appeals(definition, 1, decided_by=admin_user)
    html = client_of(admin_user).get(QUEUE).content.decode()
    assert "You recorded this disposition: another admin decides its appeal." in html


def test_only_admins_see_it_and_its_link(admin_user, facilitator, member, user, spread):
    for person in (facilitator, member, user):
        response = client_of(person).get(QUEUE)
        assert response.status_code == 403
        assert 'id="all-appeals"' not in client_of(person).get("/").content.decode()
    visitor = client_of(None).get(QUEUE)
    assert visitor.status_code == 302 and visitor["Location"].startswith("/accounts/login/")
    assert f'href="{QUEUE}" id="all-appeals"' in client_of(admin_user).get("/").content.decode()


@pytest.mark.parametrize("size", [3, 60])
def test_it_reads_a_fixed_number_of_queries(admin_user, definition, other_definition, size):
    _appeals(definition, size)
    _appeals(other_definition, size)
    admin = client_of(admin_user)
    admin.get(QUEUE)
    with CaptureQueriesContext(connection) as queries:
        html = admin.get(QUEUE).content.decode()
    assert html.count('class="desk-item desk-appeal"') == min(2 * size, 25)
    assert len(queries) == 5  # session, user; the open appeals, their definitions, the page
