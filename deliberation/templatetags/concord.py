"""Display helpers of the pages: Markdown, word diffs, figures and the SVG charts (labels of
coded values are core's `label` filter)."""

import hashlib

from django import template
from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core import labels
from definition.titles import display_title
from deliberation.models import Position
from deliberation.pages import charts, figures

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
def thread_quotes(threads):
    """The passages quoted by the visible comments of a clause, to highlight in its text."""
    comments = list(threads)
    for thread in threads:
        comments += getattr(thread, "thread_replies", [])
    return [c.quote for c in comments if c.quote and not c.hidden]


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


@register.simple_tag(takes_context=True)
def figures_block(context):
    """A clause's headline, reading and bars (`_figures.html`), kept per process under a key of
    everything they show: the stored figures change only when a job recomputes them, and a page
    shows dozens of them to every reader."""
    summary, clause, definition = context["summary"], context["clause"], context["definition"]
    values = {"summary": summary, "clause": clause, "definition": definition,
              "groups": context["groups"], "poll": context.get("poll", False)}
    key = hashlib.sha256(repr((
        summary, values["groups"], clause.key, clause.number, values["poll"], get_language(),
        definition.slug, definition.quorum, definition.min_groups, definition.thresholds,
    )).encode()).hexdigest()
    fragments = caches["fragments"]
    html = fragments.get(key)
    if html is None:
        html = get_template("deliberation/_figures.html").render(values)
        fragments.set(key, html)
    return mark_safe(html)  # noqa: S308 - rendered by our template, escaped there


@register.simple_tag
def bars_legend():
    return mark_safe(charts.legend(_position_labels()))


@register.simple_tag
def heat_map(rows, groups, definition, draft):
    """Clauses x groups, from the reader's rows (clause + stored summary); sections are left
    out (PRODUCT.md §2)."""
    from django.urls import reverse

    heat_rows = []
    for row in rows:
        clause, summary = row["clause"], row["summary"]
        if row.get("section"):
            continue
        cells = {g["group"]: (g["approval"], g["quorate"], g["decisive"])
                 for g in summary.get("groups") or []}
        href = reverse("deliberation:clause", args=[definition.slug, draft.version, clause.key])
        level = summary["level"] or "insufficient"
        heat_rows.append(charts.HeatRow(clause.number, clause.key, level,
                                        str(labels.label("level", level)), href, cells,
                                        title=clause.display_title))
    title = _("Consensus map of draft %(version)s (the same figures are in the table below)") % {
        "version": draft.version}
    return mark_safe(charts.heat_map(heat_rows, groups, title=title, level_heading=_("Level"),
                                     no_votes=_("no votes"), below_quorum=_("below quorum")))


@register.simple_tag
def opinion_scatter(analysis):
    labels = {g["label"]: _("Opinion group %(n)s") % {"n": g["label"] + 1}
              for g in analysis.get("groups", [])}
    points = []
    for cell in analysis.get("map", []):
        names = ", ".join(cell["names"])
        more = cell["count"] - len(cell["names"])
        if names and more:
            names = _("%(names)s and %(n)s more") % {"names": names, "n": more}
        tip = names or ngettext("%(n)s member", "%(n)s members", cell["count"]) % {
            "n": cell["count"]}
        points.append((cell["x"], cell["y"], cell["group"], tip, cell["count"]))
    return mark_safe(charts.scatter(points, title=_("Members on the opinion map"),
                                    group_labels=labels,
                                    axis_labels=(_("first component"), _("second component"))))


# Reading the figures (issue #14) -----------------------------------------------------------------


@register.simple_tag
def clause_reading(summary, groups, definition):
    """The plain-language sentence of a clause's figures (consensus.reading)."""
    from deliberation.consensus.reading import read_clause
    from deliberation.consensus.recompute import thresholds_for

    return read_clause(summary, group_names=groups, thresholds=thresholds_for(definition))


@register.simple_tag
def figure_tip(code):
    """One line on what a figure means (the tooltip of its label)."""
    return figures.figure_tip(code)


@register.simple_tag
def figure_label(code):
    return figures.figure_label(code)


@register.simple_tag
def figure_list(*codes):
    """(code, label, explanation) of the given figures, for a legend."""
    return [(code, *map(str, figures.FIGURES[code])) for code in codes]


@register.simple_tag
def level_tip(level):
    """What a consensus level means, in one line (the tooltip of its badge)."""
    return figures.level_tip(level)


@register.filter
def group_name(groups, slug):
    """The name of a group from the page's (slug, name) pairs; the slug when unknown."""
    return dict(groups or ()).get(slug, slug) if slug else "–"


@register.filter
def group_figures(groups, slug):
    """One group's figures from a summary's `groups` list (None when absent)."""
    return next((g for g in groups or () if g["group"] == slug), None)


@register.simple_tag
def title_of(heading, body, key=""):
    """What people read for a clause known by its texts: its heading, else its body's first
    words, else (only then) its key."""
    return display_title(heading or "", body or "") or key
@register.simple_tag
def page_query(query, page):
    """The query string of the current filters with another `page`."""
    query = query.copy()
    query["page"] = page
    return query.urlencode()


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
