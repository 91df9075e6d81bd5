"""Publishing with a closing date and the generated changelog; closing; finalizing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from definition.models import Draft, Event

pytestmark = pytest.mark.django_db

PUBLISH = "/d/osaid/v/0.0.9/publish/"


def local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_the_form_is_prefilled_with_the_generated_changelog(fac, next_draft):
    next_draft.clauses.filter(key="freedoms").update(body="Use, study, modify, share.")
    html = fac.get(PUBLISH).content.decode()
    assert "Compared with 0.0.8." in html and "### Changed" in html
    assert 'type="datetime-local"' in html


def test_publishing_opens_the_draft_and_closes_the_previous_one(fac, next_draft, published_draft):
    response = fac.post(PUBLISH, {"closes_at": local(timedelta(days=10)),
                                  "changelog": "## Edited changelog"})
    assert response["Location"] == "/d/osaid/v/0.0.9/"
    next_draft.refresh_from_db()
    published_draft.refresh_from_db()
    assert (next_draft.status, next_draft.changelog) == ("open", "## Edited changelog")
    assert abs(next_draft.closes_at - (timezone.now() + timedelta(days=10))) < timedelta(minutes=2)
    assert published_draft.status == "closed"
    assert Event.objects.filter(kind="draft-published", draft=next_draft).count() == 1


@pytest.mark.parametrize("value", ["", "not a date", "2001-01-01T10:00"])
def test_a_bad_closing_date_is_shown_next_to_the_field(fac, next_draft, value):
    response = fac.post(PUBLISH, {"closes_at": value, "changelog": "Kept text"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="closes-at-error"' in html and 'aria-invalid="true"' in html
    assert "Kept text" in html
    next_draft.refresh_from_db()
    assert next_draft.status == "editing"
    assert not Event.objects.filter(kind="draft-published").exists()


def test_an_empty_draft_cannot_be_published(fac, next_draft):
    next_draft.clauses.all().delete()
    response = fac.post(PUBLISH, {"closes_at": local(timedelta(days=3)), "changelog": ""})
    assert response.status_code == 409
    assert "A draft without clauses cannot be published." in response.content.decode()


def test_closing_then_finalizing(fac, published_draft):
    close = reverse("workspace:lifecycle", args=["osaid", "0.0.8", "close"])
    finalize = reverse("workspace:lifecycle", args=["osaid", "0.0.8", "finalize"])
    assert fac.post(close, {"reason": "Period over"})["Location"] == "/d/osaid/v/0.0.8/publish/"
    assert Draft.objects.get(pk=published_draft.pk).status == "closed"
    assert Event.objects.get(kind="draft-closed").reason == "Period over"
    fac.post(finalize)
    assert Draft.objects.get(pk=published_draft.pk).status == "final"
    assert Event.objects.filter(kind="draft-finalized").count() == 1


def test_finalizing_an_open_draft_shows_the_error(fac, published_draft):
    finalize = reverse("workspace:lifecycle", args=["osaid", "0.0.8", "finalize"])
    response = fac.post(finalize, follow=True)
    assert "Status: Only a closed draft can be finalized" in response.content.decode()
    assert Draft.objects.get(pk=published_draft.pk).status == "open"
