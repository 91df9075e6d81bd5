"""The plain-language reading of a clause's figures, on summaries made from plain counts."""

import pytest
from django.utils import translation

from deliberation.consensus.math import GroupCounts, Thresholds, summarize_clause
from deliberation.consensus.reading import read_clause

NAMES = [("developers", "Developers"), ("lawyers", "Lawyers"), ("legislators", "Legislators"),
         ("companies", "Companies")]
NONE = (0, 0, 0, 0, 0)


def summary(*counts, thresholds=Thresholds(), **extra):  # noqa: B008 - frozen
    """The §5.1 summary of a clause from (support, accept, abstain, oppose, block) per group,
    in the order of NAMES."""
    groups = [GroupCounts(slug, *c) for (slug, _), c in zip(NAMES, counts, strict=True)]
    return summarize_clause(groups, thresholds=thresholds, **extra).as_dict()


def read(data, thresholds=Thresholds()):  # noqa: B008 - frozen
    return read_clause(data, group_names=NAMES, thresholds=thresholds)


def test_it_says_no_votes_yet_instead_of_figures():
    assert read(summary(NONE, NONE, NONE, NONE)) == "No votes yet."


def test_one_vote_is_too_few_and_says_how_many_votes_there_are():
    data = summary((1, 0, 0, 0, 0), NONE, NONE, NONE)
    assert data["pooled_approval"] == 1.0 and data["balanced_approval"] is None
    assert read(data) == "Too few votes yet: 4 of 4 groups are below quorum. 1 vote so far."


def test_an_abstention_is_a_vote_but_not_a_figure():
    data = summary((0, 0, 2, 0, 0), NONE, NONE, NONE)
    assert read(data) == "Too few votes yet: 4 of 4 groups are below quorum. 2 votes so far."


def test_sub_quorum_groups_are_counted_and_the_rule_is_named():
    data = summary((5, 0, 0, 0, 0), (2, 0, 0, 0, 0), NONE, NONE)
    assert data["level"] == "insufficient"
    assert read(data) == ("Too few votes yet: 3 of 4 groups are below quorum, and a level needs "
                          "3 groups with 5 decisive votes each.")


def test_the_quorum_and_minimum_of_groups_come_from_the_thresholds():
    custom = Thresholds(quorum=2, min_groups=4)
    data = summary((2, 0, 0, 0, 0), (2, 0, 0, 0, 0), NONE, NONE, thresholds=custom)
    assert read(data, custom) == ("Too few votes yet: 2 of 4 groups are below quorum, and a "
                                  "level needs 4 groups with 2 decisive votes each.")


def test_strong_names_the_least_convinced_group_with_its_approval():
    data = summary((8, 0, 0, 0, 0), (7, 1, 0, 1, 0), (9, 0, 0, 0, 0), (6, 2, 0, 0, 0))
    assert data["level"] == "strong" and data["weakest_group"] == "lawyers"
    # lawyers: p = (8 + 1) / (9 + 2) = 82 %
    assert read(data) == "All 4 groups strongly approve; least convinced: Lawyers (82%)."


def test_rough_says_mostly_approve():
    data = summary((8, 0, 0, 1, 0), (4, 0, 0, 2, 0), (9, 0, 0, 0, 0), (6, 2, 0, 0, 0))
    assert data["level"] == "rough"
    # lawyers: p = 5 / 8 = 62.5 % -> 62 % (round half to even, as everywhere in Concord)
    assert read(data) == "All 4 groups mostly approve; least convinced: Lawyers (62%)."


def test_a_missing_group_is_named_and_the_others_are_not_called_all():
    data = summary((8, 0, 0, 1, 0), NONE, (9, 0, 0, 0, 0), (6, 2, 0, 0, 0))
    assert data["level"] == "strong"
    assert read(data) == ("The 3 groups with enough votes strongly approve; least convinced: "
                          "Developers (82%). Not counted yet (below quorum): Lawyers.")


def test_a_block_reads_the_groups_and_then_the_block():
    data = summary((8, 0, 0, 1, 0), (4, 0, 0, 1, 1), (9, 0, 0, 0, 0), (6, 2, 0, 0, 0),
                   sustained_blocks=1)
    assert data["level"] == "blocked"
    assert read(data) == ("All 4 groups mostly approve; least convinced: Lawyers (62%). "
                          "1 sustained block: no consensus until it is resolved.")


def test_two_blocks_are_plural():
    data = summary((8, 0, 0, 1, 0), (4, 0, 0, 1, 1), (9, 0, 0, 0, 1), (6, 2, 0, 0, 0),
                   sustained_blocks=2)
    assert read(data).endswith("2 sustained blocks: no consensus until they are resolved.")


def test_contested_names_the_dissenting_group():
    data = summary((9, 0, 0, 0, 0), (1, 0, 0, 6, 0), (8, 0, 0, 1, 0), (7, 0, 0, 1, 0))
    assert data["level"] == "contested"
    # developers 10/11 = 91 %, lawyers 2/9 = 22 %
    assert read(data) == ("Groups disagree: approval is 91% among Developers but only 22% "
                          "among Lawyers.")


def test_one_big_group_carrying_the_clause_is_said():
    data = summary((40, 0, 0, 0, 0), (2, 0, 0, 3, 0), (2, 0, 0, 3, 0), (2, 0, 0, 3, 0))
    assert round(data["pooled_approval"], 2) == 0.84
    assert round(data["balanced_approval"], 2) == 0.57
    # lawyers, legislators and companies tie at 43 %: the first listed is named
    assert read(data) == ("Groups disagree: approval is 98% among Developers but only 43% "
                          "among Lawyers. One big group carries it: 84% of all voters "
                          "approve, but 57% on balance across groups.")


def test_opposed():
    data = summary((1, 0, 0, 6, 0), (0, 0, 0, 5, 0), (1, 0, 0, 5, 0), (0, 0, 0, 6, 0))
    assert data["level"] == "opposed"
    assert read(data) == ("Most groups disapprove (balanced approval 19%); approval is lowest "
                          "among Companies (12%).")


def test_no_consensus():
    data = summary((3, 0, 0, 3, 0), (3, 0, 0, 3, 0), (3, 0, 0, 2, 0), (2, 0, 0, 3, 0))
    assert data["level"] == "none"
    assert read(data) == ("No consensus: approval is middling (balanced approval 50%), from "
                          "43% (Companies) to 57% (Legislators).")


def test_a_stored_summary_without_level_reads_as_insufficient():
    data = summary(NONE, (1, 0, 0, 0, 0), NONE, NONE)
    data["level"] = None
    assert read(data).startswith("Too few votes yet")


@pytest.mark.parametrize(("counts", "expected"), [
    ((NONE,) * 4, "尚无投票。"),
    (((8, 0, 0, 1, 0), (4, 0, 0, 2, 0), (9, 0, 0, 0, 0), (6, 2, 0, 0, 0)),
     "全部 4 个群体大体赞成；最不认同的是 Lawyers（62%）。"),
    (((5, 0, 0, 0, 0), (2, 0, 0, 0, 0), NONE, NONE),
     "票数尚不足：4 个群体中有 3 个未达法定人数，而得出等级需要 3 个群体各有 5 张决定性票。"),
])
def test_it_reads_in_chinese(counts, expected):
    with translation.override("zh-hans"):
        assert read(summary(*counts)) == expected
