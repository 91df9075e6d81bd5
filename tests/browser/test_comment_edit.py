"""Editing one's own comment (#14 item 7) with and without JavaScript, in English and Chinese, at
1280 and 375 px: a refused edit comes back beside the field (aria-invalid, aria-describedby,
focus), with the typed text kept; a good one is saved and marked edited."""

import pytest

from deliberation.discussion.services import post_comment

from .conftest import PASSWORD, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSE = "/d/osaid/v/0.0.8/c/freedoms/"
CASES = [(True, "en", 1280), (False, "en", 375), (True, "zh-hans", 375), (False, "zh-hans", 1280)]


@pytest.mark.parametrize(("js", "language", "width"), CASES)
def test_a_refused_edit_is_shown_beside_the_field(browser, live_server, published_draft, members,
                                                  js, language, width):
    clause = published_draft.clauses.select_related("draft__definition").get(key="freedoms")
    comment = post_comment(actor=members["lawyers-1"], clause=clause, body="Say *why*.")
    context = browser.new_context(java_script_enabled=js, base_url=live_server.url,
                                  viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language,
                          "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(5000)
    page.goto("/accounts/login/")
    page.fill("#id_username", "lawyers-1")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("header .who:has-text('lawyers-1')")
    page.goto(CLAUSE)

    field = f"#edit-body-{comment.pk}"
    page.click(f"#edit-{comment.pk} summary")
    page.fill(field, "   ")  # passes the browser's `required`, refused by the server
    page.click(f"#edit-{comment.pk} button[type=submit]")
    page.wait_for_selector(f"{field}[aria-invalid='true']")

    assert page.url.endswith(CLAUSE)
    assert page.evaluate("document.activeElement.id") == f"edit-body-{comment.pk}"
    error = page.locator(f"#{page.get_attribute(field, 'aria-describedby')}")
    assert error.is_visible()
    assert error.evaluate("e => e.previousElementSibling.id") == f"edit-body-{comment.pk}"
    assert ("Comment:" if language == "en" else "评论:") in error.inner_text()
    assert page.locator(".messages").count() == 0  # no flash at the top
    assert page.input_value(field) == "   "
    shoot(page, f"comment-edit-error-{'js' if js else 'nojs'}-{language}-{width}")

    page.fill(field, "Say why, please.")
    page.click(f"#edit-{comment.pk} button[type=submit]")
    page.wait_for_selector(f"#comment-{comment.pk} .body:has-text('Say why, please.')")
    assert page.get_attribute(field, "aria-invalid") is None
    width_ok = page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert width_ok
    context.close()
