"""#14 items 4-7 in a real browser, at 1280 and 375 px, in English and Chinese: re-voting help
(marks, diff, keep one position, carry forward, progress, live region), export links and the
compare picker, the inline rationale error, focus after Retract, endorse toggle, edit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from definition.models import Clause
from definition.services import create_draft, publish_draft
from deliberation.discussion.services import post_comment
from deliberation.models import Vote
from deliberation.votes.services import cast_vote

from .conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = "/d/osaid/v/0.0.9/"


@pytest.fixture
def revoted(published_draft, facilitator, members):
    member = members["developers-1"]
    cast_vote(actor=member, clause=published_draft.clauses.get(key="why"), position="support")
    cast_vote(actor=member, clause=published_draft.clauses.get(key="freedoms"),
              position="oppose", rationale="Too broad.")
    new = create_draft(actor=facilitator, definition=published_draft.definition, version="0.0.9",
                       based_on=published_draft)
    new.clauses.filter(key="freedoms").update(body="Use, study, **modify** and share freely.")
    Clause.objects.create(draft=new, key="scope", body="Any *AI system*.", position=5)
    publish_draft(actor=facilitator, draft=new, closes_at=timezone.now() + timedelta(days=7))
    new.refresh_from_db()
    return new


@pytest.mark.parametrize("width", [1280, 375])
def test_revoting_help_on_the_reader(page, sign_in, revoted, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("developers-1")
    page.goto(READER)
    assert page.inner_text("#voting-progress .progress-text") == "You have voted on 0 of 3 clauses."
    assert page.is_visible("#c-why .badge:has-text('Unchanged since 0.0.8')")
    assert page.is_visible("#c-scope .badge:has-text('New in this draft')")
    page.click("#c-freedoms details.revote-diff summary")
    assert page.inner_text("#c-freedoms details.revote-diff ins").strip() == "freely"
    assert "**" not in page.inner_text("#c-freedoms details.revote-diff .diff")
    assert page.is_visible("nav.exports a:has-text('PDF with annexes')")
    shoot(page, f"revote-reader-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("#keep-why")  # one click: the earlier Support, through htmx
    page.wait_for_selector("#vote-why-support[aria-pressed='true']")
    assert page.locator("#keep-why").count() == 0
    assert page.inner_text("#voting-progress .progress-text") == "You have voted on 1 of 3 clauses."
    page.wait_for_function("() => document.getElementById('concord-live') && "
                           "document.getElementById('concord-live').textContent.length > 0")
    assert page.inner_text("#concord-live") == "Your position on 1.1: Support"
    assert page.evaluate("document.activeElement.id") == "vote-why-support"
    shoot(page, f"revote-kept-{width}")


def test_carry_positions_forward_without_javascript_too(browser, live_server, revoted):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "developers-1")
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.goto(READER)
    page.click("form.carry-all button")
    page.wait_for_selector("text=1 position carried forward")
    assert page.inner_text("#voting-progress .progress-text") == "You have voted on 1 of 3 clauses."
    shoot(page, "revote-carried-nojs")
    assert Vote.objects.filter(clause__draft=revoted).count() == 1
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_revoting_help_in_chinese(page, sign_in, revoted, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("developers-1")
    page.goto(READER)
    page.select_option("#lang-select", "zh-hans")
    page.click("form.lang button")
    page.wait_for_selector("html[lang='zh-hans']")
    assert page.inner_text("#voting-progress .progress-text") == "您已对 3 个条款中的 0 个投票。"
    assert page.is_visible("text=沿用我之前的立场")
    assert page.is_visible("#c-why .badge:has-text('自 0.0.8 以来未修改')")
    assert page.is_visible("nav.exports a:has-text('PDF（含附录）')")
    assert page.is_visible("nav.subnav a:has-text('比较')")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    shoot(page, f"revote-reader-zh-{width}")


RATIONALE = {"en": ("Block with this rationale",
                    "Write a rationale: it is required to oppose or block."),
             "zh-hans": ("以此理由阻止", "请填写理由：反对或阻止时必须提供理由。")}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1280, 375])
def test_an_empty_rationale_gets_an_inline_error_and_its_own_submit(page, live_server, sign_in,
                                                                     revoted, width, language):
    submit, required = RATIONALE[language]
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])
    page.set_viewport_size({"width": width, "height": 900})
    sign_in("developers-2")
    page.goto(READER)
    page.click("#vote-scope-block")
    assert page.is_visible("#rationale-scope")
    assert page.inner_text("#vote-scope-rationale-submit") == submit
    page.click("#vote-scope-rationale-submit")  # still empty: an error beside the field
    assert page.get_attribute("#rationale-scope", "aria-invalid") == "true"
    error = page.get_attribute("#rationale-scope", "aria-describedby")
    assert page.inner_text(f"#{error}") == required
    assert page.evaluate("document.activeElement.id") == "rationale-scope"
    shoot(page, f"rationale-error-{language}-{width}")
    page.fill("#rationale-scope", "Scope must name the systems.")
    page.click("#vote-scope-rationale-submit")
    page.wait_for_selector("#vote-scope-block[aria-pressed='true']")
    page.click("#vote-scope-retract")
    page.wait_for_selector("#vote-scope-block[aria-pressed='false']")
    page.wait_for_function("() => document.activeElement.tagName !== 'BODY'", timeout=2000)
    assert page.evaluate("document.activeElement.closest('.vote-block').id") == "vote-scope"


@pytest.mark.parametrize("width", [1280, 375])
def test_compare_picker_tab_and_redline_downloads(page, revoted, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/d/osaid/")
    page.click("nav.subnav a:has-text('Compare')")
    assert page.url.endswith("/d/osaid/compare/")
    shoot(page, "compare-picker")
    page.click("form.compare-pick button")
    page.wait_for_selector("h1:has-text('Changes from 0.0.8 to 0.0.9')")
    assert "**" not in page.inner_text("ol.redline")
    with page.expect_download() as download:
        page.click("nav.exports a:has-text('Redline (Markdown)')")
    text = open(download.value.path(), encoding="utf-8").read()
    assert "{++freely++}" in text and "****" not in text
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    shoot(page, f"compare-redline-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_endorse_toggle_and_edit_own_comment(page, sign_in, revoted, members, width):
    page.set_viewport_size({"width": width, "height": 900})
    clause = revoted.clauses.select_related("draft__definition").get(key="freedoms")
    suggestion = post_comment(actor=members["lawyers-1"], clause=clause, kind="suggestion",
                              body="Say *why*.", proposed_text="Use, study and share freely.")
    sign_in("developers-1")
    page.goto(f"{READER}c/freedoms/")
    page.click(f"#endorse-{suggestion.pk}")
    page.wait_for_selector(f"#endorse-{suggestion.pk}[aria-pressed='true']")
    assert "1 endorsement" in page.inner_text(f"#endorsements-{suggestion.pk}")
    page.click(f"#endorse-{suggestion.pk}")
    page.wait_for_selector(f"#endorse-{suggestion.pk}[aria-pressed='false']")
    assert "0 endorsements" in page.inner_text(f"#endorsements-{suggestion.pk}")
    sign_in("lawyers-1")
    page.goto(f"{READER}c/freedoms/")
    assert page.locator(f"#endorse-{suggestion.pk}").count() == 0  # not one's own
    page.click(f"#edit-{suggestion.pk} summary")
    page.fill(f"#edit-body-{suggestion.pk}", "Say why, please.")
    page.click(f"#edit-{suggestion.pk} button[type=submit]")
    page.wait_for_selector(f"#comment-{suggestion.pk} .body:has-text('Say why, please.')")
    assert page.is_visible(f"#comment-{suggestion.pk} header:has-text('edited')")
    shoot(page, f"comment-edited-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_trend_per_group_and_opinion_groups_table(page, revoted, members, width):
    from deliberation.consensus.recompute import recompute
    from deliberation.models import OpinionAnalysis

    recompute(draft_id=revoted.based_on_id)
    recompute(draft_id=revoted.pk)
    OpinionAnalysis.objects.create(draft=revoted, computed_at=timezone.now(), result={
        "structured": True, "members_considered": 2, "adjusted_rand": 0.1,
        "positions": [{"member": None, "x": -1.0, "y": 0.2, "group": 0},
                      {"member": None, "x": 1.5, "y": -0.4, "group": 1}],
        "groups": [{"label": 0, "size": 1, "approval": {"why": 0.67, "freedoms": 0.33}},
                   {"label": 1, "size": 1, "approval": {"why": 0.5, "freedoms": 0.67}}],
        "bridging": [], "divisive": [{"clause": "freedoms", "spread": 0.34}]})
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{READER}c/freedoms/")
    assert page.locator("svg.trend text:has-text('100%')").count() == 1
    assert page.locator("table.trend-groups tbody tr").count() == 4
    shoot(page, f"clause-trend-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{READER}opinion-groups/")
    assert page.locator("table.opinion-approval tbody tr").count() == 3
    assert page.is_visible("svg.scatter text:has-text('first component')")
    shoot(page, f"opinion-groups-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
