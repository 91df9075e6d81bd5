"""Consensus mathematics of PRODUCT.md §4, checked against numbers worked out by hand.

Wilson bounds below were computed with 40-digit decimals from the textbook formula
centre = (p + z²/2n) / (1 + z²/n), half = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n), z = 1.959964.
"""

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deliberation.consensus.math import (
    POSITIONS,
    GroupCounts,
    Thresholds,
    smoothed_approval,
    summarize_clause,
    summarize_many,
    wilson_interval,
)

TOL = 1e-9

# Wilson lower bounds used in the table (y/n -> L).
L_4_5 = 0.375534627029995
L_5_5 = 0.565517531340607
L_9_10 = 0.595849970475228
L_1_10 = 0.017876212896074
L_2_10 = 0.056682150937767
L_5_10 = 0.236593089011479
L_3_4 = 0.300641840096908
L_4_6 = 0.2999933129947433
L_2_5 = 0.1176207731409971
L_3_5 = 0.230724279409119
L_1_5 = 0.036224108225631


def g(slug, s=0, a=0, x=0, o=0, b=0, members=0):
    return GroupCounts(slug, s, a, x, o, b, members)


# Each case: groups, sustained blocks, thresholds, then expected
# (level, B, P, C, F, weakest, D, E). None means null.
CASES = {
    "no votes at all": (
        [],
        0,
        Thresholds(),
        ("insufficient", None, None, None, None, None, None, 0.0),
    ),
    "groups without any vote": (
        [g("developers"), g("lawyers"), g("companies")],
        0,
        Thresholds(),
        ("insufficient", None, None, None, None, None, None, 0.0),
    ),
    # One quorate group: p = 6/7, B = C = 6/7, D = 0, F = L(5/5); P = 5/5; E = 5/5.
    "one group only": (
        [g("developers", s=5)],
        0,
        Thresholds(),
        ("insufficient", 6 / 7, 1.0, 6 / 7, L_5_5, "developers", 0.0, 1.0),
    ),
    # Abstentions are not decisive: n = 0 everywhere, nothing quorate, P null, E = 0/0 -> 0.
    "all abstain": (
        [g("developers", x=5), g("lawyers", x=6), g("companies", x=7)],
        0,
        Thresholds(),
        ("insufficient", None, None, None, None, None, None, 0.0),
    ),
    # p = 6/7, 6/7, 5/7: B = 17/21; P = 14/15; D = 1/7; F = L(4/5) of companies; E = 14/14.
    # C = (6/7 · 6/7 · 5/7)^(1/3) = 0.80660231046945299...
    "sustained block": (
        [g("developers", s=5), g("lawyers", s=5), g("companies", s=4, b=1)],
        1,
        Thresholds(),
        ("blocked", 17 / 21, 14 / 15, 0.8066023104694530, L_4_5, "companies", 1 / 7, 1.0),
    ),
    # Same votes, the block resolved: min p = 5/7 >= 2/3 but F = 0.3755 < 0.5, so not strong;
    # B = 17/21 >= 0.6 and min p >= 0.5: rough.
    "block resolved": (
        [g("developers", s=5), g("lawyers", s=5), g("companies", s=4, b=1)],
        0,
        Thresholds(),
        ("rough", 17 / 21, 14 / 15, 0.8066023104694530, L_4_5, "companies", 1 / 7, 1.0),
    ),
    # n = 4 < quorum 5 in every group: nothing quorate; P = 12/12; E = 6/12.
    "every group under quorum": (
        [g("developers", s=4), g("lawyers", a=4), g("companies", s=2, a=2)],
        0,
        Thresholds(),
        ("insufficient", None, 1.0, None, None, None, None, 4 / 8),
    ),
    # Quorate: developers p = 6/7, lawyers p = 4/7 (3 of 5); companies n = 1 not quorate.
    # B = 5/7, C = sqrt(24/49) = 0.69985421222376517, D = 2/7, F = L(3/5) of lawyers; G = 2 < 3.
    # P = (5 + 3 + 1) / (5 + 5 + 1) = 9/11.
    "two quorate groups are not enough": (
        [g("developers", s=5), g("lawyers", s=3, o=2), g("companies", s=1)],
        0,
        Thresholds(),
        ("insufficient", 5 / 7, 9 / 11, 0.6998542122237652, L_3_5, "lawyers", 2 / 7, 1.0),
    ),
    # p = 11/12, 11/12, 10/12: min p = 5/6 >= 2/3, F = L(9/10) = 0.5958 >= 0.5: strong.
    # B = 32/36 = 8/9; P = 29/30; D = 1/12; E = 27/29; C = 0.88800186397217559...
    "strong": (
        [g("developers", s=10), g("lawyers", s=8, a=2), g("companies", s=9, o=1)],
        0,
        Thresholds(),
        ("strong", 8 / 9, 29 / 30, 0.8880018639721756, L_9_10, "companies", 1 / 12, 27 / 29),
    ),
    # Exactly on 2/3: p = (3+1)/(4+2) = 4/6 in each group, quorum 4, floor lowered to 0.25 so
    # that only the 2/3 comparison decides. F = L(3/4); C = 2/3 up to exp/log rounding.
    "strong exactly at two thirds": (
        [g("developers", s=3, o=1), g("lawyers", a=3, b=1), g("companies", s=2, a=1, o=1)],
        0,
        Thresholds(quorum=4, strong_floor=0.25),
        ("strong", 2 / 3, 9 / 12, 2 / 3, L_3_4, "companies", 0.0, 5 / 9),
    ),
    # Companies p = (4+1)/(6+2) = 5/8 < 2/3: not strong. B = (2/3 + 2/3 + 5/8)/3 = 47/72 >= 0.6 and
    # min p = 5/8 >= 0.5: rough. F = min(L(3/4), L(4/6)) = L(4/6) = 0.29999331...; D = 1/24.
    # C = (2/3 · 2/3 · 5/8)^(1/3) = 0.65247794019481059...
    "rough just below strong": (
        [g("developers", s=3, o=1), g("lawyers", s=3, o=1), g("companies", s=4, o=2)],
        0,
        Thresholds(quorum=4, strong_floor=0.25),
        ("rough", 47 / 72, 10 / 14, 0.6524779401948106, L_4_6, "companies", 1 / 24, 1.0),
    ),
    # p = 11/12, 3/12, 6/12: B = 20/36 = 5/9 < 0.6; D = 8/12 = 2/3 >= 0.3: contested.
    # P = 17/30; weakest lawyers with L(2/10); C = (11/12 · 1/4 · 1/2)^(1/3).
    "contested": (
        [g("developers", s=10), g("lawyers", s=2, o=8), g("companies", s=5, b=5)],
        0,
        Thresholds(),
        ("contested", 5 / 9, 17 / 30, 0.4857063902709547, L_2_10, "lawyers", 2 / 3, 1.0),
    ),
    # p = 2/12, 3/12, 2/12: B = 7/36 < 0.4, D = 1/12 < 0.3: opposed. Companies and lawyers tie on
    # L(1/10) and on p = 2/12: the lower slug, companies, is the weakest. E = 3/4; P = 4/30.
    "opposed with a tie for weakest": (
        [g("lawyers", a=1, o=9), g("developers", s=2, b=8), g("companies", s=1, o=9)],
        0,
        Thresholds(),
        ("opposed", 7 / 36, 4 / 30, 0.1907857070922220, L_1_10, "companies", 1 / 12, 3 / 4),
    ),
    # p = 1/2 everywhere: B = 0.5, D = 0, min p = 0.5 < 2/3: neither rough, contested nor opposed.
    # Every L is L(5/10): the tie goes to the lowest slug. E = 8 / (8 + 7).
    "no consensus": (
        [g("developers", s=5, o=5), g("lawyers", a=5, b=5), g("companies", s=3, a=2, o=5)],
        0,
        Thresholds(),
        ("none", 0.5, 0.5, 0.5, L_5_10, "companies", 0.0, 8 / 15),
    ),
    # One big group carries the pooled figure: p = 101/102, 2/7, 2/7. P = 102/110 = 51/55 while
    # B = 1115/2142; D = 101/102 - 2/7 = 503/714: contested. Lawyers and companies tie on L(1/5)
    # and p: companies. E = 101/102. C = (101/102 · 2/7 · 2/7)^(1/3) = 0.43237612442733544...
    "pooled far above balanced": (
        [g("developers", s=100), g("lawyers", s=1, o=4), g("companies", a=1, b=4)],
        0,
        Thresholds(),
        (
            "contested",
            1115 / 2142,
            51 / 55,
            0.4323761244273354,
            L_1_5,
            "companies",
            503 / 714,
            101 / 102,
        ),
    ),
    # Exact-arithmetic guard: p = 3/7, 4/10, 7/10, D = 7/10 - 4/10 = 3/10 exactly, but in floats
    # 0.7 - 0.4 = 0.29999999999999993 < 0.3. B = 107/210 < 0.6: contested, not none.
    # P = 11/21; F = L(2/5) of developers; C = (3/7 · 4/10 · 7/10)^(1/3) = 0.49324241486609402...
    "divergence exactly at threshold": (
        [g("developers", s=2, o=3), g("lawyers", s=3, o=5), g("companies", s=6, o=2)],
        0,
        Thresholds(),
        ("contested", 107 / 210, 11 / 21, 0.4932424148660940, L_2_5, "developers", 3 / 10, 1.0),
    ),
    # min_groups = 0 and nothing quorate: still insufficient (rules 3 to 6 need G >= 1).
    "min groups zero and no quorate group": (
        [g("developers", s=1)],
        0,
        Thresholds(min_groups=0),
        ("insufficient", None, 1.0, None, None, None, None, 1.0),
    ),
}

