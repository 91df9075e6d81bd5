"""Markdown drafts, pure (no Django): `parse` splits a document into clauses, `render` writes
clauses back so that they re-import identically, `match` carries keys across drafts by text
similarity. Imports nothing of Concord's.
"""

from definition.markdown.match import match_keys, rename_keys
from definition.markdown.parse import (
    EXPORT_BEGIN,
    EXPORT_END,
    MAX_KEY_LENGTH,
    ClauseLike,
    KeyMatch,
    ParsedClause,
    ParsedDraft,
    clause_field,
    minimum_clause_count,
    parse_markdown,
    slugify,
)
from definition.markdown.render import render_markdown

__all__ = [
    "EXPORT_BEGIN", "EXPORT_END", "MAX_KEY_LENGTH", "ClauseLike", "KeyMatch", "ParsedClause",
    "ParsedDraft", "clause_field", "match_keys", "minimum_clause_count", "parse_markdown",
    "rename_keys", "render_markdown", "slugify",
]
