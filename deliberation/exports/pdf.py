"""PDF exports: print HTML (templates/exports/) laid out by WeasyPrint.

The templates only display: every figure, number and fragment of HTML is prepared here. Clause
bodies are Markdown rendered and sanitised (nh3); their footnotes are printed as notes right under
the clause that cites them, numbered through the document (a CSS `float: footnote` costs
WeasyPrint ~50 ms each).

Speed (PRODUCT.md §7: a 200-clause draft with both annexes in at most 5 s): WeasyPrint's cost grows
with the number of boxes, text fragments and SVG nodes it lays out and draws, so the consensus
annex is blocks of monospaced lines (one text box per clause) with one SVG of bars per block, the
contents have no leader dots, and one FontConfiguration serves the whole process.
"""

from __future__ import annotations

import base64
import itertools
import re
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from definition import exports as text
from deliberation.exports import annexes as annex
from deliberation.exports.charts_print import approval_strips

_FOOTNOTE_ITEM = re.compile(r'<li id="fn(\d+)"[^>]*>(.*?)</li>', re.DOTALL)
_FOOTNOTE_REF = re.compile(r'<sup class="footnote-ref"><a href="#fn(\d+)"[^>]*>[^<]*</a></sup>')
_FOOTNOTE_BLOCK = re.compile(r'<hr class="footnotes-sep"\s*/?>\s*<section class="footnotes">'
                             r".*?</section>", re.DOTALL)
_BACKREF = re.compile(r'\s*<a href="#fnref[^"]*" class="footnote-backref"[^>]*>.*?</a>', re.DOTALL)
_PARAGRAPH = re.compile(r"</?p>")


def _notes_under(html: str, numbers) -> str:
    """Footnote calls as superscript numbers (taken from `numbers`, an iterator shared by the
    whole document) and the notes themselves in a small block under the text."""
    notes = {n: _PARAGRAPH.sub("", _BACKREF.sub("", body)).strip()
             for n, body in _FOOTNOTE_ITEM.findall(html)}
    if not notes:
        return html
    html = _FOOTNOTE_BLOCK.sub("", html)
    cited: list[tuple[int, str]] = []

    def call(match: re.Match) -> str:
        number = next(numbers)
        cited.append((number, notes.get(match.group(1), "")))
        return f'<sup class="fn-call">{number}</sup>'

    html = _FOOTNOTE_REF.sub(call, html)
    items = "".join(f'<p><sup>{n}</sup> {note}</p>' for n, note in cited)
    return f'{html}<div class="notes">{items}</div>'


def body_html(markdown: str, numbers=None) -> str:
    numbers = itertools.count(1) if numbers is None else numbers
    return mark_safe(_notes_under(text.markdown_html(markdown), numbers))  # noqa: S308 - sanitised


def _numbered(number: str, html: str) -> str:
    """The clause number at the start of its first paragraph (a hanging indent in print.css,
    cheaper to lay out than a float), or on a line of its own before a list or table."""
    tag = f'<span class="num">{number}</span>'
    if html.startswith("<p>"):
        return mark_safe(f"<p>{tag}{html[3:]}")  # noqa: S308 - sanitised body, plain number
    return mark_safe(f"<p>{tag}</p>{html}")  # noqa: S308 - sanitised body, plain number


def _clause_items(clauses) -> list[dict]:
    numbers = itertools.count(1)
    items = []
    for c in clauses:
        section = c.kind == "section" or (bool(c.heading) and not c.body)
        body = body_html(c.body, numbers) if c.body else ""
        items.append({"key": c.key, "number": c.number, "depth": min(c.depth, 4),
                      "section": section, "heading": c.heading,
                      "body": body if section or not body else _numbered(c.number, body)})
    return items


def svg_image(svg: str) -> str:
    """An SVG as an <img> data URI: one element for WeasyPrint's HTML tree instead of dozens."""
    data = base64.b64encode(svg.encode()).decode()
    return mark_safe(f'<img class="bars" alt="" src="data:image/svg+xml;base64,{data}">')  # noqa: S308


