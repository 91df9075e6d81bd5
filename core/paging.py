"""Pages of a long list, by number: pure arithmetic shared by the participants' pages and the
API answers that page their items."""

LIST_PAGE_SIZE = 50


def page_of_list(count: int, number: str, size: int = LIST_PAGE_SIZE) -> tuple[int, int, int]:
    """(page number, offset, number of pages) of a list of `count` items."""
    pages = max(1, -(-count // size))
    page = int(number) if number.isdigit() and 1 <= int(number) <= pages else 1
    return page, (page - 1) * size, pages