FIGURES = ("level", "B", "P", "C", "F", "weakest", "D", "E")


def _close(actual, expected):
    if expected is None or isinstance(expected, str):
        return actual == expected
    return actual is not None and abs(actual - expected) <= TOL


@pytest.mark.parametrize("groups, sustained, thresholds, expected", CASES.values(), ids=CASES)
def test_it_matches_hand_worked_figures(groups, sustained, thresholds, expected):
    figures = summarize_clause(groups, sustained_blocks=sustained, thresholds=thresholds)
    actual = (
        figures.level,
        figures.balanced_approval,
        figures.pooled_approval,
        figures.bridging,
        figures.floor,
        figures.weakest_group,
        figures.divergence,
        figures.enthusiasm,
    )
    mismatched = [
        (name, got, want)
        for name, got, want in zip(FIGURES, actual, expected, strict=True)
        if not _close(got, want)
    ]
    assert mismatched == []


WILSON = [
    # (y, n, L, U)
    (8, 10, 0.490162469122132, 0.943317849062233),
    (9, 10, 0.595849970475228, 0.982123787103926),
    (1, 10, 0.017876212896074, 0.404150029524772),
    (5, 10, 0.236593089011479, 0.763406910988521),
    (4, 5, 0.375534627029995, 0.963775891774369),
    (1, 2, 0.094531204639201, 0.905468795360799),
    (5, 5, 0.565517531340607, 1.0),
    (100, 100, 0.963006501231004, 1.0),
    (0, 10, 0.0, 0.277532803026058),
    (0, 0, 0.0, 1.0),
]


