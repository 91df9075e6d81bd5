"""Latent opinion groups (Pol.is-style) on synthetic ballots."""

import json
import random

import pytest

from deliberation.consensus.opinion import MAP_BINS, MemberPosition, map_cells, opinion_groups

POSITIONS = ["support", "accept", "abstain", "oppose", "block"]


def _planted(seed, clusters=3, per_cluster=20, clauses=20, noise=0.1):
    """Each cluster votes its own profile; a `noise` share of votes is random."""
    rng = random.Random(seed)
    keys = [f"c{j}" for j in range(clauses)]
    profiles = [[rng.choice(POSITIONS) for _ in keys] for _ in range(clusters)]
    votes, declared = [], {}
    for cluster, profile in enumerate(profiles):
        for i in range(per_cluster):
            member = cluster * per_cluster + i
            declared[member] = f"group-{cluster}"
            for key, planned in zip(keys, profile, strict=True):
                position = rng.choice(POSITIONS) if rng.random() < noise else planned
                votes.append((member, key, position))
    return votes, keys, declared


def _uniform(seed, members=60, clauses=20):
    rng = random.Random(seed)
    keys = [f"c{j}" for j in range(clauses)]
    votes = [(m, k, rng.choice(POSITIONS)) for m in range(members) for k in keys]
    return votes, keys, {m: f"group-{m % 3}" for m in range(members)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_it_recovers_planted_groups(seed):
    votes, keys, declared = _planted(seed)
    result = opinion_groups(votes, clause_keys=keys, declared_groups=declared, seed=seed)
    assert result.k == 3
    assert result.structured is True
    assert result.reason is None
    assert result.silhouette >= 0.5
    assert result.adjusted_rand >= 0.9
    assert sorted(group.size for group in result.groups) == [20, 20, 20]
    assert len(result.positions) == 60


@pytest.mark.parametrize("seed, members", [(0, 60), (1, 60), (2, 200), (1, 10), (2, 20)])
def test_uniformly_random_votes_have_no_structure(seed, members):
    votes, keys, declared = _uniform(seed, members)
    result = opinion_groups(votes, clause_keys=keys, declared_groups=declared)
    assert result.structured is False
    assert result.reason
    assert abs(result.adjusted_rand) < 0.2


def test_bridging_and_divisive_clauses():
    # Two camps of 6 agree on "common" and split on "split"; other clauses separate the camps.
    keys = ["common", "split", *(f"c{j}" for j in range(6))]
    votes = []
    for member in range(12):
        camp = member < 6
        votes.append((member, "common", "support"))
        votes.append((member, "split", "support" if camp else "block"))
        votes += [(member, key, "accept" if camp else "oppose") for key in keys[2:]]
    result = opinion_groups(votes, clause_keys=keys, declared_groups={})
    assert result.k == 2
    assert result.bridging == ("common",)
    # p = (6+1)/(6+2) = 7/8 in one camp, 1/8 in the other: spread 3/4 on all but "common".
    assert result.divisive[0] == ("split", 0.75)
    assert len(result.divisive) == 5
    assert all(spread == 0.75 for _, spread in result.divisive)
    assert result.adjusted_rand is None  # nobody declared a group
    assert all(p == 7 / 8 for p in result.groups[0].approval.values() if p > 0.5)


def test_members_with_too_few_votes_are_left_out():
    votes, keys, declared = _planted(0, per_cluster=5)
    votes += [("late", key, "support") for key in keys[:6]]  # 6 < min(7, 20) votes
    result = opinion_groups(votes, clause_keys=keys, declared_groups=declared)
    assert result.members_considered == 15
    assert result.members_excluded == 1
    assert "late" not in {p.member for p in result.positions}


def test_as_dict_is_json_ready_and_can_hide_members():
    votes, keys, declared = _planted(3)
    result = opinion_groups(votes, clause_keys=keys, declared_groups=declared)
    public = json.loads(json.dumps(result.as_dict()))
    assert public["k"] == 3 and len(public["positions"]) == 60
    anonymous = result.as_dict(anonymous=True)
    assert {p["member"] for p in anonymous["positions"]} == {None}


def test_it_is_deterministic():
    votes, keys, declared = _planted(4)
    first = opinion_groups(votes, clause_keys=keys, declared_groups=declared, seed=5)
    again = opinion_groups(
        list(reversed(votes)), clause_keys=keys, declared_groups=declared, seed=5
    )
    assert first == again


@pytest.mark.parametrize(
    "votes, keys, k",
    [
        ([], ["a", "b"], 0),
        ([(1, "a", "support"), (2, "a", "oppose"), (3, "a", "accept")], ["a"], 0),
        ([(m, k, "support") for m in range(2) for k in "abcdefg"], list("abcdefg"), 0),
        ([(m, k, "accept") for m in range(8) for k in "abcdefg"], list("abcdefg"), 1),
    ],
    ids=["no votes", "one clause", "two members", "identical votes"],
)
def test_degenerate_inputs_give_a_reason_not_an_exception(votes, keys, k):
    result = opinion_groups(votes, clause_keys=keys, declared_groups={})
    assert result.k == k
    assert result.structured is False
    assert result.reason
    json.dumps(result.as_dict())


def test_unknown_positions_are_rejected():
    with pytest.raises(ValueError):
        opinion_groups([(1, "a", "maybe")], clause_keys=["a"], declared_groups={})


@pytest.mark.parametrize("per_cluster", [20, 400])
def test_the_map_is_binned_and_does_not_grow_with_the_members(per_cluster):
    votes, keys, declared = _planted(0, per_cluster=per_cluster)
    result = opinion_groups(votes, clause_keys=keys, declared_groups=declared, seed=0)
    cells = result.map
    assert sum(cell.count for cell in cells) == len(result.positions) == 3 * per_cluster
    assert len(cells) <= 3 * MAP_BINS**2  # the bound, whatever the members
    if per_cluster == 400:  # planted groups fill a few cells each, far fewer than members
        assert len(cells) < len(result.positions) / 5
    members = sorted(m for cell in cells for m in cell.members)
    assert members == sorted(p.member for p in result.positions)
    for cell in cells:  # every member of a cell is of the cell's group, the mean is theirs
        places = [p for p in result.positions if p.member in set(cell.members)]
        assert {p.group for p in places} == {cell.group}
        assert cell.x == pytest.approx(sum(p.x for p in places) / len(places))


def test_map_cells_split_by_grid_and_group():
    positions = [MemberPosition("a", 0.0, 0.0, 0), MemberPosition("b", 0.01, 0.0, 0),
                 MemberPosition("c", 0.01, 0.0, 1), MemberPosition("d", 1.0, 1.0, 0)]
    cells = map_cells(positions, bins=4)
    assert [(c.group, c.count, c.members) for c in cells] == [
        (0, 2, ("a", "b")), (0, 1, ("d",)), (1, 1, ("c",))]
    assert map_cells([]) == ()


def test_anonymous_dict_drops_the_members_of_map_cells():
    votes, keys, declared = _planted(1)
    data = opinion_groups(votes, clause_keys=keys, declared_groups=declared).as_dict(
        anonymous=True)
    assert data["map"] and all(cell["members"] == [] for cell in data["map"])
    json.dumps(data)
