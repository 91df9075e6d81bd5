"""The paginated editor, the publish refusal and the admins' appeals queue in a real browser
(#15), at 1280 and 375 px: pages of whole sections, a clause's forms loaded when it is opened,
saving returns to the clause's page with it open; publishing with open items refused until
confirmed with a reason; every open appeal linked to the desk where it is decided."""

import pytest

from definition.models import Event
from tests.factories import CommentFactory
from tests.helpers import big_draft

from .conftest import SCREENSHOTS, shoot
from .test_accessibility import _grave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "/d/osaid/v/1.1/edit/"


@pytest.fixture
def long_draft(definition, facilitator, members):
    from definition.services import create_draft

    published = big_draft(definition, clauses=220, version="1.0")  # 5 pages of 2 sections
    CommentFactory(clause=published.clauses.get(key="s2-clause-3"), author=members["lawyers-1"],
                   kind="suggestion", body="Shorter.", proposed_text="Any purpose.",
                   author_verified=True)
    return create_draft(actor=facilitator, definition=definition, version="1.1",
                        based_on=published)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_editor_goes_by_pages_and_opens_clauses_on_demand(page, sign_in, long_draft, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("facilitator")
    page.goto(EDITOR)
    assert page.locator("li.edit-clause").count() == 44
    assert "Page 1 of 5" in page.inner_text(".editor-pages")
    page.click(".editor-pages a[rel=next] >> nth=0")
    page.wait_for_url("**/edit/?page=2")
    assert page.locator("li.edit-clause").first.get_attribute("id") == "e-section-2"
    assert page.locator(".edit-clauses textarea[name=body]").count() == 0  # none until opened

    page.click("#e-s2-clause-3 summary")
    page.wait_for_selector("#body-s2-clause-3")  # loaded by htmx
    assert page.locator(".edit-clauses textarea[name=body]").count() == 1
    page.fill("#body-s2-clause-3", "Edited in the browser.")
    page.wait_for_selector("#preview-s2-clause-3:has-text('Edited in the browser.')")
    page.click("#e-s2-clause-3 .clause-form button[type=submit]")
    page.wait_for_selector("text=Clause s2-clause-3 saved.")
    assert page.url.endswith("/edit/?c=s2-clause-3#e-s2-clause-3")
    assert page.inner_text(".editor-pages a[aria-current=page]") == "3–4.21"  # page 2
    assert page.input_value("#body-s2-clause-3") == "Edited in the browser."
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"editor-pages-{width}")
    page.screenshot(path=str(SCREENSHOTS / f"editor-top-{width}.png"), caret="initial")
    page.locator("#e-s2-clause-3").screenshot(path=str(SCREENSHOTS / f"editor-clause-{width}.png"),
                                              caret="initial")

    page.click("#only-changed")
    page.wait_for_url("**/edit/?only=changed")
    assert [page.locator("li.edit-clause").first.get_attribute("id")] == ["e-s2-clause-3"]
    assert page.locator("li.edit-clause").count() == 1
    if width == 1280:
        page.goto(EDITOR + "?page=2")
        assert _grave(page) == []


def test_the_publish_page_refuses_until_confirmed_with_a_reason(page, sign_in, published_draft,
                                                                 members, next_draft):
    CommentFactory(clause=published_draft.clauses.get(key="why"), author=members["lawyers-1"],
                   body="Unanswered.", author_verified=True)
    sign_in("facilitator")
    page.goto("/d/osaid/v/0.0.9/publish/")
    page.fill("#closes-at", "2099-06-30T12:00")
    page.click(".publish-form button[type=submit]")
    page.wait_for_selector("#publish-error")
    assert "1 comment(s) without disposition" in page.inner_text("#publish-error")
    page.check("#confirm-leftovers")
    page.click(".publish-form button[type=submit]")
    page.wait_for_selector("#publish-error:has-text('Say publicly why')")
    assert page.get_attribute("#leftovers-reason", "aria-invalid") == "true"
    shoot(page, "publish-refused")
    page.check("#confirm-leftovers")
    page.fill("#leftovers-reason", "Answered in 0.0.9.")
    page.click(".publish-form button[type=submit]")
    page.wait_for_url("**/d/osaid/v/0.0.9/")
    assert Event.objects.get(kind="published-with-open-items").reason == "Answered in 0.0.9."


@pytest.fixture
def appeal(published_draft, members, facilitator):
    from deliberation.discussion.appeals import file_appeal
    from deliberation.discussion.services import acknowledge_disposition, record_disposition

    comment = CommentFactory(clause=published_draft.clauses.get(key="freedoms"),
                             author=members["lawyers-1"], body="Name them.",
                             author_verified=True)
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")
    acknowledge_disposition(actor=members["lawyers-1"], comment=comment, satisfied=False)
    return file_appeal(actor=members["lawyers-1"], comment=comment, reason="Nobody listened.")


@pytest.mark.parametrize("width", [1280, 375])
def test_an_admin_goes_from_every_open_appeal_to_its_desk(page, sign_in, admin_user, appeal,
                                                          width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("admin")
    page.click("#all-appeals")
    page.wait_for_url("**/facilitate/appeals/")
    assert "Nobody listened." in page.inner_text(f"#appeal-{appeal.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _grave(page) == []
    shoot(page, f"appeals-all-{width}")
    page.click(f"#appeal-{appeal.pk} .decide-link")
    page.wait_for_url(f"**/d/osaid/facilitate/?queue=appeals#appeal-{appeal.pk}")
    desk_item = page.locator(f"main #appeal-{appeal.pk}")
    desk_item.locator("input[value=denied]").check()
    desk_item.locator("textarea[name=reason]").fill("The disposition answers it.")
    desk_item.locator(".decide-form button[type=submit]").click()
    page.wait_for_selector(f"text=Appeal #{appeal.pk}: denied.")
    page.goto("/facilitate/appeals/")
    assert page.is_visible("text=No appeal is open.")
