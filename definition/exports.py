"""Plain-text exports of drafts: Markdown that re-imports as the same clauses, and redlines.

The Markdown of a draft decorates the clauses for readers (a metadata block, a status table, the
changelog, displayed numbers, key anchors, annexes) in the forms `markdown.parse_markdown`
ignores: a leading HTML comment, export-only regions and numbered headings with explicit keys. So
importing an export gives back the same keys, order and text (a clause whose body holds several
Markdown blocks is the known exception, as for `render_markdown`).

Annexes are passed in already rendered: they need votes and comments, which live in
`deliberation` (imports flow accounts <- definition <- deliberation).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from definition import diffing
from definition.markdown import EXPORT_BEGIN, EXPORT_END
from definition.models import Definition, Draft
from definition.selectors import list_clauses

_HTML_MD = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
DATE_FIELDS = (("created", "created_at"), ("published", "published_at"),
               ("closes", "closes_at"), ("closed", "closed_at"), ("finalized", "finalized_at"))


@dataclass(frozen=True)
class ExportFile:
    """A rendered export: what a response or a job writes."""

    content: bytes
    filename: str
    content_type: str


# ---------------------------------------------------------------- shared pieces


def content_hash(clauses: Iterable) -> str:
    """sha256 of the clauses' keys, parents, headings and bodies in reading order.

    Fields are joined by U+001F and clauses by U+001E, so no text can forge a boundary."""
    digest = hashlib.sha256()
    for clause in clauses:
        fields = (clause.key, clause.parent_key or "", clause.heading, clause.body)
        digest.update(("\x1f".join(fields) + "\x1e").encode())
    return "sha256:" + digest.hexdigest()


def export_region(markdown: str) -> str:
    """Wrap Markdown that readers see but a re-import skips."""
    return f"{EXPORT_BEGIN}\n\n{markdown.strip()}\n\n{EXPORT_END}"


def _comment_safe(text: str) -> str:
    return str(text).replace("--", "‐‐")


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def draft_metadata(draft: Draft, clauses: Sequence) -> dict[str, str]:
    """The facts the title page and the metadata block show, as text."""
    data = {"definition": draft.definition.slug, "title": draft.definition.title,
            "version": draft.version, "status": draft.status,
            "based-on": draft.based_on.version if draft.based_on_id else ""}
    data.update({name: _iso(getattr(draft, field)) for name, field in DATE_FIELDS})
    data["clauses"] = str(len(clauses))
    data["content-hash"] = content_hash(clauses)
    return {name: value for name, value in data.items() if value}


def filename(definition: Definition, label: str, extension: str) -> str:
    return f"{definition.slug}-{label}.{extension}"


# ---------------------------------------------------------------- draft Markdown


def _metadata_comment(kind: str, metadata: dict[str, str]) -> str:
    lines = [f"concord-export: {kind}"]
    lines += [f"{name}: {_comment_safe(value)}" for name, value in metadata.items()]
    return "<!--\n" + "\n".join(lines) + "\n-->"


def _front_matter(metadata: dict[str, str], changelog: str) -> str:
    rows = [f"| {name.replace('-', ' ').capitalize()} | {value} |"
            for name, value in metadata.items() if name not in ("definition", "title")]
    table = "| | |\n|---|---|\n" + "\n".join(rows)
    log = changelog.strip() or "_No changelog._"
    return export_region(f"{table}\n\n## Changelog\n\n{_demote(log)}")


def _demote(markdown: str) -> str:
    """Push the changelog's own headings below the export's H2."""
    return "\n".join("##" + line if line.startswith("#") else line for line in markdown.split("\n"))


def _clause_markdown(clause) -> str:
    if clause.kind == "section" or (clause.heading and not clause.body):
        level = "#" * min(clause.depth + 2, 6)
        heading = f"{level} {clause.number} {clause.heading} {{#{clause.key}}}"
        return heading + (f"\n\n{clause.body}" if clause.body else "")
    number = export_region(f'<a id="{clause.key}"></a>**{clause.number}**')
    return f"{number}\n<!-- clause: {clause.key} -->\n{clause.body}"


def draft_markdown(draft: Draft, *, annexes: Sequence[str] = (), clauses=None) -> str:
    """The draft as Markdown (see the module docstring); `annexes` are appended as regions."""
    clauses = list_clauses(draft=draft) if clauses is None else clauses
    metadata = draft_metadata(draft, clauses)
    parts = [_metadata_comment("draft", metadata), f"# {draft.definition.title}",
             f"#### version {draft.version}", _front_matter(metadata, draft.changelog)]
    parts += [_clause_markdown(clause) for clause in clauses]
    parts += [export_region(annex) for annex in annexes if annex.strip()]
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- redline Markdown


STATUS_NOTES = {"added": "added", "removed": "removed", "changed": "changed",
                "unchanged": "unchanged", "renamed": "renamed"}


def _change_title(change: diffing.ClauseChange, number: str) -> str:
    note = change.status
    if change.status == "renamed":
        note = f"renamed from `{change.old_key}`"
    heading = diffing.redline_markdown(change.heading_old, change.heading_new).strip()
    label = f"{number} " if number else ""
    return f"### {label}{heading or '`' + change.key + '`'} · {note}"


def _change_markdown(change: diffing.ClauseChange, number: str) -> str:
    body = diffing.redline_markdown(change.old_text, change.new_text).strip()
    anchor = f'<a id="{change.key}"></a>`{change.key}`'
    return f"{_change_title(change, number)}\n\n{anchor}\n\n{body or '_(no text)_'}"


def change_counts(changes: Sequence[diffing.ClauseChange]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_NOTES, 0)
    for change in changes:
        counts[change.status] += 1
    return counts


def redline_markdown(old: Draft, new: Draft) -> str:
    """Clause-by-clause redline from `old` to `new` in CriticMarkup: {--deleted--} and
    {++inserted++} words, compared without Markdown markup."""
    old_clauses, new_clauses = list_clauses(draft=old), list_clauses(draft=new)
    changes = diffing.compare_clauses(old_clauses, new_clauses)
    numbers = numbers_of(old_clauses, new_clauses)
    counts = change_counts(changes)
    metadata = {"definition": new.definition.slug, "from": old.version, "to": new.version,
                "from-hash": content_hash(old_clauses), "to-hash": content_hash(new_clauses),
                **{name: str(n) for name, n in counts.items()}}
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    parts = [_metadata_comment("redline", metadata),
             f"# {new.definition.title}: {old.version} → {new.version}",
             "Redline, clause by clause, in CriticMarkup: {--deleted--} and {++inserted++} "
             f"words (the texts compared without their Markdown markup). {summary}."]
    parts += [_change_markdown(c, numbers.get(c.key, "")) for c in changes]
    return "\n\n".join(parts) + "\n"


def numbers_of(old_clauses: Sequence, new_clauses: Sequence) -> dict[str, str]:
    """Displayed number per key: the new draft's, else (removed clauses) the old one's."""
    numbers = {c.key: f"(was {c.number})" for c in old_clauses}
    numbers.update({c.key: c.number for c in new_clauses})
    return numbers


# ---------------------------------------------------------------- HTML for print


def markdown_html(text: str) -> str:
    """Markdown rendered to sanitised HTML (nh3): for print templates."""
    return nh3.clean(_HTML_MD.render(text or ""),
                     tags=nh3.ALLOWED_TAGS | {"sup", "section", "hr"},
                     attributes={**nh3.ALLOWED_ATTRIBUTES, "*": {"id", "class"},
                                 "a": {"href", "id", "class"}})


def diff_html(old: str, new: str) -> str:
    """A word diff (of the texts without Markdown markup) as escaped HTML with <del> and <ins>,
    whitespace kept by the stylesheet."""
    parts = []
    for op, text in diffing.text_diff(old, new):
        escaped = html.escape(text)
        tag = {"delete": "del", "insert": "ins"}.get(op)
        parts.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(parts)
