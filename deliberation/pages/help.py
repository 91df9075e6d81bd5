"""/help/figures/: how to read the figures, each with a worked example that the real code
computes when the page is asked for (consensus.math, consensus.reading, consensus.opinion), so
the page can never drift from what Concord actually does."""

import numpy as np
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from deliberation.consensus.math import (
    Z95,
    GroupCounts,
    Thresholds,
    summarize_clause,
)
from deliberation.consensus.opinion import BRIDGING_APPROVAL, _adjusted_rand
from deliberation.consensus.reading import CARRIED_GAP, read_clause
from deliberation.pages.figures import FIGURES

EXAMPLE_GROUPS = (("developers", _("Developers")), ("lawyers", _("Lawyers")),
                  ("legislators", _("Legislators")), ("companies", _("Companies")))

# The worked example: (support, accept, abstain, oppose, block, verified members) per group.
EXAMPLE_COUNTS = {"developers": (6, 2, 1, 1, 0, 12), "lawyers": (3, 1, 0, 2, 0, 8),
                  "legislators": (2, 0, 1, 0, 0, 6), "companies": (4, 2, 0, 1, 0, 9)}

# One example per level, in the order the rules are tried: per group (s, a, x, o, b), and the
# sustained blocks.
LEVEL_EXAMPLES = (
    ("blocked", ((6, 2, 0, 0, 0), (5, 1, 0, 0, 1), (6, 1, 0, 0, 0), (5, 2, 0, 0, 0)), 1),
    ("insufficient", ((5, 1, 0, 0, 0), (2, 0, 0, 1, 0), (1, 0, 0, 0, 0), (0, 0, 0, 0, 0)), 0),
    ("strong", ((8, 1, 0, 0, 0), (6, 1, 0, 1, 0), (7, 0, 0, 0, 0), (6, 2, 0, 0, 0)), 0),
    ("rough", ((6, 1, 0, 1, 0), (3, 1, 0, 2, 0), (6, 0, 0, 1, 0), (4, 2, 0, 1, 0)), 0),
    ("contested", ((8, 1, 0, 0, 0), (1, 0, 0, 5, 0), (6, 1, 0, 1, 0), (5, 1, 0, 1, 0)), 0),
    ("opposed", ((1, 0, 0, 5, 0), (0, 1, 0, 5, 0), (1, 0, 0, 6, 0), (0, 0, 0, 6, 0)), 0),
    ("none", ((3, 0, 0, 3, 0), (3, 0, 0, 3, 0), (3, 0, 0, 2, 0), (2, 0, 0, 3, 0)), 0),
)

# Eight members: their declared group and the opinion group found for them.
ARI_EXAMPLES = (
    ("match", ("developers",) * 4 + ("lawyers",) * 4, (0, 0, 0, 0, 1, 1, 1, 1)),
    ("partial", ("developers",) * 4 + ("lawyers",) * 4, (0, 0, 0, 1, 1, 1, 1, 0)),
    ("across", ("developers",) * 4 + ("lawyers",) * 4, (0, 1, 0, 1, 0, 1, 0, 1)),
)


def _counts(slug: str, row: tuple, members: int = 0) -> GroupCounts:
    return GroupCounts(slug, *row[:5], verified_members=members)


def worked_example(thresholds: Thresholds) -> dict:
    """The example clause: its per-group arithmetic and every summary figure, as computed."""
    names = dict(EXAMPLE_GROUPS)
    figures = summarize_clause([_counts(slug, row, row[5]) for slug, row in
                                EXAMPLE_COUNTS.items()], thresholds=thresholds)
    summary = figures.as_dict()
    quorate = [g for g in figures.groups if g.quorate]
    rows = [{"name": names[g.group], "g": g, "approving": g.support + g.accept,
             "voters": g.support + g.accept + g.abstain + g.oppose + g.block,
             "members": EXAMPLE_COUNTS[g.group][5]} for g in _in_order(figures.groups)]
    approving = sum(r["approving"] for r in rows)
    decisive = sum(r["g"].decisive for r in rows)
    support = sum(r["g"].support for r in rows)
    return {"rows": rows, "figures": figures,
            "quorate": [names[g.group] for g in _in_order(quorate)], "quorate_count": len(quorate),
            "p_values": [r["g"].approval for r in rows if r["g"].quorate],
            "approving": approving, "decisive": decisive, "support": support,
            "weakest": names.get(figures.weakest_group, ""),
            "sentence": read_clause(summary, group_names=EXAMPLE_GROUPS, thresholds=thresholds)}


def _in_order(groups):
    order = [slug for slug, _ in EXAMPLE_GROUPS]
    return sorted(groups, key=lambda g: order.index(g.group))


def level_examples(thresholds: Thresholds) -> list[dict]:
    """Per level, a clause that reaches it: its group approvals, level and sentence."""
    result = []
    for level, counts, blocks in LEVEL_EXAMPLES:
        groups = [_counts(slug, row) for (slug, _), row in zip(EXAMPLE_GROUPS, counts,
                                                                strict=True)]
        figures = summarize_clause(groups, sustained_blocks=blocks, thresholds=thresholds)
        names = dict(EXAMPLE_GROUPS)
        result.append({"level": level, "figures": figures, "computed": figures.level,
                       "groups": [(names[g.group], g) for g in _in_order(figures.groups)],
                       "sentence": read_clause(figures.as_dict(), group_names=EXAMPLE_GROUPS,
                                               thresholds=thresholds)})
    return result


def ari_examples() -> list[dict]:
    """The adjusted Rand index of three ways eight members can fall into opinion groups."""
    names, result = dict(EXAMPLE_GROUPS), []
    for name, declared, found in ARI_EXAMPLES:
        members = list(range(len(found)))
        value = _adjusted_rand(members, np.array(found), dict(zip(members, declared,
                                                                  strict=True)))
        result.append({"name": name, "value": value,
                       "members": [(names[slug], group + 1) for slug, group in
                                   zip(declared, found, strict=True)]})
    return result


def help_figures(request):
    """Each figure and level of PRODUCT.md §4 explained, with examples computed now."""
    thresholds = Thresholds()
    return render(request, "deliberation/help_figures.html", {
        "figures": {code: {"label": label, "tip": tip} for code, (label, tip) in FIGURES.items()},
        "example": worked_example(thresholds), "levels": level_examples(thresholds),
        "ari": ari_examples(), "th": thresholds, "z": Z95, "carried_gap": CARRIED_GAP,
        "bridging_approval": BRIDGING_APPROVAL,
    })
