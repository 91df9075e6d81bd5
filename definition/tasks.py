"""Celery tasks of definitions: thin wrappers that take ids and call a domain function."""

from celery import shared_task

from definition import notifications

TASK_OPTIONS = {"acks_late": True, "time_limit": 300, "soft_time_limit": 240}


@shared_task(**TASK_OPTIONS)
def announce_draft_task(draft_id: int) -> int:
    """Email every verified member that a draft was published (once each, however often run)."""
    return notifications.announce_draft(draft_id=draft_id)
