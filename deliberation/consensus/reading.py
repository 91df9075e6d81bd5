"""The plain-language reading of a clause's figures: one generated sentence (PRODUCT.md §6).

Pure but for gettext: it takes a stored summary (the §5.1 shape), the group names and the
definition's thresholds, and says in words what the numbers say — who approves, who is least
convinced, which group dissents, what is missing — so that nobody has to decode "B 85 %, P 96 %,
rough". Every message is a whole sentence with named placeholders (and ngettext for counts), so
that the Chinese translation can order its words naturally.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliberation.consensus.math import Thresholds, _decide

# Pooled approval this far above balanced approval means one large group carries the clause
# (PRODUCT.md §4: "when P >> B").
CARRIED_GAP = 0.15


def pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def read_clause(summary: Mapping, *, group_names: Mapping[str, str] | Sequence[tuple[str, str]],
                thresholds: Thresholds = Thresholds()) -> str:  # noqa: B008 - frozen
    """One or a few short sentences that say what the clause's figures say."""
    names = dict(group_names)
    groups = _ordered(summary.get("groups") or [], names)
    if not any(_votes(g) for g in groups):
        return _("No votes yet.")
    quorate = [g for g in groups if g.get("quorate")]
    level = summary.get("level") or "insufficient"
    parts = [_picture(summary, groups, quorate, names, thresholds, level)]
    parts += _notes(summary, groups, quorate, names, level)
    return " ".join(part for part in parts if part)


def _ordered(groups: list[Mapping], names: Mapping[str, str]) -> list[Mapping]:
    order = {slug: i for i, slug in enumerate(names)}
    return sorted(groups, key=lambda g: (order.get(g["group"], len(order)), g["group"]))


def _votes(group: Mapping) -> int:
    return sum(int(group.get(p) or 0) for p in ("support", "accept", "abstain", "oppose", "block"))


def _name(slug: str | None, names: Mapping[str, str]) -> str:
    return str(names.get(slug or "", slug or ""))


def _join(items: list[str]) -> str:
    # Translators: the separator of a list of group names ("Lawyers, Companies").
    return _(", ").join(items)


def _picture(summary, groups, quorate, names, th: Thresholds, level: str) -> str:
    """What the approval looks like; for a blocked clause, what it would be without the block."""
    if level == "blocked":
        level = _unblocked_level(summary, quorate, th)
    if level == "insufficient":
        return _too_few(groups, quorate, th)
    weakest = _name(summary.get("weakest_group"), names)
    by_slug = {g["group"]: g for g in quorate}
    weakest_p = pct(by_slug.get(summary.get("weakest_group"), {}).get("approval"))
    n, total = len(quorate), len(groups)
    values = {"n": n, "total": total, "weakest": weakest, "p": weakest_p,
              "b": pct(summary.get("balanced_approval"))}
    if level in ("strong", "rough"):
        return _approving(level, n == total, n) % values
    # Ties go to the group listed first (the definition's order).
    highest = max(quorate, key=lambda g: g["approval"])
    lowest = min(quorate, key=lambda g: g["approval"])
    values.update(high=_name(highest["group"], names), p_high=pct(highest["approval"]),
                  low=_name(lowest["group"], names), p_low=pct(lowest["approval"]))
    if level == "contested":
        return _("Groups disagree: approval is %(p_high)s among %(high)s but only %(p_low)s "
                 "among %(low)s.") % values
    if level == "opposed":
        return _("Most groups disapprove (balanced approval %(b)s); approval is lowest among "
                 "%(low)s (%(p_low)s).") % values
    return _("No consensus: approval is middling (balanced approval %(b)s), from %(p_low)s "
             "(%(low)s) to %(p_high)s (%(high)s).") % values


def _approving(level: str, everyone: bool, n: int) -> str:
    if level == "strong" and everyone:
        return ngettext("The group strongly approves; least convinced: "
                        "%(weakest)s (%(p)s).",
                        "All %(n)s groups strongly approve; least convinced: "
                        "%(weakest)s (%(p)s).", n)
    if level == "strong":
        return ngettext("The %(n)s group with enough votes strongly approves; least "
                        "convinced: %(weakest)s (%(p)s).",
                        "The %(n)s groups with enough votes strongly approve; least "
                        "convinced: %(weakest)s (%(p)s).", n)
    if everyone:
        return ngettext("The group mostly approves; least convinced: "
                        "%(weakest)s (%(p)s).",
                        "All %(n)s groups mostly approve; least convinced: "
                        "%(weakest)s (%(p)s).", n)
    return ngettext("The %(n)s group with enough votes mostly approves; least "
                    "convinced: %(weakest)s (%(p)s).",
                    "The %(n)s groups with enough votes mostly approve; least "
                    "convinced: %(weakest)s (%(p)s).", n)


def _unblocked_level(summary, quorate, th: Thresholds) -> str:
    """The level rules 2 to 7 give, to say how the groups stand apart from the block."""
    ps = [g["approval"] for g in quorate]
    if not ps:
        return "insufficient"
    return _decide(0, len(ps), min(ps), summary.get("balanced_approval"), summary.get("floor"),
                   summary.get("divergence"), th, th)


def _too_few(groups, quorate, th: Thresholds) -> str:
    below, total = len(groups) - len(quorate), len(groups)
    values = {"below": below, "total": total, "needed": th.min_groups, "quorum": th.quorum}
    if not quorate:
        return ngettext("Too few votes yet: %(below)s of %(total)s group is below quorum.",
                        "Too few votes yet: %(below)s of %(total)s groups are below quorum.",
                        total) % values
    return ngettext("Too few votes yet: %(below)s of %(total)s group is below quorum, and a "
                    "level needs %(needed)s groups with %(quorum)s decisive votes each.",
                    "Too few votes yet: %(below)s of %(total)s groups are below quorum, and a "
                    "level needs %(needed)s groups with %(quorum)s decisive votes each.",
                    total) % values


def _carried(groups, pooled: float | None, balanced: float | None) -> bool:
    """P well above B because one group casts most of the decisive votes (smoothing alone
    also puts P above B when every group is small, which is no big group)."""
    if pooled is None or balanced is None or pooled - balanced < CARRIED_GAP:
        return False
    decisive = [int(g.get("decisive") or 0) for g in groups]
    return max(decisive) * 2 >= sum(decisive)


def _notes(summary, groups, quorate, names, level: str) -> list[str]:
    notes = []
    below = [g for g in groups if not g.get("quorate")]
    if below and level != "insufficient" and quorate:
        listed = _join([_name(g["group"], names) for g in below])
        notes.append(_("Not counted yet (below quorum): %(names)s.") % {"names": listed})
    if not quorate:
        votes = sum(_votes(g) for g in groups)
        notes.append(ngettext("%(n)s vote so far.", "%(n)s votes so far.", votes) % {"n": votes})
    pooled, balanced = summary.get("pooled_approval"), summary.get("balanced_approval")
    if _carried(groups, pooled, balanced) and level != "insufficient":
        notes.append(_("One big group carries it: %(pooled)s of all voters approve, but "
                       "%(b)s on balance across groups.") % {"pooled": pct(pooled),
                                                            "b": pct(balanced)})
    blocks = int(summary.get("sustained_blocks") or 0)
    if blocks:
        notes.append(ngettext("%(n)s sustained block: no consensus until it is resolved.",
                              "%(n)s sustained blocks: no consensus until they are resolved.",
                              blocks) % {"n": blocks})
    return notes