@pytest.mark.parametrize("y, n, low, high", WILSON)
def test_wilson_interval_matches_known_values(y, n, low, high):
    got_low, got_high = wilson_interval(y, n)
    assert abs(got_low - low) <= TOL
    assert abs(got_high - high) <= TOL


def test_wilson_bounds_are_exact_at_the_extremes():
    assert wilson_interval(7, 7)[1] == 1.0
    assert wilson_interval(0, 7)[0] == 0.0


@pytest.mark.parametrize("y, n", [(-1, 3), (4, 3), (0, -1)])
def test_wilson_interval_rejects_impossible_counts(y, n):
    with pytest.raises(ValueError):
        wilson_interval(y, n)


def test_smoothed_approval_is_laplace():
    assert smoothed_approval(0, 0) == 0.5
    assert smoothed_approval(3, 4) == 4 / 6
    assert smoothed_approval(9, 10) == 10 / 12


def test_two_thirds_computed_from_counts_equals_the_threshold_float():
    # IEEE division is correctly rounded: 4/6, 6/9 and 2/3 are the same double, so p = 2/3
    # passes `>= 2/3` without any epsilon.
    assert smoothed_approval(3, 4) == smoothed_approval(5, 7) == 2 / 3


def test_per_group_figures_and_participation():
    groups = [g("lawyers", s=2, a=1, x=2, o=1, b=1, members=10), g("developers", s=5)]
    figures = summarize_clause(groups)
    developers, lawyers = figures.groups
    assert developers.group == "developers"
    assert developers.participation is None  # no verified member
    assert lawyers.participation == 7 / 10  # abstentions participate
    assert (lawyers.decisive, lawyers.approval, lawyers.quorate) == (5, 4 / 7, True)
    assert abs(lawyers.wilson_low - L_3_5) <= TOL
    assert figures.quorate_groups == 2


