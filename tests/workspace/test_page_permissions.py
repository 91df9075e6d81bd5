"""Facilitator pages: visitors are sent to sign in, members and others get 403, facilitators and
admins get the page; every action refuses a non-facilitator and changes nothing."""

import pytest
from django.urls import reverse

from definition.models import Event, Membership
from tests.helpers import client_of

pytestmark = pytest.mark.django_db

PAGES = {
    "desk": lambda: reverse("workspace:desk", args=["osaid"]),
    "editor": lambda: reverse("workspace:editor", args=["osaid", "0.0.9"]),
    "publish": lambda: reverse("workspace:publish", args=["osaid", "0.0.9"]),
    "import": lambda: reverse("workspace:import", args=["osaid"]),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_visitor_is_sent_to_sign_in(page, next_draft):
    response = client_of(None).get(PAGES[page]())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_a_member_is_refused(page, next_draft, member, user):
    assert client_of(member).get(PAGES[page]()).status_code == 403
    assert client_of(user).get(PAGES[page]()).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_facilitators_and_admins_see_the_page(page, next_draft, fac, admin_user):
    assert fac.get(PAGES[page]()).status_code == 200
    assert client_of(admin_user).get(PAGES[page]()).status_code == 200


def test_a_facilitator_of_another_definition_is_refused(next_draft, facilitator):
    from tests.factories import DefinitionFactory

    other = DefinitionFactory(slug="other")
    other.facilitators.add(facilitator)
    response = client_of(facilitator).get(reverse("workspace:desk", args=["other"]))
    assert response.status_code == 200
    definition = next_draft.definition
    definition.facilitators.remove(facilitator)
    assert client_of(facilitator).get(PAGES["desk"]()).status_code == 403


def test_a_member_cannot_verify_anyone(applicant, member):
    url = reverse("workspace:decide_member", args=["osaid", applicant.pk, "verify"])
    assert client_of(member).post(url).status_code == 403
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.PENDING
    assert not Event.objects.filter(kind="member-verified").exists()


def test_a_member_cannot_edit_or_publish(next_draft, member):
    client = client_of(member)
    save = reverse("workspace:clause_action", args=["osaid", "0.0.9", "freedoms", "save"])
    assert client.post(save, {"body": "Changed."}).status_code == 403
    publish = reverse("workspace:publish", args=["osaid", "0.0.9"])
    assert client.post(publish, {"closes_at": "2099-01-01T10:00"}).status_code == 403
    next_draft.refresh_from_db()
    assert next_draft.status == "editing"
    assert next_draft.clauses.get(key="freedoms").body == "Use, study, modify and share."


def test_an_unknown_definition_is_404(fac):
    assert fac.get(reverse("workspace:desk", args=["nope"])).status_code == 404


def test_the_overview_links_the_desk_for_facilitators_only(next_draft, fac, member):
    assert 'href="/d/osaid/facilitate/"' in fac.get("/d/osaid/").content.decode()
    assert 'href="/d/osaid/v/0.0.9/edit/"' in fac.get("/d/osaid/").content.decode()
    html = client_of(member).get("/d/osaid/").content.decode()
    assert "/facilitate/" not in html and "/edit/" not in html


def test_the_atom_feed_is_routed_and_announced(published_draft, client):
    html = client.get("/d/osaid/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/d/osaid/feed.atom"' in html
    response = client.get("/d/osaid/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")


def test_the_desk_speaks_chinese(fac, next_draft):
    from django.conf import settings

    fac.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = fac.get(PAGES["desk"]()).content.decode()
    assert "协调人工作台" in html and "待审核成员" in html and "未处理" in html
