"""Word diffs on pages are computed on the text without Markdown markup (#14 item 6): compare,
suggestion diffs, dispositions and the profile never show raw `**` or `*`."""

import pytest
from django.urls import reverse

from definition.models import Draft
from deliberation.discussion.services import post_comment
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def bold(published_draft, next_draft):
    next_draft.clauses.filter(key="freedoms").update(body="**Use**, study, modify and share.")
    next_draft.clauses.filter(key="why").update(body="Open Source has *demonstrated* benefits.")
    Draft.objects.filter(pk=published_draft.pk).update(status="closed")
    Draft.objects.filter(pk=next_draft.pk).update(status="open", closes_at=None)
    next_draft.refresh_from_db()
    return next_draft


def test_compare_shows_words_not_markup(client, bold):
    html = client.get(reverse("deliberation:compare", args=["osaid", "0.0.8", "0.0.9"])
                      ).content.decode()
    assert "**" not in html and "*demonstrated*" not in html
    assert "Use, study, modify and share." in html


def test_suggestion_diffs_compare_words_not_markup(client, member, bold):
    clause = bold.clauses.select_related("draft__definition").get(key="freedoms")
    suggestion = post_comment(actor=member, clause=clause, kind="suggestion",
                              body="A *small* change.",
                              proposed_text="**Use**, study, modify, improve and share.")
    html = client.get(url("clause", bold, "freedoms")).content.decode()
    figure = html[html.index('<figure class="suggestion">'):]
    figure = figure[:figure.index("</figure>")]
    assert "**" not in figure
    assert "Use, study, modify<ins>, improve</ins> and share." in figure
    dispositions = client.get(url("dispositions", bold)).content.decode()
    assert "A small change." in dispositions and "*small*" not in dispositions
    client.force_login(member)
    profile = client.get(reverse("deliberation:profile")).content.decode()
    assert "A small change." in profile and "*small*" not in profile
    assert suggestion.pk
