"""Every page, scanned by axe-core (WCAG 2.1 A and AA, and best practice) in Chromium: as a visitor,
a member and a facilitator, in English and Chinese, at 1280 px and 375 px. No serious or critical
violation may remain."""

import pytest
from django.utils import timezone

from definition.models import Event
from deliberation.consensus.recompute import recompute
from deliberation.models import Comment, Disposition
from tests.browser.conftest import sign_in_page
from tests.factories import ClauseFactory, DraftFactory, VoteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
GRAVE = ("serious", "critical")
D = "/d/osaid"
V = D + "/v/0.0.8"

PAGES = {
    "visitor": ["/", D + "/", V + "/", V + "/c/freedoms/", V + "/consensus/",
                V + "/opinion-groups/", V + "/dispositions/", D + "/compare/",
                D + "/compare/0.0.7...0.0.8/", D + "/activity/", "/search/?q=freedoms",
                "/accounts/login/", "/accounts/signup/"],
    "member": [V + "/", V + "/c/freedoms/", D + "/join/", "/accounts/profile/"],
    "facilitator": [D + "/facilitate/", V + "/publish/", D + "/facilitate/import/",
                    D + "/v/0.0.9/edit/"],
}


@pytest.fixture
def scene(published_draft, members, facilitator, definition):
    """An open draft with votes of every group, a comment with its disposition, an objection,
    a decision in the log, an older closed draft to compare with and a next draft in editing."""
    older = DraftFactory(definition=definition, version="0.0.7")
    ClauseFactory(draft=older, key="freedoms", body="Use, study and share.", position=1)
    older.__class__.objects.filter(pk=older.pk).update(status="closed")
    freedoms = published_draft.clauses.get(key="freedoms")
    positions = ["support", "accept", "abstain", "oppose"]
    for n, (_, user) in enumerate(sorted(members.items())):
        VoteFactory(clause=freedoms, membership=user.memberships.get(),
                    position=positions[n % 4], rationale="Too vague." if n % 4 == 3 else "")
    comment = Comment.objects.create(clause=freedoms, author=members["lawyers-1"],
                                     body="Say *which* freedoms.", author_verified=True)
    Disposition.objects.create(comment=comment, status="accepted", response="Listed below.",
                               decided_at=timezone.now(), decided_by=facilitator)
    Event.objects.create(definition=definition, kind="draft-published", actor=facilitator,
                         summary="Draft 0.0.8 published", reason="Comment period of two weeks")
    nxt = DraftFactory(definition=definition, version="0.0.9", based_on=published_draft)
    ClauseFactory(draft=nxt, key="freedoms", body="Use, study, modify and share.", position=1)
    recompute(draft_id=published_draft.pk)
    return published_draft


def _grave(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['nodes'][0]['target']}"
            for v in results.response["violations"] if v["impact"] in GRAVE]


def _sign_in(page, username: str) -> None:
    sign_in_page(page, username)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_page_has_a_serious_accessibility_violation(page, live_server, scene, language,
                                                        width):
    page.set_viewport_size({"width": width, "height": 900})
    cookie = [{"name": "django_language", "value": language, "url": live_server.url}]
    page.context.add_cookies(cookie)
    found = {}
    for role, urls in PAGES.items():
        if role != "visitor":
            _sign_in(page, "developers-1" if role == "member" else "facilitator")
        for url in urls:
            response = page.goto(url)
            grave = [f"HTTP {response.status}"] if response.status >= 400 else _grave(page)
            if grave:
                found[f"{role} {url}"] = grave
        assert page.locator(f"html[lang='{language}']").count() == 1
        if role != "visitor":
            page.context.clear_cookies()
            page.context.add_cookies(cookie)
    assert found == {}, "\n".join(f"{where}: {what}" for where, what in found.items())
