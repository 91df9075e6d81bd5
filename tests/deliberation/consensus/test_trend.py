"""A clause's trend across drafts and how voters moved between them."""

import pytest

from deliberation.consensus.math import GroupCounts, summarize_clause
from deliberation.consensus.trend import build_trend, movement


def _figures(balanced, bridging, floor, level):
    return {"balanced_approval": balanced, "bridging": bridging, "floor": floor, "level": level}


def test_deltas_are_current_minus_previous_draft():
    trend = build_trend(
        [
            ("0.0.8", _figures(0.5, 0.25, 0.125, "contested"), True),
            ("0.0.9", _figures(0.75, 0.5, 0.25, "rough"), True),
            ("1.0-RC1", _figures(0.875, 0.75, 0.5, "strong"), False),
        ]
    )
    assert [p.version for p in trend] == ["0.0.8", "0.0.9", "1.0-RC1"]
    first, second, third = trend
    assert (first.delta_balanced, first.delta_bridging, first.delta_floor) == (None, None, None)
    assert (second.delta_balanced, second.delta_bridging, second.delta_floor) == (0.25, 0.25, 0.125)
    assert (third.delta_balanced, third.delta_bridging, third.delta_floor) == (0.125, 0.25, 0.25)
    assert [p.level for p in trend] == ["contested", "rough", "strong"]
    assert [p.text_changed for p in trend] == [True, True, False]


def test_a_draft_without_quorate_groups_has_no_delta_on_either_side():
    trend = build_trend(
        [
            ("1", _figures(0.5, 0.5, 0.25, "none"), True),
            ("2", _figures(None, None, None, "insufficient"), True),
            ("3", _figures(0.75, 0.5, 0.5, "rough"), False),
        ]
    )
    assert [p.delta_balanced for p in trend] == [None, None, None]


def test_it_accepts_clause_figures_and_serialises():
    # p = 6/7 in three groups of five supporters: B = 6/7, strong.
    figures = summarize_clause([GroupCounts(s, support=5) for s in ("a", "b", "c")])
    older = _figures(0.5, 0.5, 0.25, "none")
    point = build_trend([("1", older, True), ("2", figures, False)])[1]
    assert point.level == "strong"
    assert abs(point.delta_balanced - (6 / 7 - 0.5)) <= 1e-12
    assert point.as_dict()["version"] == "2"


def test_movement_counts_voters_present_in_both_drafts_by_current_group():
    before = {
        "ann": ("lawyers", "oppose"),
        "bob": ("lawyers", "block"),
        "cat": ("developers", "support"),
        "dan": ("developers", "accept"),
        "eve": ("developers", "abstain"),
        "fay": ("companies", "oppose"),
        "gus": ("companies", "support"),  # left: not in the new draft
    }
    after = {
        "ann": ("lawyers", "support"),  # disapproving -> approving
        "bob": ("lawyers", "accept"),  # disapproving -> approving
        "cat": ("developers", "block"),  # approving -> disapproving
        "dan": ("developers", "support"),  # stays approving
        "eve": ("developers", "oppose"),  # abstain is neither side
        "fay": ("legislators", "accept"),  # counted under her current group
        "hal": ("companies", "support"),  # new voter
    }
    assert movement(before, after) == {
        "developers": {"to_approving": 0, "to_disapproving": 1, "both_versions": 3},
        "lawyers": {"to_approving": 2, "to_disapproving": 0, "both_versions": 2},
        "legislators": {"to_approving": 1, "to_disapproving": 0, "both_versions": 1},
    }


def test_movement_without_common_voters_is_empty():
    assert movement({"ann": ("lawyers", "oppose")}, {"bob": ("lawyers", "support")}) == {}


def test_movement_rejects_unknown_positions():
    with pytest.raises(ValueError):
        movement({"ann": ("lawyers", "meh")}, {"ann": ("lawyers", "support")})
