"""Issue #14 in a real browser, in English and Chinese, at 1280 and 375 px, for what the other
browser tests check in one language or width only: the language of the content (item 9), the
clause page's re-voting mark (item 4), the exports of every page (item 5), and the tabs, the
decision log, joining, pending and sign-up (item 7). Assertions go through hrefs and ids where
they can, and through each language's words where the words are the point."""

import pytest
from django.utils import timezone

from definition.models import Event
from deliberation.discussion.services import post_comment, record_disposition
from tests.factories import MembershipFactory, UserFactory

from .conftest import shoot, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = "/d/osaid"
V8, V9 = D + "/v/0.0.8/", D + "/v/0.0.9/"
MATRIX = [pytest.param(language, width, id=f"{language}-{width}")
          for language in ("en", "zh-hans") for width in (1280, 375)]
WORDS = {
    "en": {"changed": "Changed since 0.0.8", "unchanged": "Unchanged since 0.0.8",
           "new": "New in this draft", "keep": "Keep my position from 0.0.8: Support",
           "pending": "Application pending"},
    "zh-hans": {"changed": "自 0.0.8 以来已修改", "unchanged": "自 0.0.8 以来未修改",
                "new": "本草案新增", "keep": "沿用我在 0.0.8 的立场：支持",
                "pending": "申请待审核"},
}


def _open(page, live_server, language: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])


def _sign_in(page, username: str) -> None:
    sign_in_page(page, username)


def _no_sideways_scroll(page, where: str) -> None:
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where} scrolls sideways: {widths}"


@pytest.mark.parametrize(("language", "width"), MATRIX)
def test_the_content_is_marked_with_the_definitions_language(page, live_server, revoted,
                                                             members, language, width):
    clause = revoted.clauses.select_related("draft__definition").get(key="freedoms")
    post_comment(actor=members["lawyers-1"], clause=clause, body="Say which freedoms.")
    _open(page, live_server, language, width)
    page.goto(V9 + "c/freedoms/")

    assert page.locator(f"html[lang='{language}']").count() == 1
    assert page.get_attribute("#clause-text", "lang") == "en"
    assert page.locator(".comment .body[lang='en']:has-text('Say which freedoms.')").count() == 1
    # what a screen reader reads: the text's language, the interface's around it
    langs = page.evaluate("""() => [document.querySelector('#clause-text p'),
        document.querySelector('#discussion-h')].map(e => e.closest('[lang]').lang)""")
    assert langs == ["en", language]
    page.goto(V9)
    assert page.get_attribute("#c-freedoms .clause-body", "lang") == "en"
    assert page.locator("#c-freedoms .revote .diff[lang='en']").count() == 1
    page.goto(D + "/compare/0.0.8...0.0.9/")
    assert page.locator("ol.redline .diff[lang='en']").count() >= 2
    _no_sideways_scroll(page, "compare")
    shoot(page, f"lang-compare-{language}-{width}")


@pytest.mark.parametrize(("language", "width"), MATRIX)
def test_the_clause_page_marks_changes_since_the_previous_draft(page, live_server, revoted,
                                                                language, width):
    words = WORDS[language]
    _open(page, live_server, language, width)
    _sign_in(page, "developers-1")

    page.goto(V9 + "c/freedoms/")
    badge = page.locator(".revote details.revote-diff summary .badge")
    assert badge.inner_text() == words["changed"]
    assert not page.is_visible(".revote details.revote-diff del")
    page.click(".revote details.revote-diff summary")  # the word diff, one click away
    assert page.inner_text(".revote details.revote-diff del").strip() == ", modify"
    _no_sideways_scroll(page, "the changed clause")
    shoot(page, f"clause-mark-changed-{language}-{width}")

    page.goto(V9 + "c/why/")
    assert page.inner_text(".revote .badge") == words["unchanged"]
    page.click("#keep-why")
    page.wait_for_selector("#vote-why-support[aria-pressed='true']")
    assert page.locator("#keep-why").count() == 0
    page.goto(V9 + "c/scope/")
    assert page.inner_text(".revote .badge") == words["new"]
    _no_sideways_scroll(page, "the new clause")


