from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person. Their roles live on the definitions: memberships and facilitation."""

    display_name = models.CharField(max_length=150, blank=True)
    notify_new_draft = models.BooleanField(default=True)
    notify_replies = models.BooleanField(default=True)
    notify_dispositions = models.BooleanField(default=True)
    notify_closing = models.BooleanField(default=True)

    history = HistoricalRecords()

    @property
    def public_name(self) -> str:
        return self.display_name or self.username
