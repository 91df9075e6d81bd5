"""Issue #14 in a real browser: every figure reads in plain language (en, zh-hans), the help
page, no misleading empties, sections as headings, titles instead of keys, contrast and focus;
at 1280 px and at 375 px. Screenshots go to tests/browser/screenshots/."""

import pytest

from tests.factories import ClauseFactory, DraftFactory, open_draft

from .conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = "/d/osaid/v/0.0.8/"
CONTESTED = "Groups disagree: approval is 75% among Developers but only 25% among Legislators."
CONTESTED_ZH = "各群体意见分歧：Developers 的赞成率为 75%，而 Legislators 仅为 25%。"
WIDTHS = (1280, 375)


def _contrast(page, selector: str, colour: str, background: str) -> float:
    """WCAG contrast of two computed colours of an element."""
    return page.evaluate("""([selector, fg, bg]) => {
      const el = document.querySelector(selector);
      const style = getComputedStyle(el);
      const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
        .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
      const [a, b] = [lum(rgb(style[fg])), lum(rgb(bg === "white" ? "rgb(255,255,255)"
                                                   : style[bg]))].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    }""", [selector, colour, background])


@pytest.mark.parametrize("width", WIDTHS)
def test_every_clause_reads_in_words_on_reader_clause_and_consensus(page, voted_draft, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in (("reader", READER), ("clause", READER + "c/freedoms/"),
                       ("consensus", READER + "consensus/")):
        page.goto(path)
        assert page.locator(f"text={CONTESTED} >> visible=true").count() >= 1, name
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        shoot(page, f"reading-{name}-{width}")
    page.goto(READER)
    page.locator("#reading-freedoms a.help-link").click()
    page.wait_for_url("**/help/figures/")
    assert page.locator("text=Lawyers: (4 + 1) / (6 + 2) = 62%").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sentences_and_the_help_page_read_in_chinese(page, voted_draft, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(READER)
    page.select_option("#lang-select", "zh-hans")
    page.click("form.lang button")
    page.wait_for_selector("html[lang='zh-hans']")
    assert page.locator(f"text={CONTESTED_ZH}").first.is_visible()
    shoot(page, f"reading-reader-zh-{width}")
    page.goto("/help/figures/")
    assert page.locator("h1:has-text('如何解读这些数字')").is_visible()
    assert page.locator("text=律师：(4 + 1) / (6 + 2) = 62%").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"help-figures-zh-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_help_page_explains_each_figure_with_computed_examples(page, db, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/help/figures/")
    for anchor in ("approval", "interval", "quorum", "participation", "balanced", "pooled",
                   "bridging", "floor", "divergence", "enthusiasm", "blocks", "level",
                   "opinion-groups", "ari"):
        assert page.locator(f"#{anchor}").count() == 1, anchor
    assert page.locator("ol.levels > li").count() == 7
    assert page.locator("text=(82% + 62% + 78%) / 3 = 74%").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"help-figures-{width}")


NO_VOTES = {"en": ("No votes yet.", "2 of 2 clauses shown"),
            "zh-hans": ("尚无投票。", "显示 2 / 2 条条款")}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_votes_reads_no_votes_yet_and_sections_are_headings(page, live_server, published_draft,
                                                               members, sign_in, width, language):
    no_votes, shown = NO_VOTES[language]
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])
    sign_in("developers-1")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(READER)
    text = page.inner_text("main")
    assert "(50%)" not in text
    assert page.locator(f"#reading-freedoms:has-text('{no_votes}')").is_visible()
    assert page.locator("#vote-preamble").count() == 0  # a section: no position buttons
    assert page.locator("#c-preamble h2:has-text('Preamble')").is_visible()
    assert page.locator("#vote-freedoms button[value=support]").is_visible()
    shoot(page, f"no-votes-reader-{language}-{width}")
    page.goto(READER + "consensus/")
    assert shown in page.inner_text("main")
    assert "(50%)" not in page.inner_text("main")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    shoot(page, f"no-votes-consensus-{language}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_clauses_read_by_title_or_first_words(page, definition, width):
    draft = DraftFactory(definition=definition, version="1.0")
    ClauseFactory(draft=draft, key="preferred-form-data", heading="", position=0,
                  body="The **preferred form** for making modifications.")
    open_draft(draft)
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/d/osaid/v/1.0/", "/d/osaid/v/1.0/consensus/", "/d/osaid/"):
        page.goto(path)
        main = page.inner_text("main")
        assert "preferred-form-data" not in main, path
        if path != "/d/osaid/":  # the overview's table is folded: its map is the heat map
            assert "The preferred form for making modifications." in main, path
    row = page.locator("svg.heatmap text.lbl").first.text_content()
    assert row.startswith("1 The preferred form for making modifications.")  # full, in <title>
    assert "1 The preferred form f…" in row and "preferred-form-data" not in row
    shoot(page, f"titles-overview-{width}")


def test_badges_and_focus_ring_have_enough_contrast_and_the_map_holds_no_links(page,
                                                                               voted_draft):
    page.goto(READER + "consensus/")
    assert page.locator("svg.heatmap a").count() == 0
    assert page.locator("svg.heatmap[role=img]").count() == 1
    badge = "table.dashboard .badge.level-rough"
    assert page.locator(badge).count() >= 1
    assert _contrast(page, badge, "color", "backgroundColor") >= 4.5
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    focused = ":focus-visible"
    assert page.locator(focused).count() == 1
    assert _contrast(page, focused, "outlineColor", "white") >= 3
    shoot(page, "focus-ring")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_import_proposes_short_keys_that_the_facilitator_can_edit(page, sign_in, facilitator,
                                                                     definition, width):
    from definition.models import Draft

    sign_in("facilitator")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/d/{definition.slug}/facilitate/import/")
    page.fill("#import-version", f"9.{width}")
    page.fill("#import-markdown", "# Draft\n\n## Why we need Open Source Artificial "
                                  "Intelligence (AI)\n\nOpen Source has demonstrated benefits.\n")
    page.click("button[name=preview]")
    field = page.locator("input[name='key:need-open-source-artificial-intelligence']")
    assert field.input_value() == "need-open-source-artificial-intelligence"
    field.fill("why")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"import-keys-{width}")
    page.click("button[name=commit]")
    page.wait_for_url("**/edit/")
    draft = Draft.objects.get(version=f"9.{width}")
    assert sorted(draft.clauses.values_list("key", flat=True)) == ["need-open-source-1", "why"]
