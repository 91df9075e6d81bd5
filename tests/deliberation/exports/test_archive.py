"""The archive of a whole definition: export, restore, and recompute from it alone."""

import json
from collections import Counter

import pytest
from django.core.management import call_command

from accounts.models import User
from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Definition
from deliberation.consensus.math import GroupCounts, Thresholds, summarize_clause
from deliberation.exports.archive import build_archive
from deliberation.exports.archive_import import import_archive


def archive_of(definition, full=True):
    return json.loads(json.dumps(build_archive(definition=definition, full=full)))


def moved_away(data: dict) -> dict:
    """Delete the original so the archive is restored on an instance without it."""
    Definition.objects.filter(slug=data["definition"]["slug"]).delete()
    return data


def test_export_import_export_gives_the_same_archive(voted_draft, admin_user):
    first = archive_of(voted_draft.definition)
    import_archive(actor=admin_user, data=moved_away(first))
    assert archive_of(Definition.objects.get(slug="osaid")) == first


def test_it_holds_settings_groups_memberships_drafts_votes_comments_and_log(voted_draft):
    data = archive_of(voted_draft.definition)
    assert data["definition"]["settings"]["quorum"] == 2
    assert [g["slug"] for g in data["groups"]] == ["developers", "lawyers", "legislators",
                                                   "companies"]
    assert len(data["memberships"]) == 8
    assert [c["key"] for c in data["drafts"][0]["clauses"]] == ["preamble", "why", "freedoms"]
    assert len(data["votes"]) == 16
    objection = next(c for c in data["comments"] if c["kind"] == "objection")
    assert objection["disposition"]["status"] == "declined"
    assert data["votes"][objection["vote"] - 1]["position"] == "oppose"
    assert all("email" not in user for user in data["users"])


def _recompute(data: dict, draft: dict) -> dict[str, dict]:
    """Every clause's figures from the archive alone (PRODUCT.md §4)."""
    settings = data["definition"]["settings"]
    thresholds = Thresholds.from_settings(quorum=settings["quorum"],
                                          min_groups=settings["min_groups"],
                                          thresholds=settings["thresholds"])
    members = Counter(m["group"] for m in data["memberships"] if m["status"] == "verified")
    objections = {c["vote"]: c for c in data["comments"] if c["vote"]}
    figures = {}
    for clause in draft["clauses"]:
        votes = [v for v in data["votes"] if v["draft"] == draft["version"]
                 and v["clause"] == clause["key"] and v["counted"]]
        counts = {g["slug"]: Counter() for g in data["groups"]}
        for vote in votes:
            counts[vote["group"]][vote["position"]] += 1
        answers = [(objections.get(v["id"]) or {}).get("disposition") for v in votes]
        blocks = sum(1 for v, a in zip(votes, answers, strict=True) if v["position"] == "block"
                     and (a is None or a["status"] not in ("resolved", "overruled")))
        open_objections = sum(1 for v, a in zip(votes, answers, strict=True)
                              if v["position"] in ("oppose", "block") and a is None)
        groups = [GroupCounts(slug, **c, verified_members=members[slug])
                  for slug, c in counts.items()]
        figures[clause["key"]] = summarize_clause(
            groups, sustained_blocks=blocks, open_objections=open_objections,
            thresholds=thresholds).as_dict()
    return figures


def test_an_outsider_recomputes_every_stored_figure_from_the_archive(voted_draft):
    data = archive_of(voted_draft.definition, full=False)
    draft = data["drafts"][0]
    figures = _recompute(data, draft)
    for stored in draft["summaries"]:
        assert stored["computed_at"] and not stored["stale"]
        expected = figures[stored["key"]]
        assert {k: stored[k] for k in expected if k != "groups"} == pytest.approx(
            {k: v for k, v in expected.items() if k != "groups"})
        assert sorted(stored["groups"], key=lambda g: g["group"]) == expected["groups"]


def test_the_public_archive_hides_voters_when_votes_are_private(voted_draft):
    voted_draft.definition.votes_public = False
    voted_draft.definition.save()
    public = archive_of(voted_draft.definition, full=False)
    assert public["pseudonymous"] and not public["complete"]
    voters = {v["voter"] for v in public["votes"]}
    assert all(name.startswith("voter-") for name in voters) and len(voters) == 8
    assert archive_of(voted_draft.definition, full=False)["votes"] == public["votes"]  # stable
    objection = next(c for c in public["comments"] if c["kind"] == "objection")
    assert objection["author"] == public["votes"][objection["vote"] - 1]["voter"]
    assert all(v["membership"] is None for v in public["votes"])


def test_a_public_archive_cannot_be_restored(voted_draft, admin_user):
    with pytest.raises(InvalidInput) as error:
        import_archive(actor=admin_user, data=archive_of(voted_draft.definition, full=False))
    assert error.value.field == "complete"


def test_restoring_over_an_existing_definition_is_a_conflict(voted_draft, admin_user):
    with pytest.raises(Conflict):
        import_archive(actor=admin_user, data=archive_of(voted_draft.definition))


def test_only_admins_restore(voted_draft, facilitator):
    with pytest.raises(NotAllowed):
        import_archive(actor=facilitator, data=archive_of(voted_draft.definition))


def test_missing_people_become_inactive_placeholders_and_existing_ones_are_matched(
        voted_draft, admin_user):
    data = moved_away(archive_of(voted_draft.definition))
    User.objects.filter(username="lawyers-1").delete()
    import_archive(actor=admin_user, data=data)
    placeholder = User.objects.get(username="lawyers-1")
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert User.objects.get(username="developers-1").is_active  # matched, untouched


def test_the_commands_export_and_restore_a_definition(voted_draft, admin_user, tmp_path):
    path = tmp_path / "osaid.json"
    call_command("export_definition", "osaid", output=str(path))
    before = json.loads(path.read_text())
    moved_away(before)
    call_command("import_definition", str(path))
    again = tmp_path / "again.json"
    call_command("export_definition", "osaid", output=str(again))
    assert path.read_text() == again.read_text()


def test_the_definition_s_language_travels_with_the_archive(voted_draft, admin_user):
    Definition.objects.filter(pk=voted_draft.definition.pk).update(language="fr")
    data = archive_of(Definition.objects.get(slug="osaid"))
    assert data["definition"]["settings"]["language"] == "fr"
    import_archive(actor=admin_user, data=moved_away(data))
    assert Definition.objects.get(slug="osaid").language == "fr"
