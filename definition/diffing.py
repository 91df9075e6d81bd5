"""Word diffs and clause-by-clause comparison of two drafts.

Pure module (no Django). Clauses are objects or mappings with ``key``, ``heading``, ``body`` and
optionally ``derived_from`` (keys of the draft they were based on).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from definition.markdown import ClauseLike, clause_field

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_EDGE_SPACE = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)
# Text without any of these has no Markdown markup to strip (the common case: skip the parser).
_MARKUP = re.compile(r"[*_~`\[\]<>#!|\\&]|^\s*(?:[-+*]|\d+[.)])\s", re.MULTILINE)
_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).use(
    footnote_plugin)
_INLINE_TEXT = {"text", "code_inline"}
_INLINE_BREAKS = {"softbreak": "\n", "hardbreak": "\n"}


def _inline_text(children) -> str:
    parts = []
    for child in children or []:
        if child.type in _INLINE_TEXT:
            parts.append(child.content)
        elif child.type in _INLINE_BREAKS:
            parts.append(_INLINE_BREAKS[child.type])
        elif child.type == "image":
            parts.append(_inline_text(child.children))
        elif child.type == "footnote_ref":
            parts.append(f"[^{child.meta['label']}]")
    return "".join(parts)


def plain_text(text: str) -> str:
    """The words of Markdown text without its markup (emphasis, links, code marks, list and
    heading markers), one line per paragraph or list item: what word diffs compare, so that a
    diff never shows ``**`` and a redline's marks never mix with the text's own emphasis.
    Footnote references stay as ``[^n]``, footnotes as ``[^n]: text``."""
    if not text or not _MARKUP.search(text):
        return text or ""
    blocks: list[tuple[str, str]] = []
    footnote, previous_tight = None, False
    tokens = _MD.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "footnote_open":
            footnote = token.meta["label"]
        elif token.type == "inline":
            line = _inline_text(token.children)
            if footnote is not None:
                line, footnote = f"[^{footnote}]: {line}", None
            tight = index > 0 and tokens[index - 1].hidden  # a tight list's item
            blocks.append(("\n" if tight and previous_tight else "\n\n", line))
            previous_tight = tight
    return "".join((sep if i else "") + line for i, (sep, line) in enumerate(blocks))


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word diff of two Markdown texts compared without their markup (see `plain_text`)."""
    return word_diff(plain_text(old), plain_text(new))


@dataclass(frozen=True)
class ClauseChange:
    key: str
    status: str  # added | removed | changed | unchanged | renamed
    old_key: str | None
    new_key: str | None
    old_text: str
    new_text: str
    heading_old: str
    heading_new: str
    diff: list[tuple[str, str]] = field(default_factory=list)


def _raw_ops(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    ops: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", "".join(old[i1:i2])))
        if j2 > j1:
            ops.append(("insert", "".join(new[j1:j2])))
    return ops


def _absorb_spaces(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fold a whitespace-only equal run between two changes into both sides of the change.

    Otherwise replacing several words reads as ``~~a~~**b** ~~c~~**d**`` instead of one edit.
    """
    result: list[tuple[str, str]] = []
    for index, (op, text) in enumerate(ops):
        inside = 0 < index < len(ops) - 1 and ops[index - 1][0] != "equal"
        if op == "equal" and inside and not text.strip() and ops[index + 1][0] != "equal":
            result += [("delete", text), ("insert", text)]
        else:
            result.append((op, text))
    return result


def _merge(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join adjacent runs, putting each change's deletions before its insertions."""
    merged: list[tuple[str, str]] = []
    pending = {"delete": "", "insert": ""}
    for op, text in [*ops, ("equal", "")]:
        if op != "equal":
            pending[op] += text
            continue
        merged += [(kind, pending[kind]) for kind in ("delete", "insert") if pending[kind]]
        pending = {"delete": "", "insert": ""}
        if merged and merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1] + text)
        elif text:
            merged.append(("equal", text))
    return merged


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Diff two texts word by word.

    Returns ``(op, text)`` runs with op ``equal``, ``delete`` or ``insert``; joining the equal and
    delete runs gives ``old``, joining the equal and insert runs gives ``new``.
    """
    ops = _raw_ops(_TOKEN.findall(old), _TOKEN.findall(new))
    return _merge(_absorb_spaces(ops))


def _mark(text: str, opening: str, closing: str) -> str:
    # Mark each line's words and leave the whitespace around them unmarked: a mark spanning a
    # paragraph break would hide it.
    pieces = re.split(r"(\n)", text)
    marked = []
    for piece in pieces:
        lead, core, trail = _EDGE_SPACE.match(piece).groups()
        marked.append(f"{lead}{opening}{core}{closing}{trail}" if core else piece)
    return "".join(marked)


CRITIC = {"delete": ("{--", "--}"), "insert": ("{++", "++}")}


def redline_markdown(old: str, new: str) -> str:
    """The text of ``new`` (without its Markdown markup) with CriticMarkup marks: deletions as
    ``{--deleted--}``, insertions as ``{++inserted++}``; words compared without markup, so the
    marks never mix with the text's own emphasis."""
    parts = []
    for op, text in text_diff(old, new):
        if op == "equal":
            parts.append(text)
        elif not text.strip():
            # A changed run of pure whitespace cannot be marked; keep only the new spacing.
            parts.append(text if op == "insert" else "")
        else:
            parts.append(_mark(text, *CRITIC[op]))
    return "".join(parts)


