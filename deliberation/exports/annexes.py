"""The annexes of a draft export: its consensus figures and the disposition of its comments.

Both are built from stored data (summaries computed by jobs, comments with their dispositions) in
a fixed few queries, and rendered as Markdown here; the print templates use the same rows.
Exports show what a visitor sees: hidden comments keep only their public reason, and objections
(rationales of votes) name their author only when the definition's votes are public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from deliberation.consensus.reading import read_clause
from deliberation.consensus.recompute import thresholds_for
from deliberation.consensus.selectors import get_draft_consensus
from deliberation.models import Appeal, Comment

ANNEXES = ("consensus", "dispositions")
POSITIONS = ("support", "accept", "abstain", "oppose", "block")


def _fig(value) -> str:
    return "–" if value is None else f"{value:.2f}"


@dataclass
class ConsensusRow:
    clause: object
    summary: dict
    reading: str = ""  # the figures in one plain-language sentence (consensus.reading)


def consensus_rows(draft, clauses) -> tuple[dict, list[ConsensusRow]]:
    """The stored consensus of the draft and one row per clause in reading order, with its
    sentence; sections (headings, not voted on) are left out unless the definition votes on
    them (PRODUCT.md §2)."""
    consensus = get_draft_consensus(draft=draft)
    by_key = {row["key"]: row for row in consensus["clauses"]}
    definition = draft.definition
    names = list(definition.groups.values_list("slug", "name"))
    thresholds = thresholds_for(definition)
    return consensus, [
        ConsensusRow(c, by_key[c.key], read_clause(by_key[c.key], group_names=names,
                                                   thresholds=thresholds))
        for c in clauses
        if c.key in by_key and (definition.sections_votable or not c.is_section)]


def has_votes(groups: list[dict]) -> bool:
    return any(g[name] for g in groups for name in POSITIONS)


def _group_table(groups: list[dict]) -> str:
    lines = ["| group | approval p | 95% interval | " + " | ".join(POSITIONS) + " | quorate |",
             "|---|---|---|" + "---|" * len(POSITIONS) + "---|"]
    for g in groups:
        counts = " | ".join(str(g[name]) for name in POSITIONS)
        lines.append(f"| {g['group']} | {_fig(g['approval'])} | "
                     f"{_fig(g['wilson_low'])}–{_fig(g['wilson_high'])} | {counts} | "
                     f"{'yes' if g['quorate'] else 'no'} |")
    return "\n".join(lines)


def _consensus_entry(row: ConsensusRow) -> str:
    s = row.summary
    head = (f"### {row.clause.number} `{row.clause.key}`: {s['level']}\n\n"
            f"B {_fig(s['balanced_approval'])} · C {_fig(s['bridging'])} · "
            f"F {_fig(s['floor'])} · P {_fig(s['pooled_approval'])} · "
            f"D {_fig(s['divergence'])} · weakest group {s['weakest_group'] or '–'} · "
            f"sustained blocks {s['sustained_blocks']} · open objections {s['open_objections']}")
    head += f"\n\n{row.reading}"
    groups = s.get("groups") or []
    return head + ("\n\n" + _group_table(groups) if has_votes(groups) else "")


def consensus_markdown(draft, clauses) -> str:
    """Annex A: per clause the level, B, C, F (and P, D) and a table of per-group approval."""
    consensus, rows = consensus_rows(draft, clauses)
    computed = consensus["computed_at"].isoformat(timespec="seconds") \
        if consensus["computed_at"] else "never"
    intro = (f"## Annex A. Consensus\n\nStored figures (PRODUCT §4), computed {computed}"
             f"{'; some are stale' if consensus['stale'] else ''}. B balanced approval, "
             "C bridging, F floor, P pooled approval, D divergence; p is each group's smoothed "
             "approval (y+1)/(n+2) with its Wilson 95% interval. Under each clause, one "
             "sentence says what its figures say; /help/figures/ on Concord explains each "
             "figure with a worked example.")
    return "\n\n".join([intro, *(_consensus_entry(row) for row in rows)])


# ---------------------------------------------------------------- dispositions


def list_top_level_comments(draft, clauses):
    """The draft's top-level comments, suggestions and objections with their dispositions, in
    the reading order of their clauses, then oldest first."""
    order = {c.pk: index for index, c in enumerate(clauses)}
    comments = (Comment.objects.filter(clause__draft=draft, parent=None)
                .select_related("author", "clause", "disposition__addressed_in",
                                "disposition__decided_by").order_by("created_at", "id")
                .prefetch_related(Prefetch("appeals", queryset=Appeal.objects.order_by("id"))))
    return sorted(comments, key=lambda c: order.get(c.clause_id, len(order)))


def author_label(comment, *, see_voters: bool) -> str:
    if comment.kind == Comment.Kind.OBJECTION and not see_voters:
        return "a member (votes are not public)"
    verified = "" if comment.author_verified else " (not a verified member)"
    return f"{comment.author.username}{verified}"


def _quoted(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().split("\n"))


def appeal_lines(comment) -> list[str]:
    """Each appeal against a disposition of the comment, with its decision, as Markdown lines."""
    lines = []
    for appeal in comment.appeals.all():
        lines.append(f"**Appeal #{appeal.pk}** against `{appeal.disposition_status}`: "
                     f"{appeal.reason.strip()}")
        decision = (f"{appeal.status}. {appeal.decision_reason.strip()}"
                    if appeal.decided_at else "not decided yet.")
        lines.append(f"**Appeal decision:** {decision}")
    return lines


def disposition_lines(comment) -> list[str]:
    """Status, response and acknowledgement of a comment's disposition, and its appeals, as
    Markdown lines."""
    return _answer_lines(comment) + appeal_lines(comment)


def _answer_lines(comment) -> list[str]:
    disposition = getattr(comment, "disposition", None)
    if disposition is None:
        return ["**Disposition:** none yet."]
    addressed = f" (addressed in {disposition.addressed_in.version})" \
        if disposition.addressed_in_id else ""
    lines = [f"**Disposition:** {disposition.status}{addressed}. {disposition.response.strip()}"]
    if disposition.acknowledged_satisfied is None:
        lines.append("**Acknowledgement:** not yet acknowledged.")
    else:
        word = "satisfied" if disposition.acknowledged_satisfied else "not satisfied"
        note = f" {disposition.acknowledgement_note.strip()}" \
            if disposition.acknowledgement_note.strip() else ""
        lines.append(f"**Acknowledgement:** {word}.{note}")
    return lines


def _disposition_entry(comment, numbers: dict, *, see_voters: bool) -> str:
    number = numbers.get(comment.clause_id, "")
    head = (f"### #{comment.pk} {comment.kind} on {number} `{comment.clause.key}`, "
            f"by {author_label(comment, see_voters=see_voters)}")
    if comment.hidden:
        body = f"_Hidden by the facilitators: {comment.hidden_reason}_"
    else:
        body = _quoted(comment.body)
        if comment.proposed_text:
            body += "\n\nProposed text:\n\n" + _quoted(comment.proposed_text)
    return "\n\n".join([head, body, *disposition_lines(comment)])


def dispositions_markdown(draft, clauses) -> str:
    """Annex B: every top-level comment with its disposition and acknowledgement."""
    comments = list_top_level_comments(draft, clauses)
    see_voters = draft.definition.votes_public
    numbers = {c.pk: c.number for c in clauses}
    answered = sum(1 for c in comments if getattr(c, "disposition", None) is not None)
    intro = (f"## Annex B. Disposition of comments\n\n{len(comments)} comments, suggestions and "
             f"objections; {answered} with a disposition.")
    entries = [_disposition_entry(c, numbers, see_voters=see_voters) for c in comments]
    return "\n\n".join([intro, *entries])


def annex_markdown(draft, clauses, annexes) -> list[str]:
    builders = {"consensus": consensus_markdown, "dispositions": dispositions_markdown}
    return [builders[name](draft, clauses) for name in annexes]
