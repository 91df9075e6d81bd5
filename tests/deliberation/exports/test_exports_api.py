"""The export endpoints: files with the right headers, jobs for large exports, bad parameters."""

import json

import pytest
from django.urls import reverse

from definition.models import Definition, Job
from tests.factories import ClauseFactory, DraftFactory
from tests.helpers import client_for

EXPORT = "/api/v1/definitions/osaid/drafts/0.0.8/export/"


@pytest.fixture
def large(settings, tmp_path, django_capture_on_commit_callbacks):
    """Every export counts as large: `large(client, url, query)` runs its job in-process, as
    the worker would once the request's transaction commits."""
    settings.EXPORT_JOB_CLAUSES = 1
    settings.EXPORT_JOB_ARCHIVE_ROWS = 1
    settings.MEDIA_ROOT = tmp_path

    def get(client, url, query=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url, query or {})
        assert response.status_code == 202
        assert response.json()["state"] == "pending"
        return response

    return get


def test_markdown_export_has_content_type_and_filename(voted_draft):
    response = client_for().get(EXPORT, {"format": "md", "annex": "consensus,dispositions"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="osaid-0.0.8-consensus-dispositions.md"')
    assert b"## Annex B. Disposition of comments" in response.content


def test_the_default_is_markdown_without_annexes(published_draft):
    response = client_for().get(EXPORT)
    assert response["Content-Disposition"] == 'attachment; filename="osaid-0.0.8.md"'


def test_pdf_export(published_draft):
    response = client_for().get(EXPORT, {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(("query", "field"), [
    ({"format": "docx"}, "format"), ({"annex": "consensus,votes"}, "annex")])
def test_bad_parameters_answer_400_naming_the_field(published_draft, query, field):
    response = client_for().get(EXPORT, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_csv_exports(voted_draft):
    ballot = client_for().get(EXPORT, {"format": "ballot-csv"})
    assert ballot["Content-Type"] == "text/csv; charset=utf-8"
    assert ballot["Content-Disposition"] == 'attachment; filename="osaid-0.0.8-ballot.csv"'
    assert len(ballot.content.decode().strip().split("\n")) == 17
    comments = client_for().get(EXPORT, {"format": "comments-csv"})
    assert comments["Content-Disposition"] == 'attachment; filename="osaid-0.0.8-comments.csv"'


def test_redline_export(published_draft, definition, facilitator):
    newer = DraftFactory(definition=definition, version="0.0.9", based_on=published_draft)
    ClauseFactory(draft=newer, key="freedoms", body="Use, study, change and share.")
    url = reverse("api-redline-export", args=["osaid"])
    # 0.0.9 is still editing: its facilitators' only (tests/config/api/test_unpublished_drafts.py).
    response = client_for(facilitator).get(url, {"from": "0.0.8", "to": "0.0.9"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="osaid-0.0.8-to-0.0.9-redline.md"')
    text = response.content.decode()
    assert "Use, study, {--modify--}{++change++} and share." in text
    assert "· removed" in text and "· changed" in text
    assert client_for().get(url, {"from": "0.0.8", "to": "9.9"}).json()["errors"].keys() == {"to"}
    assert "from" in client_for().get(url, {"to": "0.0.9"}).json()["errors"]


def test_a_large_export_answers_202_with_a_job_then_a_download(voted_draft, large, user):
    pending = large(client_for(user), EXPORT, {"format": "md", "annex": "consensus"}).json()
    job = client_for().get(f"/api/v1/jobs/{pending['id']}/").json()
    assert job["state"] == "done" and job["progress"] == 1.0
    assert job["result_url"] == f"/api/v1/jobs/{job['id']}/download/"
    download = client_for().get(job["result_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="osaid-0.0.8-consensus.md"')
    assert b"## Annex A. Consensus" in b"".join(download.streaming_content)
    stored = Job.objects.get(pk=job["id"])
    assert stored.result_file.endswith("osaid-0.0.8-consensus.md")


def test_running_an_export_job_again_does_nothing(voted_draft, large, user):
    from deliberation.exports.jobs import run_export_job

    job = large(client_for(user), EXPORT, {"format": "md"}).json()
    assert run_export_job(job_id=job["id"]) == "gone or done"


def test_the_archive_is_for_facilitators(voted_draft, facilitator, user):
    url = reverse("api-archive", args=["osaid"])
    assert client_for().get(url).status_code == 401
    assert client_for(user).get(url).status_code == 403
    response = client_for(facilitator).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="osaid-archive.json"'
    assert json.loads(response.content)["complete"] is True
    public = client_for(facilitator).get(url, {"audience": "public"})
    assert json.loads(public.content)["complete"] is False


def test_the_public_archive_is_for_anyone_and_leaves_out_drafts_in_editing(
        voted_draft, next_draft, facilitator):
    url = reverse("api-archive", args=["osaid"])
    public = client_for().get(url, {"audience": "public"})
    assert public.status_code == 200
    assert [d["version"] for d in json.loads(public.content)["drafts"]] == ["0.0.8"]
    complete = client_for(facilitator).get(url)
    assert [d["version"] for d in json.loads(complete.content)["drafts"]] == ["0.0.8", "0.0.9"]


def test_a_large_archive_is_a_job_only_its_requester_and_facilitators_download(
        voted_draft, facilitator, large, user):
    pending = large(client_for(facilitator), reverse("api-archive", args=["osaid"])).json()
    job = client_for(facilitator).get(f"/api/v1/jobs/{pending['id']}/").json()
    assert client_for(user).get(f"/api/v1/jobs/{job['id']}/").status_code == 403
    assert client_for(user).get(job["result_url"]).status_code == 403
    assert client_for(facilitator).get(job["result_url"]).status_code == 200


def test_import_archive_restores_a_definition(voted_draft, facilitator, admin_user):
    archive = json.loads(client_for(facilitator).get(
        reverse("api-archive", args=["osaid"])).content)
    Definition.objects.filter(slug="osaid").delete()
    url = "/api/v1/definitions/import-archive/"
    assert client_for(facilitator).post(url, archive, format="json").status_code == 403
    response = client_for(admin_user).post(url, archive, format="json")
    assert response.status_code == 201 and response.json()["slug"] == "osaid"
    again = client_for(admin_user).post(url, archive, format="json")
    assert again.status_code == 409


def test_an_anonymous_get_of_a_large_pdf_export_creates_no_job(voted_draft, settings):
    # issue #11 finding 3: two anonymous GETs became two 192-second jobs on the one queue
    settings.EXPORT_JOB_CLAUSES = 1
    response = client_for().get(EXPORT, {"format": "pdf", "annex": "consensus"})
    assert response.status_code == 401
    assert "Sign in to export a draft of more than 1 clauses" in response.json()["detail"]
    assert not Job.objects.exists()


def test_a_visitor_gets_the_file_of_an_identical_export_someone_finished(voted_draft, large,
                                                                          user):
    large(client_for(user), EXPORT, {"format": "md", "annex": "consensus"})
    response = client_for().get(EXPORT, {"format": "md", "annex": "consensus"})
    assert response.status_code == 200
    assert b"## Annex A. Consensus" in b"".join(response.streaming_content)
    assert client_for().get(EXPORT, {"format": "md"}).status_code == 401  # not identical
    assert Job.objects.count() == 1


def test_identical_requests_share_one_job_while_it_runs_and_after(voted_draft, members, large,
                                                                  settings):
    settings.EXPORT_JOB_CLAUSES = 1
    first = client_for(members["developers-1"]).get(EXPORT, {"format": "pdf"})  # stays pending
    again = client_for(members["lawyers-1"]).get(EXPORT, {"format": "pdf"})
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    Job.objects.update(state=Job.State.FAILED)  # a failed job is not reused: a new one starts
    retry = client_for(members["lawyers-1"]).get(EXPORT, {"format": "pdf"})
    assert retry.status_code == 202 and retry.json()["id"] != first.json()["id"]
    assert Job.objects.count() == 2


def test_a_person_has_at_most_two_exports_in_flight(voted_draft, user, settings):
    settings.EXPORT_JOB_CLAUSES = 1
    client = client_for(user)
    for query in ({"format": "pdf"}, {"format": "md"}):
        assert client.get(EXPORT, query).status_code == 202  # pending: no worker in this test
    same = client.get(EXPORT, {"format": "pdf"})
    assert same.status_code == 202  # an identical request reuses its job, within the limit
    third = client.get(EXPORT, {"format": "pdf", "annex": "consensus"})
    assert third.status_code == 429
    assert third.json()["detail"] == ("You have 2 exports in progress (at most 2 at once); "
                                      "download them or wait until one is done, then ask again.")
    assert Job.objects.count() == 2
    Job.objects.filter(params__format="md").update(state=Job.State.DONE)
    assert client.get(EXPORT, {"format": "pdf", "annex": "consensus"}).status_code == 202


def test_a_finished_export_of_an_editing_draft_is_not_reused(editing_draft, facilitator, large):
    url = "/api/v1/definitions/osaid/drafts/0.0.8/export/"
    first = large(client_for(facilitator), url, {"format": "md"}).json()
    again = large(client_for(facilitator), url, {"format": "md"}).json()  # the text may change
    assert again["id"] != first["id"]