def test_as_dict_has_the_public_keys_and_is_json_ready():
    figures = summarize_clause(
        [g("developers", s=5, members=6)], sustained_blocks=0, open_objections=2
    )
    data = json.loads(json.dumps(figures.as_dict()))
    assert list(data) == [
        "level",
        "balanced_approval",
        "pooled_approval",
        "bridging",
        "floor",
        "weakest_group",
        "divergence",
        "enthusiasm",
        "sustained_blocks",
        "open_objections",
        "groups",
    ]
    assert data["open_objections"] == 2
    assert data["groups"] == [
        {
            "group": "developers",
            "support": 5,
            "accept": 0,
            "abstain": 0,
            "oppose": 0,
            "block": 0,
            "decisive": 5,
            "approval": 6 / 7,
            "wilson_low": figures.groups[0].wilson_low,
            "wilson_high": 1.0,
            "quorate": True,
            "participation": 5 / 6,
        }
    ]


def test_thresholds_from_settings_ignore_unknown_keys_and_default_missing_ones():
    th = Thresholds.from_settings(
        quorum=3, min_groups=2, thresholds={"rough_balanced": 0.7, "colour": 1}
    )
    assert th == Thresholds(quorum=3, min_groups=2, rough_balanced=0.7)


def test_settings_change_the_level():
    groups = [g("developers", s=4), g("lawyers", s=4)]
    assert summarize_clause(groups).level == "insufficient"
    lenient = Thresholds(quorum=4, min_groups=2)
    assert summarize_clause(groups, thresholds=lenient).level == "strong"


def test_it_rejects_duplicate_groups_and_negative_counts():
    with pytest.raises(ValueError):
        summarize_clause([g("developers", s=1), g("developers", s=2)])
    with pytest.raises(ValueError):
        summarize_clause([g("developers", s=-1)])


def test_summarize_many_equals_summarize_clause():
    rng = random.Random(7)
    slugs = ["developers", "lawyers", "legislators", "companies"]
    rows = [
        (clause, slug, position, rng.randint(0, 9))
        for clause in range(40)
        for slug in slugs
        for position in POSITIONS
    ]
    members = {"developers": 30, "lawyers": 0, "legislators": 12, "companies": 25}
    blocks = {3: 1, 7: 2}
    many = summarize_many(rows, verified_members=members, sustained_blocks=blocks)
    for clause, figures in many.items():
        groups = [
            GroupCounts(
                slug,
                *(sum(r[3] for r in rows if r[:3] == (clause, slug, p)) for p in POSITIONS),
                verified_members=members[slug],
            )
            for slug in slugs
        ]
        assert figures == summarize_clause(groups, sustained_blocks=blocks.get(clause, 0))
    assert many[3].level == "blocked"


def test_summarize_many_adds_repeated_rows_and_lists_silent_clauses_and_groups():
    rows = [("c1", "lawyers", "support", 2), ("c1", "lawyers", "support", 3)]
    many = summarize_many(rows, groups=["developers"], clauses=["c0"], open_objections={"c2": 1})
    assert list(many) == ["c0", "c1", "c2"]
    assert [f.group for f in many["c0"].groups] == ["developers", "lawyers"]
    assert many["c1"].groups[1].support == 5
    assert many["c2"].open_objections == 1


def test_summarize_many_rejects_unknown_positions():
    with pytest.raises(ValueError, match="unknown position"):
        summarize_many([("c1", "lawyers", "maybe", 1)])


