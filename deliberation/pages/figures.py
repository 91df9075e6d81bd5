"""What each figure of PRODUCT.md §4 means, in one line: the tooltips and legends of every page
and the headings of /help/figures/ read from here, so a figure is explained the same everywhere."""

from django.utils.translation import gettext_lazy as _

# code -> (label, one-line explanation); the code is also the anchor on /help/figures/.
FIGURES = {
    "approval": (_("Approval"), _(
        "A group's approval: its approving votes (support, accept) plus one, over its decisive "
        "votes plus two, so that a handful of votes never reads as 0% or 100%.")),
    "interval": (_("95% interval"), _(
        "The range in which the group's true approval lies with 95% confidence (Wilson); "
        "wide when few have voted.")),
    "quorum": (_("Quorum"), _(
        "A group counts only once it has this many decisive votes (support, accept, oppose, "
        "block); figures of a group below it are shown in brackets and left out.")),
    "balanced": (_("Balanced approval"), _(
        "The average of the approval of each group with enough votes: every group weighs the "
        "same, whatever its size.")),
    "pooled": (_("Pooled approval"), _(
        "The share of all decisive votes that approve, all groups together; far above balanced "
        "approval, it means one big group carries the clause.")),
    "bridging": (_("Bridging"), _(
        "The geometric mean of the groups' approvals: high only when every group approves; "
        "one reluctant group pulls it down.")),
    "floor": (_("Floor"), _(
        "The lowest bound of the 95% intervals: even the least convinced group approves at "
        "least this much, with 95% confidence.")),
    "divergence": (_("Divergence"), _(
        "The gap between the most and the least approving group.")),
    "enthusiasm": (_("Enthusiasm"), _(
        "Of the approving votes, the share that support rather than merely accept.")),
    "participation": (_("Participation"), _(
        "The share of a group's verified members who voted on the clause (abstentions "
        "included).")),
    "blocks": (_("Sustained blocks"), _(
        "Block votes whose objection has not been resolved or overruled: while there is one, "
        "the clause has no consensus.")),
    "objections": (_("Open objections"), _(
        "Rationales of oppose and block votes that have no disposition yet.")),
    "level": (_("Level"), _(
        "The verdict on the clause: the first of the rules below that matches.")),
    "opinion-groups": (_("Opinion groups"), _(
        "Groups of members who vote alike, found from the votes alone, whatever stakeholder "
        "group they declared.")),
    "ari": (_("Adjusted Rand index"), _(
        "How far the opinion groups match the declared stakeholder groups: 1 the same, 0 no "
        "more than chance, below 0 less than chance.")),
}


def figure_tip(code: str) -> str:
    return str(FIGURES[code][1])


def figure_label(code: str) -> str:
    return str(FIGURES[code][0])


LEVEL_TIPS = {
    "blocked": _("Blocked: at least one block is sustained (not resolved or overruled)."),
    "insufficient": _("Insufficient: too few groups have enough votes to say anything yet."),
    "strong": _("Strong: every group clearly approves, even the least convinced one."),
    "rough": _("Rough: the groups approve on balance and none is against."),
    "contested": _("Contested: some groups approve and others do not."),
    "opposed": _("Opposed: the groups mostly disapprove."),
    "none": _("No consensus: approval is middling, neither clear nor divided."),
}


def level_tip(level: str) -> str:
    return str(LEVEL_TIPS.get(level or "insufficient", LEVEL_TIPS["insufficient"]))
