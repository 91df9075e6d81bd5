"""The clause page with demo-like figures (#14 items 1 and 9): the per-group table fits its column
at 1280 px, and no width makes the page scroll sideways (1280 and 375 px, English and Chinese).
A table that must scroll does so in a named region the keyboard can reach."""

import pytest

from deliberation.consensus.recompute import recompute
from tests.factories import MembershipFactory, UserFactory, VoteFactory

from .conftest import SCREENSHOTS, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLAUSE = "/d/osaid/v/0.0.8/c/freedoms/"
# Per group, like the OSAID demo: most groups quorate with double-digit counts, one below quorum.
POSITIONS = {"developers": "s" * 7 + "a" * 5 + "x" * 2 + "o" * 3 + "b",
             "lawyers": "s" * 3 + "a" * 4 + "o" * 4 + "b" * 2,
             "legislators": "s" * 2 + "a" * 4 + "x" + "o",
             "companies": "s" * 2 + "o"}
CODES = {"s": "support", "a": "accept", "x": "abstain", "o": "oppose", "b": "block"}


@pytest.fixture
def figures(published_draft, definition):
    freedoms = published_draft.clauses.get(key="freedoms")
    for group in definition.groups.all():
        for n, code in enumerate(POSITIONS[group.slug]):
            membership = MembershipFactory(user=UserFactory(username=f"{group.slug}-v{n}"),
                                           definition=definition, group=group)
            VoteFactory(clause=freedoms, membership=membership, position=CODES[code],
                        rationale="Too narrow." if code in "ob" else "")
        for n in range(6):  # verified members who have not voted: participation below 100 %
            MembershipFactory(user=UserFactory(username=f"{group.slug}-q{n}"),
                              definition=definition, group=group)
    recompute(draft_id=published_draft.pk)
    return published_draft


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_per_group_table_fits_and_the_page_never_scrolls_sideways(page, live_server, figures,
                                                                      width, language):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": live_server.url}])
    page.goto(CLAUSE)
    assert page.locator(f"html[lang='{language}']").count() == 1
    assert "below" in page.inner_text(".figures-table") or language != "en"
    shoot(page, f"clause-figures-{language}-{width}")
    page.locator("section[aria-labelledby=groups-h]").screenshot(
        path=str(SCREENSHOTS / f"clause-figures-table-{language}-{width}.png"), caret="initial")

    page_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert page_width[0] <= page_width[1], f"the page scrolls sideways: {page_width}"
    table = page.evaluate("""() => {
        const t = document.querySelector('.figures-table'), w = t.closest('.table-wrap');
        return {table: t.scrollWidth, wrap: w.clientWidth, tabindex: w.getAttribute('tabindex'),
                role: w.getAttribute('role'), label: w.getAttribute('aria-label') || ''};
    }""")
    if width == 1280:
        assert table["table"] <= table["wrap"], f"the per-group table overflows: {table}"
    elif table["table"] > table["wrap"]:  # it scrolls: in a named region the keyboard reaches
        assert (table["tabindex"], table["role"]) == ("0", "region") and table["label"], table
    # no cell of the table is cut mid-figure: the votes read as one line each
    lines = page.evaluate("""() => [...document.querySelectorAll('.figures-table td.counts')]
        .map(td => { const r = document.createRange(); r.selectNodeContents(td);
                     const tops = [...r.getClientRects()].map(x => Math.round(x.top));
                     return new Set(tops).size; })""")
    assert lines and set(lines) == {1}, lines
