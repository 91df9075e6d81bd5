"""Display helpers of the pages: Markdown, word diffs, labels, and the SVG charts."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from definition import rendering
from definition.diffing import word_diff
from definition.rendering import render_markdown

from .. import charts

register = template.Library()

LEVELS = {
    "strong": pgettext_lazy("consensus level", "strong"),
    "rough": pgettext_lazy("consensus level", "rough"),
    "contested": pgettext_lazy("consensus level", "contested"),
    "opposed": pgettext_lazy("consensus level", "opposed"),
    "blocked": pgettext_lazy("consensus level", "blocked"),
    "insufficient": pgettext_lazy("consensus level", "insufficient"),
    "none": pgettext_lazy("consensus level", "no consensus"),
}
POSITIONS = {
    "support": pgettext_lazy("position", "Support"),
    "accept": pgettext_lazy("position", "Accept"),
    "abstain": pgettext_lazy("position", "Abstain"),
    "oppose": pgettext_lazy("position", "Oppose"),
    "block": pgettext_lazy("position", "Block"),
}
KINDS = {
    "comment": gettext_lazy("Comment"), "question": gettext_lazy("Question"),
    "suggestion": gettext_lazy("Suggestion"), "objection": gettext_lazy("Objection"),
}
DISPOSITIONS = {
    "accepted": gettext_lazy("accepted"), "partially-accepted": gettext_lazy("partially accepted"),
    "declined": gettext_lazy("declined"), "deferred": gettext_lazy("deferred"),
    "duplicate": gettext_lazy("duplicate"), "out-of-scope": gettext_lazy("out of scope"),
    "resolved": gettext_lazy("resolved"), "overruled": gettext_lazy("overruled"),
}
CHANGES = {
    "added": gettext_lazy("added"), "removed": gettext_lazy("removed"),
    "changed": gettext_lazy("changed"), "unchanged": gettext_lazy("unchanged"),
    "renamed": gettext_lazy("renamed"),
}
EVENT_KINDS = {
    "definition-created": gettext_lazy("definition created"),
    "facilitator-added": gettext_lazy("facilitator named"),
    "facilitator-removed": gettext_lazy("facilitator removed"),
    "settings-changed": gettext_lazy("settings changed"),
    "draft-created": gettext_lazy("draft created"),
    "draft-published": gettext_lazy("draft published"),
    "draft-closed": gettext_lazy("draft closed"),
    "draft-finalized": gettext_lazy("draft finalized"),
    "member-verified": gettext_lazy("member verified"),
    "member-rejected": gettext_lazy("application rejected"),
    "member-revoked": gettext_lazy("membership revoked"),
    "disposition": gettext_lazy("disposition"),
    "block-overruled": gettext_lazy("block overruled"),
    "comment-hidden": gettext_lazy("comment hidden"),
    "comment-restored": gettext_lazy("comment restored"),
    "flags-resolved": gettext_lazy("flags dismissed"),
}
MEMBERSHIP_STATUSES = {
    "pending": gettext_lazy("pending"), "verified": gettext_lazy("verified"),
    "rejected": gettext_lazy("rejected"), "revoked": gettext_lazy("revoked"),
}
DRAFT_STATUSES = {
    "editing": gettext_lazy("editing"), "open": gettext_lazy("open for comments"),
    "closed": gettext_lazy("closed"), "final": gettext_lazy("final"),
}


@register.filter
def clause_label(clause):
    """A clause as people read it: its heading, else its first words (never its key)."""
    return rendering.clause_label(clause.heading, clause.body)


@register.filter
def level_label(code):
    return LEVELS.get(code or "insufficient", code)


@register.filter
def position_label(code):
    return POSITIONS.get(code, code)


@register.filter
def event_label(code):
    return EVENT_KINDS.get(code, code)


@register.filter
def membership_label(code):
    return MEMBERSHIP_STATUSES.get(code, code)


@register.filter
def kind_label(code):
    return KINDS.get(code, code)


@register.filter
def disposition_label(code):
    return DISPOSITIONS.get(code, code)


@register.filter
def change_label(code):
    return CHANGES.get(code, code)


@register.filter
def status_label(code):
    return DRAFT_STATUSES.get(code, code)


@register.filter
def pct(value):
    return charts.pct(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def ordered_groups(summary, groups):
    """(group name, figures) in the definition's group order, for groups with figures."""
    by_slug = {g["group"]: g for g in summary.get("groups") or []}
    return [(name, by_slug[slug]) for slug, name in groups if slug in by_slug]


