"""How clause keys are made: slugs, short keys of headings without small words, unique suffixes."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_KEY_LENGTH = 80


# Keys people can read and type (issue #14): a section's key is at most five words and 40
# characters of its heading, without the small words; a clause inside takes its section's key cut
# to about three words, then its own lead word or its number.
SECTION_KEY_WORDS = 5


SECTION_KEY_LENGTH = 40


_PREFIX_LENGTH = 24


STOP_WORDS = frozenset(
    "a an and are as at be but by can do does for from how i if in into is it its may must no "
    "nor not of on or our shall should so such than that the their then there these they this "
    "those to us was we were what when where which who why will with would you your".split())


def slugify(text: str, max_length: int = MAX_KEY_LENGTH) -> str:
    """ASCII slug of ``text`` ([a-z0-9-]), cut at a word boundary to ``max_length``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return _fit(slug, max_length)


def _fit(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    # Cutting at a hyphen keeps whole words, unless that would throw most of the slug away.
    if "-" in cut and cut.rfind("-") > max_length // 2:
        cut = cut[: cut.rfind("-")]
    return cut.strip("-")


def dedupe_key(key: str, taken: Any) -> str:
    if key not in taken:
        return key
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = _fit(key, MAX_KEY_LENGTH - len(suffix)) + suffix
        if candidate not in taken:
            return candidate
        n += 1


def short_key(heading: str) -> str:
    """A readable key from a heading: its first five words that are not small words ("Why we
    need Open Source AI" -> "need-open-source-ai"), at most 40 characters; all its words when
    every one is small."""
    words = slugify(heading, 1000).split("-")
    kept = [w for w in words if w and w not in STOP_WORDS] or [w for w in words if w]
    return _fit("-".join(kept[:SECTION_KEY_WORDS]), SECTION_KEY_LENGTH)