# ---------------------------------------------------------------- clause comparison


def _derived_from(clause: ClauseLike) -> list[str]:
    return list(clause_field(clause, "derived_from", None) or [])


def _text(clause: ClauseLike | None, name: str) -> str:
    return (clause_field(clause, name, "") or "") if clause is not None else ""


def _change(status: str, old: ClauseLike | None, new: ClauseLike | None) -> ClauseChange:
    old_key = clause_field(old, "key") if old is not None else None
    new_key = clause_field(new, "key") if new is not None else None
    return ClauseChange(
        key=new_key or old_key,
        status=status,
        old_key=old_key,
        new_key=new_key,
        old_text=_text(old, "body"),
        new_text=_text(new, "body"),
        heading_old=_text(old, "heading"),
        heading_new=_text(new, "heading"),
        diff=text_diff(_text(old, "body"), _text(new, "body")),
    )


def _status_of_kept(old: ClauseLike, new: ClauseLike) -> str:
    same = all(_text(old, name) == _text(new, name) for name in ("heading", "body"))
    return "unchanged" if same else "changed"


def _present_changes(
    old_by_key: dict[str, ClauseLike], new: Sequence[ClauseLike]
) -> tuple[list[ClauseChange], dict[str, ClauseChange]]:
    """Changes for the new draft's clauses, and which change accounts for each old key."""
    new_keys = {clause_field(c, "key") for c in new}
    changes: list[ClauseChange] = []
    covers: dict[str, ClauseChange] = {}
    for clause in new:
        key = clause_field(clause, "key")
        if key in old_by_key:
            change = _change(_status_of_kept(old_by_key[key], clause), old_by_key[key], clause)
            sources = [key]
        else:
            sources = [k for k in _derived_from(clause) if k in old_by_key and k not in new_keys]
            old = old_by_key[sources[0]] if sources else None
            change = _change("renamed" if sources else "added", old, clause)
        changes.append(change)
        for source in sources:
            covers.setdefault(source, change)
    return changes, covers


def compare_clauses(old: Sequence[ClauseLike], new: Sequence[ClauseLike]) -> list[ClauseChange]:
    """Compare two drafts clause by clause, by key and ``derived_from``.

    Same key: ``changed`` or ``unchanged``. A new clause derived from an old key that is gone
    from the new draft: ``renamed`` (splits give several, a merge reports its first source and
    consumes the others). Old keys left over: ``removed``. Anything else: ``added``. The list
    follows the new draft, each removed clause placed after its predecessor in the old draft.
    """
    old_by_key = {clause_field(c, "key"): c for c in old}
    changes, covers = _present_changes(old_by_key, new)
    for index, clause in enumerate(old):
        key = clause_field(clause, "key")
        if key in covers:
            continue
        removed = _change("removed", clause, None)
        anchor = _anchor(old, index, covers)
        # Found by identity: two changes can compare equal.
        after = next((i + 1 for i, c in enumerate(changes) if c is anchor), 0)
        changes.insert(after, removed)
        covers[key] = removed
    return changes


def _anchor(
    old: Sequence[ClauseLike], index: int, covers: dict[str, ClauseChange]
) -> ClauseChange | None:
    """The change holding the nearest earlier old clause, after which a removal is listed."""
    for earlier in reversed(old[:index]):
        change = covers.get(clause_field(earlier, "key"))
        if change is not None:
            return change
    return None