@register.simple_tag
def position_choices():
    return list(POSITIONS.items())


@register.simple_tag
def markdown(text, doc_id="", quotes=()):
    """Sanitised HTML of Markdown text; `quotes` are highlighted passages."""
    return mark_safe(render_markdown(text, doc_id=doc_id, quotes=quotes))  # noqa: S308 - nh3-cleaned


@register.simple_tag
def thread_quotes(threads):
    """The passages quoted by the visible comments of a clause, to highlight in its text."""
    comments = list(threads)
    for thread in threads:
        comments += getattr(thread, "thread_replies", [])
    return [c.quote for c in comments if c.quote and not c.hidden]


@register.simple_tag
def diff(old, new):
    """A word diff of two texts as <del>/<ins> runs."""
    return render_diff(word_diff(old or "", new or ""))


@register.simple_tag
def render_diff(ops):
    tags = {"delete": "del", "insert": "ins"}
    return format_html_join("", "{}", ((_diff_run(tags.get(op), text),) for op, text in ops))


def _diff_run(tag, text):
    if tag is None:
        return format_html("{}", text)
    return format_html("<{0}>{1}</{0}>", mark_safe(tag), text)  # noqa: S308 - fixed tag name


# Charts ------------------------------------------------------------------------------------------


def _position_labels():
    return {code: str(label) for code, label in POSITIONS.items()}


@register.simple_tag
def group_bars(summary, groups, label=""):
    """The per-group stacked bars of one clause summary."""
    by_slug = {g["group"]: g for g in summary.get("groups") or []}
    rows = [charts.BarRow(name, by_slug.get(slug, {}), by_slug.get(slug, {}).get("approval"),
                          by_slug.get(slug, {}).get("quorate", False))
            for slug, name in groups]
    title = _("Positions by group on %(clause)s") % {"clause": label} if label else _(
        "Positions by group")
    return mark_safe(charts.stacked_bars(rows, title=title, position_labels=_position_labels(),
                                         empty_label=_("no votes yet")))


@register.simple_tag
def bars_legend():
    return mark_safe(charts.legend(_position_labels()))


@register.simple_tag
def heat_map(rows, groups, definition, draft):
    """Clauses x groups, from the reader's rows (clause + stored summary)."""
    from django.urls import reverse

    heat_rows = []
    for row in rows:
        clause, summary = row["clause"], row["summary"]
        if not clause.body.strip():
            continue  # a section: not voted on, not in the map (PRODUCT.md §2)
        cells = {g["group"]: (g["approval"], g["quorate"]) for g in summary.get("groups") or []}
        href = reverse("deliberation:clause", args=[definition.slug, draft.version, clause.key])
        heat_rows.append(charts.HeatRow(clause.number, clause_label(clause), summary["level"],
                                        str(level_label(summary["level"])), href, cells))
    title = _("Consensus map of draft %(version)s") % {"version": draft.version}
    return mark_safe(charts.heat_map(heat_rows, groups, title=title, level_heading=_("Level")))


@register.simple_tag
def trend_sparkline(trend):
    points = [(p["version"], p["balanced_approval"]) for p in trend.get("points", [])]
    return mark_safe(charts.sparkline(points, title=_("Balanced approval across drafts")))


@register.simple_tag
def opinion_scatter(analysis):
    points = [(p["x"], p["y"], p["group"], p.get("member")) for p in analysis.get("positions", [])]
    labels = {g["label"]: _("Opinion group %(n)s") % {"n": g["label"] + 1}
              for g in analysis.get("groups", [])}
    return mark_safe(charts.scatter(points, title=_("Members on the opinion map"),
                                    group_labels=labels))
