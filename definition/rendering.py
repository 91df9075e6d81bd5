"""Markdown to safe HTML for clauses and comments. Pure: no Django.

markdown-it renders with raw HTML off (so `<script>` comes out as text), footnotes on; nh3 then
cleans the result against a short allow-list, so nothing a user writes can add markup we did not
mean. Quoted passages are wrapped in `<mark>` before cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).use(footnote_plugin)
_MD.enable(["table", "strikethrough"])

TAGS = {
    "p", "br", "hr", "em", "strong", "del", "ins", "code", "pre", "blockquote", "a", "ul", "ol",
    "li", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "sub", "section", "mark", "table", "thead",
    "tbody", "tr", "th", "td",
}
ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "li": {"id", "class"},
    "sup": {"class"},
    "section": {"class"},
    "hr": {"class"},
    "ol": {"class", "start"},
    "mark": {"class"},
    "th": {"class"},
    "td": {"class"},
}
_TAG = re.compile(r"<[^>]*>")
# Table column alignment becomes a class: the Content-Security-Policy allows no inline style.
_ALIGN = re.compile(r'<(th|td) style="text-align:(left|center|right)">')


def render_markdown(text: str, *, doc_id: str = "", quotes: Iterable[str] = ()) -> str:
    """Sanitised HTML of `text`; footnote anchors are prefixed with `doc_id` so that several
    rendered texts can share a page; each passage in `quotes` is highlighted where it occurs.

    Pure, so each process keeps the last few thousand results: a published clause is rendered
    once, not on every page view."""
    return _render(text or "", doc_id, tuple(quotes))


@lru_cache(maxsize=4096)
def _render(text: str, doc_id: str, quotes: tuple[str, ...]) -> str:
    html = _MD.render(text, {"docId": doc_id} if doc_id else {})
    html = _ALIGN.sub(r'<\1 class="align-\2">', html)
    for quote in quotes:
        html = highlight(html, quote)
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES,
                     link_rel="noopener noreferrer nofollow")


def _escape(text: str) -> str:
    """Escape as markdown-it escapes text (it leaves apostrophes alone)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def highlight(html: str, passage: str) -> str:
    """Wrap the first occurrence of `passage` in the text (never inside a tag) in `<mark>`."""
    needle = _escape(passage.strip())
    if not needle:
        return html
    masked = _TAG.sub(lambda m: "\0" * len(m.group(0)), html)
    start = masked.find(needle)
    if start < 0:
        return html
    end = start + len(needle)
    return f'{html[:start]}<mark class="quote">{html[start:end]}</mark>{html[end:]}'


def find_passage(passage: str, text: str) -> str | None:
    """The exact span of `text` that `passage` matches when runs of whitespace and Markdown
    emphasis marks are ignored (a selection in the rendered clause loses both), or None."""
    words = passage.split()
    if not words or not text:
        return None
    marks, space = r"[*_`]*", r"[\s*_`]+"
    pattern = space.join(marks.join(re.escape(ch) for ch in word) for word in words)
    match = re.search(pattern, text)
    return match.group(0) if match else None
