"""What people read instead of a clause's key: its heading, else the first words of its body.

Pure: no Django. Markdown is reduced to its words (links keep their text, emphasis, code marks,
list and heading markers and footnote references go), so a title never shows markup.
"""

import re

TITLE_WORDS = 8

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]*\]")
_REF_LINK = re.compile(r"\[([^\]]*)\]\[[^\]]*\]")
_HTML = re.compile(r"<[^>]+>")
_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.M)
_EMPHASIS = re.compile(r"[*_`~]+")
# Han, kana and hangul are written without spaces: count characters there, not words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def plain_words(markdown: str) -> str:
    """The text of a Markdown passage without its markup, on one line."""
    text = _FOOTNOTE_REF.sub("", markdown or "")
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _HTML.sub("", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return " ".join(text.split())


def first_words(markdown: str, words: int = TITLE_WORDS) -> str:
    """The first `words` words of a Markdown body (about twice as many CJK characters), with
    an ellipsis when there is more."""
    text = plain_words(markdown)
    if _CJK.search(text):
        limit = words * 2
        return text if len(text) <= limit else text[:limit].rstrip() + "…"
    parts = text.split(" ")
    if len(parts) <= words:
        return text
    return " ".join(parts[:words]).rstrip(",;:.") + "…"


def display_title(heading: str, body: str, words: int = TITLE_WORDS) -> str:
    """The heading when there is one, else the first words of the body ("" when both are empty)."""
    heading = plain_words(heading or "")
    return heading or first_words(body, words)
