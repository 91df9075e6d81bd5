"""The desk of queues in a real browser (#15): the appeal flow end to end (decline, not satisfied,
appeal, facilitators' answer, the admin upholds, the comment is back in the queue, the log and
the report show it); similar comments answered together; the publish warning."""

import pytest

from definition.models import Event
from deliberation.discussion.grouping import regroup_stale
from deliberation.models import Appeal, Disposition
from tests.factories import CommentFactory

from .conftest import PASSWORD, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = "/d/osaid/facilitate/"
SIMILAR = "The definition must require that the training data is released openly."


@pytest.fixture
def scene(published_draft, members, facilitator, admin_user):
    freedoms = published_draft.clauses.get(key="freedoms")
    comment = CommentFactory(clause=freedoms, author=members["lawyers-1"],
                             body="Say *which* freedoms.", author_verified=True)
    similar = [CommentFactory(clause=freedoms, author=members[name], body=SIMILAR + extra,
                              author_verified=True)
               for name, extra in (("developers-1", ""), ("companies-1", " Please."),
                                   ("legislators-1", " We agree."))]
    regroup_stale(draft_id=published_draft.pk)  # as the job does after comments (factories skip it)
    return {"comment": comment, "similar": similar}


def _as(browser, live_server, username):
    page = browser.new_context(base_url=live_server.url,
                               viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(5000)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector(f"header .who:has-text('{username}')")
    return page


def test_the_appeal_flow_end_to_end(page, browser, live_server, sign_in, scene):
    comment = scene["comment"]
    sign_in("facilitator")
    page.goto(DESK)
    page.select_option(f"#status-{comment.pk}", "declined")
    page.fill(f"#response-{comment.pk}", "The preamble lists them.")
    page.click(f"#disposition-{comment.pk} .disposition-form button[type=submit]")
    page.wait_for_selector(f"text=Comment #{comment.pk}: declined.")

    author = _as(browser, live_server, "lawyers-1")
    author.goto(f"/d/osaid/v/0.0.8/c/freedoms/#comment-{comment.pk}")
    form = author.locator(f"#comment-{comment.pk} .ack-form")
    form.locator("input[value=no]").check()
    form.locator("textarea").fill("It does not.")
    form.locator("button[type=submit]").click()
    author.wait_for_selector("text=The author is not satisfied.")
    author.click(f"#comment-{comment.pk} .appeal-form summary")
    author.fill(f"#appeal-reason-{comment.pk}", "The preamble names no freedom at all.")
    author.click(f"#comment-{comment.pk} .appeal-form button[type=submit]")
    author.wait_for_selector("text=Your appeal was filed")
    appeal = Appeal.objects.get()
    assert author.is_visible(f"#appeal-{appeal.pk} >> text=Waiting for an admin")
    shoot(author, "appeal-filed")
    author.context.close()

    page.goto(DESK)
    assert page.inner_text("#queue-appeals").startswith("1")
    page.click("#queue-appeals")
    item = page.locator(f"#appeal-{appeal.pk}")
    assert "An admin decides this appeal." in item.inner_text()
    item.locator("details summary").click()
    page.fill(f"#appeal-answer-{appeal.pk}", "We meant the second paragraph.")
    item.locator("details button[type=submit]").click()
    page.wait_for_selector(f"text=Appeal #{appeal.pk} answered.")

    admin = _as(browser, live_server, "admin")
    admin.goto(DESK + "?queue=appeals")
    shoot(admin, "desk-appeals")
    admin.check(f"#appeal-{appeal.pk} input[value=upheld]")
    admin.fill(f"#appeal-reason-{appeal.pk}", "Nothing lists the freedoms: answer it again.")
    admin.click(f"#appeal-{appeal.pk} .decide-form button[type=submit]")
    admin.wait_for_selector(f"text=Appeal #{appeal.pk}: upheld.")
    assert not Disposition.objects.filter(comment=comment).exists()
    admin.goto(DESK)
    assert admin.is_visible(f"#disposition-{comment.pk}")  # back in the queue
    admin.goto("/d/osaid/activity/")
    assert admin.is_visible(f"text=Appeal #{appeal.pk} on comment #{comment.pk}: upheld")
    admin.goto("/d/osaid/v/0.0.8/dispositions/")
    row = admin.locator(f"tr#comment-{comment.pk}")
    assert "Nothing lists the freedoms" in row.inner_text()
    shoot(admin, "dispositions-with-appeal")
    admin.context.close()
    assert Event.objects.filter(kind__startswith="appeal-").count() == 3


def test_similar_comments_are_answered_together(page, sign_in, scene):
    lead, *others = scene["similar"]
    sign_in("facilitator")
    page.goto(DESK)
    group = page.locator(f"#group-{lead.pk}")
    assert "3 similar comments" in group.inner_text()
    assert "raised by 3 groups" in group.inner_text()
    shoot(page, "desk-queues")
    group.locator("select[name=status]").select_option("deferred")
    group.locator("select[name=addressed_in]").select_option("next")
    group.locator("textarea").fill("We will answer the data question in the next draft.")
    group.locator("button[type=submit]").click()
    page.wait_for_selector("text=3 comment(s) answered.")
    rows = Disposition.objects.filter(comment__in=scene["similar"])
    assert sorted(rows.values_list("status", "addressed_in_next")) == [("deferred", True)] * 3


def test_the_publish_warning(page, sign_in, scene, next_draft):
    sign_in("facilitator")
    page.goto("/d/osaid/v/0.0.9/publish/")
    warning = page.locator("#leftovers")
    assert "4 comments without disposition" in warning.inner_text()
    page.fill("#closes-at", "2099-06-30T12:00")
    page.click(".publish-form button[type=submit]")
    page.wait_for_selector("text=leaves open items")
    shoot(page, "publish-warning")
    page.check("#confirm-leftovers")
    page.fill("#leftovers-reason", "The comment period is over.")
    page.click(".publish-form button[type=submit]")
    page.wait_for_url("**/d/osaid/v/0.0.9/")
    event = Event.objects.get(kind="published-with-open-items")
    assert event.reason == "The comment period is over." and event.data["undisposed"] == 4
