"""The participants' interface in a real browser: sign in, read, vote, discuss, switch language,
keyboard-only voting and a 375 px layout. Screenshots go to tests/browser/screenshots/."""

import pytest
from django.utils import timezone

from definition.models import Event
from deliberation.models import Comment, Disposition
from tests.factories import ClauseFactory, DraftFactory

from .conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSE = "/d/osaid/v/0.0.8/c/freedoms/"
READER = "/d/osaid/v/0.0.8/"


@pytest.fixture
def scene(published_draft, members, facilitator, definition):
    """An open draft with a comment, a disposition, a log entry and an older draft to compare."""
    older = DraftFactory(definition=definition, version="0.0.7")
    ClauseFactory(draft=older, key="freedoms", body="Use, study and share.", position=1)
    older.__class__.objects.filter(pk=older.pk).update(status="closed")
    comment = Comment.objects.create(clause=published_draft.clauses.get(key="freedoms"),
                                     author=members["lawyers-1"], body="Say *which* freedoms.",
                                     author_verified=True)
    Disposition.objects.create(comment=comment, status="accepted", response="Listed below.",
                               decided_at=timezone.now(), decided_by=facilitator)
    Event.objects.create(definition=definition, kind="draft-published", actor=facilitator,
                         summary="Draft 0.0.8 published", reason="Comment period of two weeks")
    return published_draft


def test_sign_in_and_read_a_draft(page, sign_in, scene):
    page.goto("/")
    shoot(page, "home")
    sign_in("developers-1")
    page.click("text=Open Source AI Definition")
    shoot(page, "overview")
    page.click(".timeline a:has-text('0.0.8')")
    assert page.locator("#c-freedoms .clause-text").inner_text().startswith("2")
    assert page.is_visible("#c-freedoms .clause-text >> text=Use, study, modify and share.")
    assert page.locator("#vote-freedoms svg.bars").count() == 1
    shoot(page, "reader")


def test_vote_and_see_the_bar_change_without_reload(page, sign_in, scene):
    sign_in("developers-1")
    page.goto(READER)
    page.evaluate("window.noReload = true")
    assert page.locator("#vote-freedoms rect[data-position]").count() == 0
    page.click("#vote-freedoms-support")
    page.wait_for_selector("#vote-freedoms rect[data-position='support']")
    assert page.evaluate("window.noReload") is True
    assert page.get_attribute("#vote-freedoms-support", "aria-pressed") == "true"
    assert "Support" in page.inner_text("#vote-freedoms legend")


def test_oppose_asks_for_a_rationale_first(page, sign_in, scene):
    sign_in("developers-1")
    page.goto(READER)
    assert not page.is_visible("#rationale-freedoms")
    page.click("#vote-freedoms-oppose")
    assert page.is_visible("#rationale-freedoms")
    page.fill("#rationale-freedoms", "Modify is too narrow.")
    page.click("#vote-freedoms-oppose")
    page.wait_for_selector("#vote-freedoms rect[data-position='oppose']")
    assert page.get_attribute("#vote-freedoms-oppose", "aria-pressed") == "true"


def test_vote_with_the_keyboard_only(page, sign_in, scene):
    sign_in("developers-1")
    page.goto(READER)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "vote-freedoms-accept":
            break
    else:
        pytest.fail("the accept button of 'freedoms' is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("#vote-freedoms-accept[aria-pressed='true']")
    assert page.evaluate("document.activeElement.id") == "vote-freedoms-accept"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # support
    page.wait_for_selector("#vote-freedoms-support[aria-pressed='true']")


def test_comment_quote_reply_and_suggest(page, sign_in, scene):
    sign_in("developers-1")
    page.goto(CLAUSE)
    page.evaluate("""() => {
        const node = document.querySelector('#clause-text p').firstChild;
        const range = document.createRange();
        range.setStart(node, 5); range.setEnd(node, 18);
        const selection = window.getSelection();
        selection.removeAllRanges(); selection.addRange(range);
    }""")
    page.wait_for_selector("#quote-button:not([disabled])")
    page.click("#quote-button")
    assert page.input_value("#quote-field") == "study, modify"
    page.fill("#body-field", "Studying needs the data.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("text=Your comment was posted.")
    assert page.inner_text("#clause-text mark.quote") == "study, modify"

    page.click(".thread >> nth=0 >> summary:has-text('Reply')")
    page.fill(".thread >> nth=0 >> textarea[name=body]", "Agreed, list them.")
    page.click(".thread >> nth=0 >> button:has-text('Post reply')")
    page.wait_for_selector(".replies >> text=Agreed, list them.")

    page.select_option("#kind-field", "suggestion")
    assert page.is_visible("#proposed-field")
    page.fill("#body-field", "A clearer verb.")
    page.fill("#proposed-field", "Use, study, change and share.")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("figure.suggestion del:has-text('modify')")
    assert page.inner_text("figure.suggestion ins") == "change"
    shoot(page, "clause")


def test_switch_to_chinese(page, scene):
    page.goto(READER)
    page.select_option("#lang-select", "zh-hans")
    page.click("form.lang button")
    page.wait_for_selector("html[lang='zh-hans']")
    nav = page.inner_text("nav.primary")
    assert "定义" in nav and "搜索" in nav
    assert page.is_visible("text=Use, study, modify and share.")  # content stays as written
    assert page.is_visible("#vote-freedoms legend:has-text('您的立场')")
    shoot(page, "reader-zh")


MAIN_PAGES = {
    "home": "/", "overview": "/d/osaid/", "reader": READER, "clause": CLAUSE,
    "consensus": READER + "consensus/", "opinion-groups": READER + "opinion-groups/",
    "dispositions": READER + "dispositions/", "compare": "/d/osaid/compare/0.0.7...0.0.8/",
    "activity": "/d/osaid/activity/", "join": "/d/osaid/join/", "search": "/search/?q=study",
    "profile": "/accounts/profile/", "signup": "/accounts/signup/",
}


def test_main_pages_fit_375_px_without_horizontal_scroll(page, sign_in, scene):
    sign_in("developers-1")
    page.set_viewport_size({"width": 375, "height": 800})
    too_wide = {}
    for name, path in MAIN_PAGES.items():
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[name] = width
        shoot(page, f"{name}-375")
    assert too_wide == {}


def test_main_pages_on_a_desktop(page, sign_in, scene):
    sign_in("developers-1")
    for name, path in MAIN_PAGES.items():
        page.goto(path)
        assert page.locator("main h1").count() == 1, name
        wide = name in ("home", "overview", "reader", "clause")
        shoot(page, f"{name}-wide" if wide else name)
