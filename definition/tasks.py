"""Celery tasks of definitions: thin wrappers that take ids and call a domain function."""

from celery import shared_task

from definition import notifications


@shared_task
def announce_draft_task(draft_id: int) -> int:
    """Email every verified member that a draft was published (once each, however often run)."""
    return notifications.announce_draft(draft_id=draft_id)
