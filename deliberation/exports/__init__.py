"""Exports of drafts, redlines, ballots and comments (PRODUCT.md §7), in every format.

`export_draft`, `export_redline`, `export_ballot` and `export_comments` render a file in the
request or in a job; `jobs` decides which exports are large enough for a background job.
"""

from definition import exports as text
from definition.exports import ExportFile
from definition.selectors import get_comparison, list_clauses
from deliberation.exports import annexes as annex
from deliberation.exports import pdf, tables

FORMATS = ("md", "pdf")
MARKDOWN = "text/markdown; charset=utf-8"
PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"


def export_draft(*, draft, fmt: str, annexes=(), clauses=None) -> ExportFile:
    """The draft as Markdown or PDF, with the annexes asked for (consensus, dispositions)."""
    clauses = list_clauses(draft=draft) if clauses is None else clauses
    suffix = "".join(f"-{name}" for name in annexes)
    name = text.filename(draft.definition, draft.version + suffix, fmt)
    if fmt == "pdf":
        return ExportFile(pdf.draft_pdf(draft, clauses, annexes), name, PDF)
    markdown = text.draft_markdown(
        draft, annexes=annex.annex_markdown(draft, clauses, annexes), clauses=clauses)
    return ExportFile(markdown.encode(), name, MARKDOWN)


def export_redline(*, old, new, fmt: str) -> ExportFile:
    """The redline from `old` to `new`, clause by clause."""
    name = text.filename(new.definition, f"{old.version}-to-{new.version}-redline", fmt)
    if fmt == "pdf":
        old_clauses, new_clauses = list_clauses(draft=old), list_clauses(draft=new)
        changes = get_comparison(old=old, new=new)
        return ExportFile(pdf.redline_pdf(old, new, old_clauses, new_clauses, changes), name, PDF)
    return ExportFile(text.redline_markdown(old, new).encode(), name, MARKDOWN)


def export_ballot(*, draft, viewer) -> ExportFile:
    clauses = list_clauses(draft=draft)
    name = text.filename(draft.definition, f"{draft.version}-ballot", "csv")
    return ExportFile(tables.ballot_csv(draft, clauses, viewer=viewer), name, CSV)


def export_comments(*, draft, viewer, moderator: bool) -> ExportFile:
    clauses = list_clauses(draft=draft)
    name = text.filename(draft.definition, f"{draft.version}-comments", "csv")
    return ExportFile(tables.comments_csv(draft, clauses, viewer=viewer, moderator=moderator),
                      name, CSV)
