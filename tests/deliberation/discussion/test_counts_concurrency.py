"""The desk's counts stay exact when one comment is hidden and disposed at the same moment, in
either order, on PostgreSQL: a disposition's trigger locks its comment before it counts, so the
two changes are counted one after the other (below the services, which also take the clause's
grouping row: these writes go straight to the tables)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from deliberation.discussion import counts
from deliberation.models import Comment, Disposition
from tests.deliberation.discussion.test_counts import live, live_items
from tests.factories import CommentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _hide(comment_id, started, hold):
    try:
        with transaction.atomic():
            Comment.objects.filter(pk=comment_id).update(hidden=True, hidden_reason="Spam")
            started.set()
            time.sleep(hold)
    finally:
        connection.close()


def _dispose(comment_id, started, hold):
    try:
        with transaction.atomic():
            Disposition.objects.create(comment_id=comment_id, status="declined", response="No.",
                                       decided_at=timezone.now())
            started.set()
            time.sleep(hold)
    finally:
        connection.close()


@pytest.mark.parametrize("first", ["hide", "dispose"])
def test_hiding_and_disposing_at_once_count_once(clause, members, first):
    comment = CommentFactory(clause=clause, author=members["lawyers-1"], body="Point.",
                             kind="objection")
    steps = {"hide": _hide, "dispose": _dispose}
    started, later = threading.Event(), threading.Event()
    one = threading.Thread(target=steps[first], args=(comment.pk, started, 0.5))
    other = threading.Thread(target=steps["dispose" if first == "hide" else "hide"],
                             args=(comment.pk, later, 0))
    one.start()
    assert started.wait(10)
    other.start()  # its write waits for the first to commit, then counts what it left
    one.join(20)
    other.join(20)
    assert later.is_set()
    assert counts.by_clause([clause.pk]) == live([clause.pk])
    assert counts.item_counts([clause.pk]) == live_items([clause.pk])
