"""Endorsement as a toggle with state, no self-endorsement, and editing one's own comment on the
clause page (#14 item 7)."""

import re

import pytest
from django.test import Client

from core.errors import Conflict, NotAllowed
from definition.models import Draft
from deliberation.discussion.services import (
    edit_comment,
    endorse_comment,
    post_comment,
    withdraw_endorsement,
)
from deliberation.models import Endorsement
from tests.helpers import client_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(member, clause):
    return post_comment(actor=member, clause=clause, kind="suggestion", body="Be *explicit*.",
                        proposed_text="Use, study, modify, share and improve.")


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _comment_html(client, clause, pk) -> str:
    html = client.get(url("clause", clause.draft, clause.key)).content.decode()
    return re.search(rf'<article class="comment[^"]*" id="comment-{pk}".*?</article>', html,
                     re.DOTALL).group(0)


def test_authors_cannot_endorse_their_own_suggestion(suggestion, member):
    with pytest.raises(NotAllowed):
        endorse_comment(actor=member, comment=suggestion)
    assert Endorsement.objects.count() == 0
    html = _comment_html(_as(member), suggestion.clause, suggestion.pk)
    assert "Endorse" not in html and "(your suggestion)" in html


def test_endorse_is_a_toggle_with_its_state_and_count(suggestion, members, clause):
    lawyer = _as(members["lawyers-1"])
    before = _comment_html(lawyer, clause, suggestion.pk)
    assert "0 endorsements" in before and 'aria-pressed="false"' in before
    lawyer.post(f"/comments/{suggestion.pk}/endorse/")
    after = _comment_html(lawyer, clause, suggestion.pk)
    assert "1 endorsement" in after and 'aria-pressed="true"' in after and "Endorsed" in after
    assert f"/comments/{suggestion.pk}/unendorse/" in after
    lawyer.post(f"/comments/{suggestion.pk}/unendorse/")
    again = _comment_html(lawyer, clause, suggestion.pk)
    assert "0 endorsements" in again and 'aria-pressed="false"' in again
    assert Endorsement.objects.count() == 0


def test_the_api_withdraws_an_endorsement(suggestion, members):
    api = client_for(members["lawyers-1"])
    assert api.post(f"/api/v1/comments/{suggestion.pk}/endorse/").status_code == 200
    assert Endorsement.objects.count() == 1
    assert api.delete(f"/api/v1/comments/{suggestion.pk}/endorse/").status_code == 200
    assert Endorsement.objects.count() == 0
    assert withdraw_endorsement(actor=members["lawyers-1"], comment=suggestion) is False


def test_authors_edit_their_comment_and_the_history_is_kept(suggestion, member, clause):
    client = _as(member)
    assert f'id="edit-{suggestion.pk}"' in _comment_html(client, clause, suggestion.pk)
    response = client.post(f"/comments/{suggestion.pk}/edit/", {
        "body": "Be explicit, please.", "proposed_text": "Use, study, modify and share."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.body, suggestion.proposed_text) == ("Be explicit, please.",
                                                           "Use, study, modify and share.")
    assert [h.body for h in suggestion.history.order_by("history_date")] == [
        "Be *explicit*.", "Be explicit, please."]
    html = _comment_html(client, clause, suggestion.pk)
    assert "edited" in html


def test_others_see_no_edit_form_and_cannot_edit(suggestion, members, clause):
    other = _as(members["lawyers-1"])
    assert "edit-comment" not in _comment_html(other, clause, suggestion.pk)
    other.post(f"/comments/{suggestion.pk}/edit/", {"body": "Hijacked."})
    suggestion.refresh_from_db()
    assert suggestion.body == "Be *explicit*."


def test_no_edits_after_the_draft_closed(suggestion, member, clause):
    Draft.objects.filter(pk=clause.draft_id).update(status="closed")
    suggestion.refresh_from_db()
    with pytest.raises(Conflict):
        edit_comment(actor=member, comment=suggestion, changes={"body": "Later."})
    assert "edit-comment" not in _comment_html(_as(member), clause, suggestion.pk)


# A refused edit without JavaScript: the error beside the field, the typed text kept --------------


def _edit_form(html: str, pk: int) -> str:
    return re.search(rf'<details class="edit-comment" id="edit-{pk}".*?</details>', html,
                     re.DOTALL).group(0)


@pytest.mark.parametrize(("posted", "field", "says"), [
    ({"body": "   "}, "body", "This field is required."),
    ({"body": "x" * 20001}, "body", "At most 20000 characters."),
    ({"body": "Fine.", "proposed_text": "y" * 20001}, "proposed", "At most 20000 characters."),
])
def test_a_refused_edit_comes_back_inline_with_the_typed_text(suggestion, member, clause, posted,
                                                             field, says):
    client = _as(member)
    response = client.post(f"/comments/{suggestion.pk}/edit/",
                           {"proposed_text": "Use, study, change and share.", **posted})

    assert response.status_code == 302
    assert response["Location"] == url("clause", clause.draft, clause.key)  # autofocus, no #
    html = client.get(response["Location"]).content.decode()
    form = _edit_form(html, suggestion.pk)
    assert f'<details class="edit-comment" id="edit-{suggestion.pk}" open>' in form
    error_id = f"edit-error-{suggestion.pk}"
    textarea = re.search(rf'<textarea id="edit-{field}-{suggestion.pk}"[^>]*>', form).group(0)
    assert 'aria-invalid="true"' in textarea and f'aria-describedby="{error_id}"' in textarea
    assert "autofocus" in textarea
    # the message right after its field, not in a flash at the top of the page
    assert re.search(rf'<textarea id="edit-{field}-{suggestion.pk}"[^>]*>[^<]*</textarea>\s*'
                     rf'<p class="error" id="{error_id}" role="alert">[^<]*{re.escape(says)}',
                     form)
    assert 'class="messages"' not in html
    assert (posted["body"] if posted["body"].strip() else "   ") in form  # the typed text kept
    if "proposed_text" not in posted:
        assert "Use, study, change and share." in form
    suggestion.refresh_from_db()
    assert suggestion.body == "Be *explicit*."
    # shown once: the next visit shows the comment as it is
    again = _edit_form(client.get(url("clause", clause.draft, clause.key)).content.decode(),
                       suggestion.pk)
    assert "aria-invalid" not in again and "Be *explicit*." in again


def test_a_refused_edit_in_chinese_names_the_field_in_chinese(suggestion, member, clause):
    client = _as(member)
    response = client.post(f"/comments/{suggestion.pk}/edit/", {"body": " "},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    error = re.search(rf'<p class="error" id="edit-error-{suggestion.pk}"[^>]*>([^<]*)</p>',
                      html).group(1)
    assert "Comment" not in error and error.strip()
