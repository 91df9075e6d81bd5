"""A member's position on a clause (PRODUCT.md §2: support, accept, abstain, oppose, block)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from definition.models import Clause, Membership, StakeholderGroup


class Position(models.TextChoices):
    SUPPORT = "support", pgettext_lazy("position", "Support")
    ACCEPT = "accept", pgettext_lazy("position", "Accept")
    ABSTAIN = "abstain", pgettext_lazy("position", "Abstain")
    OPPOSE = "oppose", pgettext_lazy("position", "Oppose")
    BLOCK = "block", pgettext_lazy("position", "Block")


APPROVING = (Position.SUPPORT, Position.ACCEPT)
DISAPPROVING = (Position.OPPOSE, Position.BLOCK)


class Vote(models.Model):
    """A member's current position on a clause. Retracting deletes the row; history keeps it."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="votes")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="votes")
    position = models.CharField(max_length=10, choices=Position.choices)
    rationale = models.TextField(blank=True, max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["clause", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "voter"], name="one_vote_per_member_clause"),
            models.CheckConstraint(
                condition=Q(position__in=[p.value for p in Position]), name="vote_position_valid"
            ),
            models.CheckConstraint(
                condition=~Q(position__in=["oppose", "block"]) | ~Q(rationale=""),
                name="objection_needs_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter} {self.position} {self.clause}"
