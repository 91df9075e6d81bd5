"""Each user turns each kind of e-mail on or off from the profile page."""

from accounts.models import User


def test_unticked_kinds_are_turned_off_and_ticked_ones_on(client, user):
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200 and b'name="notify_replies"' in page.content
    response = client.post("/accounts/notifications/", {"notify_new_draft": "on",
                                                        "notify_closing": "on"})
    assert response.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert (user.notify_new_draft, user.notify_replies, user.notify_dispositions,
            user.notify_closing) == (True, False, False, True)
    assert user.history.first().notify_replies is False  # the change is kept in history


def test_visitors_cannot_change_preferences(client, user):
    response = client.post("/accounts/notifications/", {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert User.objects.get(pk=user.pk).notify_replies is True
