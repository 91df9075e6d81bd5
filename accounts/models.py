from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person. Their roles live on the definitions: memberships and facilitation."""

    display_name = models.CharField(max_length=150, blank=True)
    notify_new_draft = models.BooleanField(default=True)
    notify_replies = models.BooleanField(default=True)
    notify_dispositions = models.BooleanField(default=True)
    notify_closing = models.BooleanField(default=True)
    # Raised by "sign out everywhere": every session signed with the previous value ends.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        """A password change (set_password, then save) also revokes the API token."""
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from accounts.services import revoke_token

            revoke_token(user=self)

    def get_session_auth_hash(self):
        return self._with_generation(super().get_session_auth_hash())

    def get_session_auth_fallback_hash(self):
        for value in super().get_session_auth_fallback_hash():
            yield self._with_generation(value)

    def _with_generation(self, value: str) -> str:
        if not self.session_generation:
            return value  # sessions from before the first "sign out everywhere" stay valid
        return salted_hmac("accounts.User.session_generation",
                           f"{value}:{self.session_generation}", algorithm="sha256").hexdigest()