@pytest.fixture
def reported(revoted, facilitator, members):
    """0.0.8 (closed) and 0.0.9 (open); a comment on 0.0.9 with its disposition in the log."""
    clause = revoted.clauses.select_related("draft__definition").get(key="why")
    comment = post_comment(actor=members["lawyers-1"], clause=clause, body="Name the benefits.")
    record_disposition(actor=facilitator, comment=comment, status="accepted", response="Done.")
    Event.objects.create(definition=revoted.definition, kind="draft-published", actor=facilitator,
                         summary="Draft 0.0.9 published", created_at=timezone.now())
    return comment


EXPORTS = {  # page -> what its download links must offer (in their hrefs)
    V9: ["format=md", "format=pdf", "annex="],
    V9 + "consensus/": ["format=ballot-csv", "format=comments-csv"],
    V9 + "dispositions/": ["format=csv", "format=md", "format=json"],
    D + "/compare/0.0.8...0.0.9/": ["compare/export/", "format=md", "format=pdf"],
    D + "/": ["archive/"],
}


@pytest.mark.parametrize(("language", "width"), MATRIX)
def test_every_page_links_its_exports_and_keeps_the_tabs(page, live_server, reported, language,
                                                         width):
    _open(page, live_server, language, width)
    for path, wanted in EXPORTS.items():
        page.goto(path)
        links = page.eval_on_selector_all("nav.exports a", "as => as.map(a => a.href)")
        assert all(any(part in link for link in links) for part in wanted), (path, links)
        assert page.locator("nav.exports a >> visible=true").count() == len(links), path
        tabs = page.eval_on_selector_all("nav.subnav a", "as => as.map(a => a.pathname)")
        assert D + "/compare/" in tabs and V9 + "consensus/" in tabs, (path, tabs)
        _no_sideways_scroll(page, path)
    shoot(page, f"exports-overview-{language}-{width}")

    page.goto(D + "/activity/")  # the decision log: entries link their object, name the clause
    entry = page.locator(f"a[href$='#comment-{reported.pk}']").first
    assert entry.is_visible()
    assert "Open Source has demonstrated benefits." in page.locator(".event-clause").first \
        .inner_text()
    tabs = page.eval_on_selector_all("nav.subnav a", "as => as.map(a => a.pathname)")
    assert V9 in tabs and D + "/compare/" in tabs
    _no_sideways_scroll(page, "activity")
    shoot(page, f"activity-{language}-{width}")


@pytest.mark.parametrize(("language", "width"), MATRIX)
def test_join_pending_and_sign_up(page, live_server, revoted, definition, language, width):
    MembershipFactory(user=UserFactory(username="applicant"), definition=definition,
                      group=definition.groups.get(slug="lawyers"), status="pending")
    _open(page, live_server, language, width)
    join = f"nav.subnav a[href='{D}/join/']"

    page.goto(V9)  # a visitor is invited to join; the page has a favicon
    assert page.locator(join).count() == 1
    assert page.get_attribute("link[rel=icon]", "href").endswith("favicon.svg")
    page.goto("/accounts/signup/?next=" + V9)
    assert page.locator("input[name=display_name][autocomplete=name]").count() == 1
    _no_sideways_scroll(page, "sign-up")

    _sign_in(page, "developers-1")  # a member is not
    page.goto(V9)
    assert page.locator(join).count() == 0
    page.context.clear_cookies()
    _open(page, live_server, language, width)
    _sign_in(page, "applicant")  # a pending applicant sees the state
    page.goto(V9)
    assert page.inner_text(join) == WORDS[language]["pending"]  # the same tab, not "Join"
    _no_sideways_scroll(page, "reader")
    shoot(page, f"pending-{language}-{width}")