# --- properties ---------------------------------------------------------------------------

SLUGS = ("academia", "companies", "developers", "lawyers", "legislators")
count = st.integers(min_value=0, max_value=30)
group_counts = st.builds(
    GroupCounts,
    group=st.sampled_from(SLUGS),
    support=count,
    accept=count,
    abstain=count,
    oppose=count,
    block=count,
    verified_members=st.integers(min_value=0, max_value=200),
)
clauses = st.lists(group_counts, max_size=5, unique_by=lambda c: c.group)
thresholds = st.builds(
    Thresholds,
    quorum=st.integers(min_value=0, max_value=12),
    min_groups=st.integers(min_value=0, max_value=5),
)


def _quorate_figures(f):
    return (f.balanced_approval, f.bridging, f.floor, f.divergence, f.weakest_group)


@settings(max_examples=300, deadline=None)
@given(clauses, st.integers(min_value=0, max_value=2), thresholds)
def test_every_figure_stays_in_range(groups, sustained, th):
    f = summarize_clause(groups, sustained_blocks=sustained, thresholds=th)
    for value in (f.balanced_approval, f.pooled_approval, f.bridging, f.floor, f.divergence):
        assert value is None or 0.0 <= value <= 1.0
    assert 0.0 <= f.enthusiasm <= 1.0
    for group in f.groups:
        assert 0.0 < group.approval < 1.0
        assert 0.0 <= group.wilson_low <= group.wilson_high <= 1.0
    if f.quorate_groups:
        approvals = [x.approval for x in f.groups if x.quorate]
        assert min(approvals) - 1e-12 <= f.bridging <= f.balanced_approval + 1e-12
        assert f.floor == min(x.wilson_low for x in f.groups if x.quorate)
    else:
        assert _quorate_figures(f) == (None,) * 5


@settings(max_examples=300, deadline=None)
@given(clauses, thresholds, st.data())
def test_one_more_approving_vote_never_lowers_p_or_balanced_approval(groups, th, data):
    quorate = [c for c in groups if c.support + c.accept + c.oppose + c.block >= th.quorum]
    if not quorate:
        return
    target = data.draw(st.sampled_from(quorate))
    position = data.draw(st.sampled_from(["support", "accept"]))
    more = [
        GroupCounts(**{**c.__dict__, position: getattr(c, position) + 1}) if c is target else c
        for c in groups
    ]
    before = summarize_clause(groups, thresholds=th)
    after = summarize_clause(more, thresholds=th)
    old_p = next(x.approval for x in before.groups if x.group == target.group)
    new_p = next(x.approval for x in after.groups if x.group == target.group)
    assert new_p >= old_p
    assert after.balanced_approval >= before.balanced_approval


@settings(max_examples=200, deadline=None)
@given(clauses, st.integers(min_value=1, max_value=5), thresholds)
def test_any_sustained_block_means_blocked(groups, sustained, th):
    assert summarize_clause(groups, sustained_blocks=sustained, thresholds=th).level == "blocked"


@settings(max_examples=300, deadline=None)
@given(clauses, thresholds, st.data())
def test_a_group_under_quorum_changes_no_quorate_figure(groups, th, data):
    free = [slug for slug in SLUGS if slug not in {c.group for c in groups}]
    if not free or th.quorum == 0:
        return
    decisive = data.draw(st.integers(min_value=0, max_value=th.quorum - 1))
    approving = data.draw(st.integers(min_value=0, max_value=decisive))
    extra = GroupCounts(
        data.draw(st.sampled_from(free)), support=approving, oppose=decisive - approving
    )
    before = summarize_clause(groups, thresholds=th)
    after = summarize_clause([*groups, extra], thresholds=th)
    assert _quorate_figures(after) == _quorate_figures(before)
    assert after.quorate_groups == before.quorate_groups


@settings(max_examples=200, deadline=None)
@given(clauses, thresholds, st.randoms(use_true_random=False))
def test_group_order_changes_nothing(groups, th, rnd):
    shuffled = list(groups)
    rnd.shuffle(shuffled)
    assert summarize_clause(shuffled, thresholds=th) == summarize_clause(groups, thresholds=th)
