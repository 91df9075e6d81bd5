"""Display helpers of the pages: Markdown, word diffs, figures and the SVG charts (labels of
coded values are core's `label` filter)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import labels
from definition.diffing import plain_text, text_diff
from definition.rendering import render_markdown
from deliberation.models import Position
from deliberation.pages import charts

register = template.Library()

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
    return list(Position.choices)


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
    """A word diff of two Markdown texts, compared without their markup, as <del>/<ins> runs."""
    return render_diff(text_diff(old or "", new or ""))


@register.filter(name="plain")
def plain(text):
    """Markdown text without its markup (shown as plain text, escaped by the template)."""
    return plain_text(text or "")


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
    return {code: str(label) for code, label in Position.choices}


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
        cells = {g["group"]: (g["approval"], g["quorate"]) for g in summary.get("groups") or []}
        href = reverse("deliberation:clause", args=[definition.slug, draft.version, clause.key])
        level = summary["level"] or "insufficient"
        heat_rows.append(charts.HeatRow(clause.number, clause.key, level,
                                        str(labels.label("level", level)), href, cells))
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
                                    group_labels=labels,
                                    axis_labels=(_("first component"), _("second component"))))


@register.simple_tag
def trend_chart(trend, groups):
    """Balanced approval and each stakeholder group's approval across the drafts of a clause."""
    points = trend.get("points", [])
    names = dict(groups)
    series = [(str(_("Balanced approval")), [p["balanced_approval"] for p in points])]
    series += [(names.get(g["group"], g["group"]), [p["approval"] for p in g["points"]])
               for g in trend.get("groups", [])]
    return mark_safe(charts.trend_chart(  # noqa: S308 - values escaped by charts
        [p["version"] for p in points], series,
        title=_("Approval across drafts, overall and per group"), y_label=_("approval")))
