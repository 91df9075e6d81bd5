"""Pages of a long draft, cut between sections, and pages of a long list (the ballot, the
dashboard). Pure: lists in, lists out.

A section is a top-level clause with everything under it; a page holds whole sections until it
has `size` clauses, so a page starts in the middle of a section only when that section alone
is longer than a page, and its size does not grow with the draft.
"""

from dataclasses import dataclass
from typing import Any

from core.paging import LIST_PAGE_SIZE, page_of_list  # noqa: F401 - used from here too

READER_PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    items: list[Any]

    @property
    def first(self):
        return self.items[0]

    @property
    def last(self):
        return self.items[-1]

    @property
    def sections(self) -> list[Any]:
        """The top-level clauses of the page that have clauses under them (its section titles)."""
        return [c for n, c in enumerate(self.items)
                if c.depth == 0 and n + 1 < len(self.items) and self.items[n + 1].depth > 0]


def section_pages(clauses: list, size: int = READER_PAGE_SIZE) -> list[Page]:
    """Clauses in reading order (each with `.depth`) cut into pages of whole sections."""
    pages: list[list] = []
    current: list = []
    for section in _sections(clauses):
        if current and len(current) + len(section) > size:
            pages.append(current)
            current = []
        while len(section) > size:  # a long section runs over several full pages
            pages.append(section[:size])
            section = section[size:]
        current = current + section
    if current or not pages:
        pages.append(current)
    return [Page(n + 1, items) for n, items in enumerate(pages)]


def _sections(clauses: list) -> list[list]:
    sections: list[list] = []
    for clause in clauses:
        if clause.depth == 0 or not sections:
            sections.append([])
        sections[-1].append(clause)
    return sections


def pick(pages: list[Page], *, number: str = "", key: str = "") -> Page:
    """The page asked for by number (`?page=`), else the one holding clause `key` (`?c=`), else
    the first; an unknown or out-of-range number gives the first page too."""
    if number.isdigit() and 1 <= int(number) <= len(pages):
        return pages[int(number) - 1]
    for page in pages:
        if any(getattr(c, "key", None) == key for c in page.items):
            return page
    return pages[0]
