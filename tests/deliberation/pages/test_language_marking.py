"""Content in the definition's language carries a `lang` attribute (WCAG 3.1.2): under the
Chinese interface, the English clause texts, titles and comments are marked `lang="en"`."""

import re

import pytest
from django.urls import reverse

from deliberation.consensus.recompute import recompute
from deliberation.models import Comment
from tests.factories import ClauseFactory, DraftFactory
from tests.helpers import client_for, url

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def scene(published_draft, members, definition):
    older = DraftFactory(definition=definition, version="0.0.7")
    ClauseFactory(draft=older, key="freedoms", body="Use, study and share.", position=1)
    older.__class__.objects.filter(pk=older.pk).update(status="closed")
    Comment.objects.create(clause=published_draft.clauses.get(key="freedoms"),
                           author=members["lawyers-1"], body="Say which freedoms.",
                           author_verified=True)
    recompute(draft_id=published_draft.pk)
    return published_draft


def tag_holding(html: str, text: str) -> str:
    """The opening tag of the innermost element whose text starts with `text`."""
    match = re.search(r"<([a-z0-9]+)([^<>]*)>\s*(?:<p>)?" + re.escape(text), html)
    assert match, f"{text!r} is not on the page"
    return match.group(0)


def test_the_clause_text_is_marked_english_under_chinese(client, scene):
    html = client.get(url("clause", scene, "freedoms"), **ZH).content.decode()

    assert '<html lang="zh-hans"' in html
    assert re.search(r'<div class="clause-text" id="clause-text"[^>]* lang="en"', html)
    assert 'lang="en"' in tag_holding(html, "Say which freedoms.")
    assert re.search(r'<h1><span class="num">2</span> <span lang="en">Use, study', html)


def test_the_reader_marks_clause_bodies_and_headings(client, scene):
    html = client.get(url("reader", scene), **ZH).content.decode()

    assert 'lang="en"' in tag_holding(html, "Use, study, modify and share.")
    assert re.search(r'<a href="[^"]+/c/preamble/" lang="en">Preamble</a>', html)
    # the interface around the text stays Chinese: the comment count is not marked
    assert re.search(r'<p class="comments-link"><a [^>]*>1 条评论', html)


@pytest.mark.parametrize("page", ["consensus", "compare", "overview"])
def test_titles_are_marked_on_the_other_pages(client, scene, page):
    path = {"consensus": url("consensus", scene),
            "compare": reverse("deliberation:compare", args=["osaid", "0.0.7", "0.0.8"]),
            "overview": reverse("deliberation:overview", args=["osaid"])}[page]
    html = client.get(path, **ZH).content.decode()

    assert re.search(r'<[a-z0-9]+[^<>]* lang="en"[^<>]*>[^<]*(Use, study|Open Source)', html), page


def test_a_definition_in_another_language_is_marked_with_it(client, scene, definition):
    definition.language = "fr"
    definition.save()

    html = client.get(url("clause", scene, "freedoms"), **ZH).content.decode()

    assert re.search(r'id="clause-text"[^>]* lang="fr"', html)
    assert 'lang="en"' not in html.split("<main", 1)[1]


def test_a_right_to_left_language_also_gets_its_direction(client, scene, definition):
    definition.language = "ar"
    definition.save()

    html = client.get(url("clause", scene, "freedoms")).content.decode()

    assert re.search(r'id="clause-text"[^>]* lang="ar" dir="rtl"', html)


def test_facilitators_set_the_language_through_the_api(scene, facilitator, definition):
    api = client_for(facilitator)
    path = f"/api/v1/definitions/{definition.slug}/"

    assert api.get(path).json()["settings"]["language"] == "en"
    response = api.patch(path, {"settings": {"language": "zh-hans"}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["settings"]["language"] == "zh-hans"
    definition.refresh_from_db()
    assert definition.language == "zh-hans"


@pytest.mark.parametrize("bad", ["english!", "", "x" * 40, 7])
def test_a_bad_language_is_refused_naming_the_field(scene, facilitator, definition, bad):
    response = client_for(facilitator).patch(f"/api/v1/definitions/{definition.slug}/",
                                             {"settings": {"language": bad}}, format="json")

    assert response.status_code == 400
    assert "language" in str(response.json()["errors"])
    definition.refresh_from_db()
    assert definition.language == "en"


def test_opinion_group_clause_titles_are_marked_english_under_chinese(client, scene):
    from django.utils import timezone

    from deliberation.models import OpinionAnalysis

    keys = list(scene.clauses.exclude(body="").values_list("key", flat=True))
    OpinionAnalysis.objects.create(draft=scene, computed_at=timezone.now(), result={
        "k": 2, "structured": True, "members_considered": 4, "positions": [],
        "groups": [{"label": 0, "size": 2, "approval": {k: 0.9 for k in keys}},
                   {"label": 1, "size": 2, "approval": {k: 0.7 for k in keys}}],
        "bridging": keys[:1], "divisive": [{"clause": keys[0], "spread": 0.2}]})
    html = client.get(url("opinion_groups", scene), **ZH).content.decode()
    title = scene.clauses.get(key=keys[0]).display_title
    marked = re.findall(r'<span lang="en">' + re.escape(title) + "</span>", html)
    assert len(marked) == 3  # the bridging list, the divisive list and the approval table