def _fig(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def _group_slugs(rows) -> list[str]:
    """Every group that has figures, in the order the summaries give them."""
    slugs: dict[str, None] = {}
    for row in rows:
        for g in row.summary.get("groups") or []:
            slugs.setdefault(g["group"], None)
    return list(slugs)


def _abbreviations(slugs: list[str]) -> list[str]:
    """Column heads of at most 3 letters, unique."""
    heads: list[str] = []
    for slug in slugs:
        head = slug[:3]
        heads.append(head if head not in heads else f"{slug[:2]}{len(heads) + 1}")
    return heads


def _cut(value: str, width: int) -> str:
    return value if len(value) <= width else value[:width - 1] + "…"


_COLUMNS = ((7, "No."), (18, "Clause"), (13, "Level"), (6, "B"), (6, "C"), (6, "F"), (6, "P"),
            (5, "Obj."), (4, "Bl."))
CONSENSUS_BLOCK = 10  # lines per block: one SVG of bars each


def _consensus_line(row, slugs: list[str]) -> tuple[str, list]:
    s = row.summary
    groups = s.get("groups") or []
    by_slug = {g["group"]: g for g in groups} if annex.has_votes(groups) else {}
    values = (row.clause.number, row.clause.key, s["level"], _fig(s["balanced_approval"]),
              _fig(s["bridging"]), _fig(s["floor"]), _fig(s["pooled_approval"]),
              s["open_objections"], s["sustained_blocks"])
    line = "".join(f"{_cut(str(v), w - 1):<{w}}" if n < 3 else f"{v!s:>{w - 1}} "
                   for n, ((w, _), v) in enumerate(zip(_COLUMNS, values, strict=True)))
    cells = []
    for slug in slugs:
        g = by_slug.get(slug)
        figure = "–" if g is None else _fig(g["approval"]) + ("" if g["quorate"] else "*")
        cells.append(f"{figure:<6}")
    if not by_slug:
        cells = ["no votes yet"]
    return line + " " + "".join(cells).rstrip(), [by_slug.get(slug) for slug in slugs]


def _consensus_blocks(draft, clauses) -> tuple[dict, list[tuple[str, str]], list[dict]]:
    """The stored consensus, the group legend and the annex in blocks of lines: per clause its
    number, key, level, B, C, F, P, open objections, sustained blocks and each group's approval
    p (in fixed columns of a monospaced font: one text box per line is what keeps 200 clauses
    fast), with one SVG of bars beside each block."""
    consensus, rows = annex.consensus_rows(draft, clauses)
    slugs = _group_slugs(rows)
    heads = _abbreviations(slugs)
    header = ("".join(f"{title:<{w}}" if n < 3 else f"{title:>{w - 1}} "
                      for n, (w, title) in enumerate(_COLUMNS)) + " "
              + "".join(f"{head:<6}" for head in heads)).rstrip()
    blocks = []
    for start in range(0, len(rows), CONSENSUS_BLOCK):
        lines, figures = zip(*(_consensus_line(row, slugs)
                               for row in rows[start:start + CONSENSUS_BLOCK]), strict=True)
        voted = any(g is not None for groups in figures for g in groups)
        chart = approval_strips(figures, columns=len(slugs), skip=1) if voted else ""
        readings = [(row.clause.number, row.reading)
                    for row in rows[start:start + CONSENSUS_BLOCK]]
        blocks.append({"header": header, "text": "\n".join(lines), "readings": readings,
                       "chart": svg_image(chart) if chart else ""})
    return consensus, list(zip(heads, slugs, strict=True)), blocks


def _disposition_items(draft, clauses) -> list[dict]:
    numbers = {c.pk: c.number for c in clauses}
    see_voters = draft.definition.votes_public
    return [{"comment": c, "number": numbers.get(c.clause_id, ""),
             "author": annex.author_label(c, see_voters=see_voters),
             "body": "" if c.hidden else body_html(c.body),
             "proposed": "" if c.hidden else body_html(c.proposed_text),
             "disposition": body_html("  \n".join(annex.disposition_lines(c)))}
            for c in annex.list_top_level_comments(draft, clauses)]


@lru_cache(maxsize=1)
def _font_config():
    """One FontConfiguration per process: building one loads fontconfig's whole font list."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: it is heavy and only exports need it

    page = render_to_string(template, {**context, "exported_at": timezone.now()})
    return HTML(string=page).write_pdf(font_config=_font_config())


def draft_pdf(draft, clauses, annexes) -> bytes:
    metadata = text.draft_metadata(draft, clauses)
    context = {"draft": draft, "definition": draft.definition, "metadata": metadata,
               "content_hash": metadata["content-hash"],
               "clauses": _clause_items(clauses), "changelog": body_html(draft.changelog),
               "annexes": annexes}
    if "consensus" in annexes:
        context["consensus"], context["consensus_groups"], context["consensus_blocks"] = \
            _consensus_blocks(draft, clauses)
    if "dispositions" in annexes:
        context["dispositions"] = _disposition_items(draft, clauses)
    return render_pdf("exports/draft.html", context)


def redline_pdf(old, new, old_clauses, new_clauses, changes) -> bytes:
    numbers = text.numbers_of(old_clauses, new_clauses)
    items = [{"change": c, "number": numbers.get(c.key, ""),
              "heading": mark_safe(text.diff_html(c.heading_old, c.heading_new)),  # noqa: S308
              "body": mark_safe(text.diff_html(c.old_text, c.new_text))}  # noqa: S308 - escaped
             for c in changes]
    context = {"old": old, "new": new, "definition": new.definition, "items": items,
               "counts": text.change_counts(changes),
               "old_hash": text.content_hash(old_clauses),
               "new_hash": text.content_hash(new_clauses)}
    return render_pdf("exports/redline.html", context)
