"""Split a Markdown draft into clauses (the conventions below hold for the whole package).

Pure module (no Django) so it can be tested with plain strings.

Conventions:

- Leading HTML comments (the corpus's metadata block) are dropped, and so is any other HTML block
  that is only a comment; they are not text anyone votes on.
- The first H1, if it comes before any clause, is the title and not a clause. A heading reading
  ``version <label>`` (any level) before the first clause is metadata: it becomes
  ``ParsedDraft.version`` and is not a clause. ``render_markdown(version=...)`` writes it back as
  ``#### version <label>``.
- Bodies are verbatim source slices, so a clause renders alone exactly as it did in the document:
  a list item keeps its marker and nested sub-items, a block quote keeps its ``>``, a table row is
  a one-row table with the header, a footnote definition is appended (after a blank line) to the
  first clause that references it. Thematic breaks are dropped.
- Keys: a section is ``slug(heading)``; a list item led by bold text is ``<section>-<slug(bold)>``;
  other clauses ``<section>-<n>`` (n counts those numbered clauses within the section); before the
  first heading the section is ``front-matter``; unreferenced footnotes are ``footnote-<label>``.
  Every key is unique (``-2``, ``-3``) and at most 80 characters.
- Explicit keys win over derived ones: ``## Heading {#key}`` or ``<!-- clause: key -->`` on the
  line right before a block (for a list, it names the first item).
- Exports (``definition.exports``) decorate the text for readers; the parser ignores those
  decorations so that an export re-imports as the same clauses: the lines from
  ``<!-- concord:export -->`` to ``<!-- /concord:export -->`` are not text, and a heading with an
  explicit key may start with its displayed number (``## 2.1 Heading {#key}``), which is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from definition.markdown.keys import (
    _PREFIX_LENGTH,
    MAX_KEY_LENGTH,
    _fit,
    dedupe_key,
    short_key,
    slugify,
)

_FRONT = "front"


ClauseLike = Any  # an object or a mapping with key, heading, body, parent_key, position, kind


_MD = MarkdownIt("commonmark").enable("table").use(footnote_plugin)


_MARKER = re.compile(r"^<!--\s*clause:\s*([a-z0-9][a-z0-9-]*)\s*-->\s*$")


_HEADING_KEY = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")


_COMMENT = re.compile(r"^\s*<!--.*?-->\s*", re.DOTALL)


_VERSION = re.compile(r"^version\s+(\S+)$", re.IGNORECASE)


_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


FOOTNOTE_TAIL = re.compile(r"\n\n {0,3}\[\^[^\]\s]+\]:")


EXPORT_BEGIN = "<!-- concord:export -->"


EXPORT_END = "<!-- /concord:export -->"


_HEADING_NUMBER = re.compile(r"^\d+(?:\.\d+)*\s+")


@dataclass(frozen=True)
class ParsedClause:
    key: str
    heading: str
    body: str
    parent_key: str | None
    position: int
    # section | paragraph | item | row | quote | table | code | html | footnote | reference
    kind: str


@dataclass(frozen=True)
class ParsedDraft:
    title: str
    clauses: list[ParsedClause]
    version: str = ""


@dataclass(frozen=True)
class KeyMatch:
    new_key: str
    old_key: str | None
    score: float
    how: str  # exact | similar | heading | new


@dataclass
class _Block:
    kind: str
    start: int  # the line an explicit-key marker must sit right above
    body: str = ""
    level: int = 0
    heading: str = ""
    lead: str = ""
    refs: tuple[str, ...] = ()
    label: str = ""


@dataclass
class _Pre:
    kind: str
    heading: str
    body: str
    parent: int | None
    explicit: str | None = None
    lead: str = ""
    refs: tuple[str, ...] = ()
    label: str = ""


def clause_field(clause: ClauseLike, name: str, default: Any = None) -> Any:
    """Read ``name`` from a mapping or an object, so callers can pass models or dicts."""
    if isinstance(clause, dict):
        return clause.get(name, default)
    return getattr(clause, name, default)


def _strip_leading_comments(text: str) -> str:
    while True:
        match = _COMMENT.match(text)
        if not match or _MARKER.match(match.group(0).strip()):
            return text
        text = text[match.end() :]


def _blank_export_regions(text: str) -> str:
    """Blank the lines of export-only regions, keeping line numbers (bodies are source slices)."""
    lines, inside = text.split("\n"), False
    for number, line in enumerate(lines):
        marker = line.strip()
        if marker == EXPORT_BEGIN or inside:
            inside = marker != EXPORT_END
            lines[number] = ""
    return "\n".join(lines)


def _source(lines: list[str], start: int, end: int) -> str:
    return "\n".join(lines[start:end]).rstrip()


def _top_groups(tokens: list[Token]) -> Iterator[list[Token]]:
    group: list[Token] = []
    for token in tokens:
        if token.type == "footnote_block_open":
            return  # definitions are read from the source lines instead
        group.append(token)
        if token.level == 0 and token.nesting <= 0:
            yield group
            group = []


def _refs(tokens: list[Token]) -> tuple[str, ...]:
    return tuple(
        child.meta["label"]
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "footnote_ref"
    )


def _bold_lead(tokens: list[Token]) -> str:
    inline = next((t for t in tokens if t.type == "inline"), None)
    # The inline parser may leave an empty text token in front of the emphasis.
    children = (
        [c for c in (inline.children or []) if c.content or c.type != "text"] if inline else []
    )
    if not children or children[0].type != "strong_open":
        return ""
    lead = []
    for child in children[1:]:
        if child.type == "strong_close":
            break
        lead.append(child.content)
    return "".join(lead)


def _split_children(group: list[Token], open_type: str) -> Iterator[list[Token]]:
    """Yield each direct child (list item, table row) of a top-level block with its tokens."""
    depth = group[0].level + 1 if open_type == "list_item_open" else 2
    current: list[Token] = []
    for token in group:
        if token.type == open_type and token.level == depth:
            current = []
        current.append(token)
        if token.type == open_type.replace("_open", "_close") and token.level == depth:
            yield current


def _list_blocks(group: list[Token], lines: list[str]) -> Iterator[_Block]:
    for item in _split_children(group, "list_item_open"):
        start, end = item[0].map
        yield _Block(
            "item", start, _source(lines, start, end), lead=_bold_lead(item), refs=_refs(item)
        )


def _table_blocks(group: list[Token], lines: list[str]) -> Iterator[_Block]:
    table_start = group[0].map[0]
    head_end = next(t.map[1] for t in group if t.type == "thead_open")
    header = lines[table_start : head_end + 1]  # header row + delimiter row
    rows = [row for row in _split_children(group, "tr_open") if row[0].map[0] > table_start]
    if not rows:
        yield _Block("table", table_start, _source(lines, *group[0].map), refs=_refs(group))
    for index, row in enumerate(rows):
        start = row[0].map[0]
        body = "\n".join([*header, lines[start]]).rstrip()
        yield _Block("row", table_start if index == 0 else start, body, refs=_refs(row))


_SIMPLE_KINDS = {
    "paragraph_open": "paragraph",
    "blockquote_open": "quote",
    "fence": "code",
    "code_block": "code",
    "html_block": "html",
}


def _group_blocks(group: list[Token], lines: list[str], markers: dict[int, str]) -> list[_Block]:
    first = group[0]
    if first.type == "heading_open":
        return [
            _Block(
                "heading",
                first.map[0],
                level=int(first.tag[1:]),
                heading=group[1].content,
                refs=_refs(group),
            )
        ]
    if first.type in ("bullet_list_open", "ordered_list_open"):
        return list(_list_blocks(group, lines))
    if first.type == "table_open":
        return list(_table_blocks(group, lines))
    if first.type == "html_block":
        marker = _MARKER.match(first.content.strip())
        if marker:
            markers[first.map[1]] = marker.group(1)
        if marker or _COMMENT.fullmatch(first.content):
            return []
    if first.type == "hr" or not first.map:
        return []
    kind = _SIMPLE_KINDS.get(first.type, "block")
    return [_Block(kind, first.map[0], _source(lines, *first.map), refs=_refs(group))]


def _gap_blocks(lines: list[str], covered: set[int]) -> Iterator[_Block]:
    """Footnote (and link reference) definitions: the lines no top-level block claimed."""
    chunk: list[int] = []
    for number, line in enumerate(lines):
        if number in covered:
            continue
        blank_before = number > 0 and not lines[number - 1].strip()
        starts = _FOOTNOTE_DEF.match(line) or (blank_before and line[:1] not in ("", " ", "\t"))
        if chunk and (chunk[-1] != number - 1 or (line.strip() and starts)):
            yield _chunk_block(lines, chunk)
            chunk = []
        if line.strip() or chunk:
            chunk.append(number)
    if chunk:
        yield _chunk_block(lines, chunk)


def _chunk_block(lines: list[str], chunk: list[int]) -> _Block:
    body = _source(lines, chunk[0], chunk[-1] + 1)
    label = _FOOTNOTE_DEF.match(lines[chunk[0]])
    if label:
        return _Block("footnote", chunk[0], body, label=label.group(1))
    return _Block("reference", chunk[0], body)


def _blocks(text: str) -> tuple[list[_Block], list[_Block], dict[int, str]]:
    lines = text.split("\n")
    markers: dict[int, str] = {}
    blocks: list[_Block] = []
    covered: set[int] = set()
    for group in _top_groups(_MD.parse(text)):
        covered.update(line for t in group if t.level == 0 and t.map for line in range(*t.map))
        blocks.extend(_group_blocks(group, lines, markers))
    return blocks, list(_gap_blocks(lines, covered)), markers


@dataclass
class _Outline:
    title: str = ""
    version: str = ""
    pre: list[_Pre] | None = None
    stack: list[tuple[int, int]] | None = None


def _heading(outline: _Outline, block: _Block, explicit: str | None) -> None:
    pre, stack = outline.pre, outline.stack
    text = block.heading
    key_match = _HEADING_KEY.search(text)
    if key_match:
        explicit, text = key_match.group(1), text[: key_match.start()]
        text = _HEADING_NUMBER.sub("", text, count=1)
    if block.level == 1 and not pre and not outline.title:
        outline.title = text
        return
    version = _VERSION.match(text)
    if version and not pre and not outline.version:
        outline.version = version.group(1)
        return
    level = max(block.level, 2)  # later H1s are top-level sections like H2s
    while stack and stack[-1][0] >= level:
        stack.pop()
    parent = stack[-1][1] if stack else None
    pre.append(_Pre("section", text.strip(), "", parent, explicit, refs=block.refs))
    stack.append((level, len(pre) - 1))


def _outline(blocks: list[_Block], markers: dict[int, str]) -> _Outline:
    outline = _Outline(pre=[], stack=[])
    for block in blocks:
        explicit = markers.get(block.start)
        if block.kind == "heading":
            _heading(outline, block, explicit)
            continue
        parent = outline.stack[-1][1] if outline.stack else None
        outline.pre.append(
            _Pre(block.kind, "", block.body, parent, explicit, block.lead, block.refs)
        )
    return outline


def _attach_footnotes(pre: list[_Pre], gaps: list[_Block], markers: dict[int, str]) -> None:
    definitions: dict[str, _Block] = {}
    for gap in gaps:
        if gap.kind == "footnote":
            definitions.setdefault(gap.label, gap)
    attached: set[int] = set()
    for clause in pre:
        for label in dict.fromkeys(clause.refs):
            gap = definitions.get(label)
            if gap is not None and id(gap) not in attached:
                attached.add(id(gap))
                clause.body = f"{clause.body}\n\n{gap.body}" if clause.body else gap.body
    for gap in gaps:
        if id(gap) not in attached:
            explicit = markers.get(gap.start)
            pre.append(_Pre(gap.kind, "", gap.body, None, explicit, label=gap.label))


def _derive_key(clause: _Pre, parent_key: str | None, ordinal: int) -> str:
    if clause.kind == "section":
        return short_key(clause.heading) or "section"
    if clause.kind == "footnote":
        return "footnote-" + (slugify(clause.label, 40) or str(ordinal))
    prefix = _fit(parent_key or _FRONT, _PREFIX_LENGTH)
    suffix = slugify(clause.lead, 40) if clause.lead else ""
    suffix = suffix or str(ordinal)
    return _fit(prefix, MAX_KEY_LENGTH - len(suffix) - 1) + "-" + suffix


def _numbered(clause: _Pre) -> bool:
    return clause.kind not in ("section", "footnote") and not slugify(clause.lead, 40)


def _clauses(pre: list[_Pre]) -> list[ParsedClause]:
    taken: set[str] = set()
    # Derived keys also steer clear of explicit keys that come later in the document.
    blocked = {clause.explicit for clause in pre if clause.explicit}
    ordinals: Counter = Counter()
    positions: Counter = Counter()
    result: list[ParsedClause] = []
    for clause in pre:
        parent_key = result[clause.parent].key if clause.parent is not None else None
        # Explicit keys count too, so adding a marker never renumbers the clauses after it.
        ordinals[clause.parent] += _numbered(clause)
        if clause.explicit:
            key = dedupe_key(clause.explicit, taken)
        else:
            derived = _derive_key(clause, parent_key, ordinals[clause.parent])
            key = dedupe_key(derived, blocked)
        taken.add(key)
        blocked.add(key)
        position = positions[clause.parent]
        positions[clause.parent] += 1
        result.append(
            ParsedClause(key, clause.heading, clause.body, parent_key, position, clause.kind)
        )
    return result


def parse_markdown(text: str) -> ParsedDraft:
    """Split a Markdown draft into a title and clauses in document order (see module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _strip_leading_comments(_blank_export_regions(text))
    blocks, gaps, markers = _blocks(text)
    outline = _outline(blocks, markers)
    _attach_footnotes(outline.pre, gaps, markers)
    return ParsedDraft(outline.title.strip(), _clauses(outline.pre), outline.version)


_ATX_AT_COLUMN_0 = re.compile(r"^#{1,6}(?:[ \t]|$)")


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


_HTML_START = re.compile(r"^ {0,3}<")


# HTML blocks that end at a terminator rather than at a blank line (CommonMark types 1 to 5).
_HTML_UNTIL = ((re.compile(r"^ {0,3}<(script|pre|style|textarea)(?:\s|>|$)", re.I),
                re.compile(r"</(script|pre|style|textarea)>", re.I)),
               (re.compile(r"^ {0,3}<!--"), re.compile(r"-->")),
               (re.compile(r"^ {0,3}<\?"), re.compile(r"\?>")),
               (re.compile(r"^ {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
               (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">")))


def _titled(h1: str) -> bool:
    """An H1 whose text survives key and number removal (an empty one may not be a clause)."""
    text = _HEADING_KEY.sub("", h1[1:]).strip(" #\t")
    return bool(_HEADING_NUMBER.sub("", text + " ", count=1).strip())


def minimum_clause_count(text: str) -> int:
    """A lower bound on ``len(parse_markdown(text).clauses)`` from one pass over the lines.

    It counts top-level ATX headings (every one is a section, but for the title and the version)
    outside fenced code and HTML blocks, so that an import cap can refuse a flood of headings
    without the full parse, which costs seconds per megabyte. It never counts more than the
    parser finds; it may count fewer."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _strip_leading_comments(_blank_export_regions(text)).split("\n")
    headings, fence, html_end, in_html = 0, None, None, False
    for line in lines:
        if fence is not None:
            stripped = line.strip()
            if (len(line) - len(line.lstrip(" ")) <= 3 and stripped.startswith(fence)
                    and set(stripped) == {fence[0]}):
                fence = None
            continue
        if html_end is not None:
            if html_end.search(line):
                html_end = None
            continue
        if in_html:
            in_html = bool(line.strip())
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
        elif _HTML_START.match(line):
            ends = [end for start, end in _HTML_UNTIL if start.match(line)]
            if ends and not ends[0].search(line, line.index("<") + 2):
                html_end = ends[0]
            elif not ends:
                in_html = True
        elif _ATX_AT_COLUMN_0.match(line) and (line.startswith("##") or _titled(line)):
            headings += 1
    return max(headings - 2, 0)  # the title and the version line are not clauses
