"""The editor in a real browser (#15): two competing suggestions on one clause; applying the
first marks it applied, the second conflicting; applying the second asks before it replaces the
first; 'with suggestions' shows only that clause."""

import pytest

from tests.factories import CommentFactory

from .conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "/d/osaid/v/0.0.9/edit/"


@pytest.fixture
def rivals(published_draft, members, facilitator):
    from definition.services import create_draft

    create_draft(actor=facilitator, definition=published_draft.definition, version="0.0.9",
                 based_on=published_draft)
    freedoms = published_draft.clauses.get(key="freedoms")
    return [CommentFactory(clause=freedoms, author=members[name], kind="suggestion",
                           body="Better.", proposed_text=text, author_verified=True)
            for name, text in (("lawyers-1", "Use and share."),
                               ("lawyers-2", "Study and share."))]


def test_competing_suggestions_ask_before_replacing(page, sign_in, rivals):
    first, second = rivals
    sign_in("facilitator")
    page.goto(EDITOR)
    assert not page.is_visible("#body-freedoms")  # collapsed
    page.click(f"#suggestion-{first.pk} button[type=submit]")
    page.wait_for_selector(f"text=Suggestion #{first.pk} applied to freedoms.")
    assert page.is_visible("#body-freedoms")  # the clause in the address opens
    assert page.inner_text(f"#suggestion-{first.pk} .badge.suggestion-applied") == "applied"
    assert page.locator(f"#suggestion-{first.pk} button[type=submit]").count() == 0
    second_item = page.locator(f"#suggestion-{second.pk}")
    assert "conflicting" in second_item.inner_text()
    assert f"Suggestion #{first.pk} by lawyers-1 is applied" in second_item.inner_text()
    shoot(page, "editor-conflict")

    second_item.locator("button[type=submit]").click()
    page.wait_for_selector("text=confirm to replace its text")
    assert page.input_value("#body-freedoms") == "Use and share."
    page.check(f"#replace-{second.pk}")
    page.click(f"#suggestion-{second.pk} button[type=submit]")
    page.wait_for_selector(f"text=Suggestion #{second.pk} applied to freedoms.")
    assert page.input_value("#body-freedoms") == "Study and share."

    page.click("#only-suggestions")
    assert page.locator("li.edit-clause").count() == 1
    assert page.is_visible("#e-freedoms")
