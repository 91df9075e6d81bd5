"""Issue #14 item 9: a keyboard-only walk (Tab, Shift+Tab, Enter and typing; no mouse) that signs
in, votes on a clause, opposes with a rationale (an empty one first) and comments, asserting
after each step where the focus is and what the live region announces."""

import pytest

from .conftest import PASSWORD, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSE = "/d/osaid/v/0.0.8/c/freedoms/"
FOCUSED = "document.activeElement.id || document.activeElement.tagName"
LIVE = "() => (document.getElementById('concord-live') || {}).textContent || ''"


def tab_to(page, target: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the element with this id (or matching this CSS selector)
    has the focus."""
    selector = target if target[0] in ".#[" or " " in target else f"#{target}"
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    pytest.fail(f"{selector} is not reachable with {key}")


def announced(page, text: str) -> None:
    """The live region (role=status) says `text` within a few seconds."""
    for _ in range(50):
        if text in page.evaluate(LIVE):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"the live region says {page.evaluate(LIVE)!r}, not {text!r}")


@pytest.mark.parametrize("width", [1280, 375])
def test_sign_in_vote_oppose_and_comment_with_the_keyboard_only(page, published_draft, members,
                                                                 width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(CLAUSE)

    # Sign in: the "Sign in" link of the vote block leads back here after the password.
    tab_to(page, ".vote-block .hint a[href*='/accounts/login/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    tab_to(page, "id_username")
    page.keyboard.type("developers-1")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("header .who:has-text('developers-1')")
    assert page.url.endswith(CLAUSE)

    # Vote: Enter on "Accept" records it without a reload; the focus stays on the button and
    # the live region says what was recorded.
    tab_to(page, "vote-freedoms-accept")
    page.keyboard.press("Enter")
    page.wait_for_selector("#vote-freedoms-accept[aria-pressed='true']")
    assert page.evaluate(FOCUSED) == "vote-freedoms-accept"
    announced(page, "Your position on 2: Accept")

    # Oppose: the first Enter opens the rationale and puts the focus in it, without an error.
    tab_to(page, "vote-freedoms-oppose")
    page.keyboard.press("Enter")
    assert page.is_visible("#rationale-freedoms")
    assert page.evaluate(FOCUSED) == "rationale-freedoms"
    assert page.get_attribute("#rationale-freedoms", "aria-invalid") is None

    # An empty rationale submitted: the error is beside the field, which says it is invalid
    # and keeps the focus; nothing was recorded.
    tab_to(page, "vote-freedoms-rationale-submit")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "rationale-freedoms"
    assert page.get_attribute("#rationale-freedoms", "aria-invalid") == "true"
    described = page.get_attribute("#rationale-freedoms", "aria-describedby")
    error = page.locator(f"#{described}")
    assert "rationale" in error.inner_text().lower()
    assert error.evaluate("e => e.previousElementSibling.id") == "rationale-freedoms"
    assert page.get_attribute("#vote-freedoms-accept", "aria-pressed") == "true"
    shoot(page, f"keyboard-empty-rationale-{width}")

    # With a rationale, the oppose is recorded and announced; the focus stays on the submit.
    page.keyboard.type("Modify is too narrow.")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "vote-freedoms-rationale-submit"
    page.keyboard.press("Enter")
    page.wait_for_selector("#vote-freedoms-oppose[aria-pressed='true']")
    announced(page, "Your position on 2: Oppose")
    assert page.evaluate(FOCUSED) == "vote-freedoms-rationale-submit"
    assert page.get_attribute("#rationale-freedoms", "aria-invalid") is None

    # Comment: type it, Enter on "Post"; back on the page the focus is on the new comment.
    tab_to(page, "body-field")
    page.keyboard.type("Studying needs the data.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab") if page.evaluate(FOCUSED) == "proposed-field" else None
    assert page.evaluate("document.activeElement.textContent.trim()") == "Post"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your comment was posted.")
    focused = page.evaluate(FOCUSED)
    assert focused.startswith("comment-"), focused
    assert "Studying needs the data." in page.evaluate("document.activeElement.innerText")
    shoot(page, f"keyboard-commented-{width}")
