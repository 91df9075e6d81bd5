"""The one place every CSV cell is written: a cell a spreadsheet would run as a formula stays text.

Spreadsheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and some strip a leading tab or
carriage return first), so such a cell gets a leading `'` (OWASP "CSV injection"). Every CSV the
site writes (ballot, comments, dispositions) goes through `spreadsheet_cell` or `write_csv`.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str:
    """A value as CSV cell text: None is empty, dates are ISO 8601, formulas are defused."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Iterable, rows: Iterable[Iterable]) -> str:
    """A CSV document (RFC 4180): the header, then each row, every cell through `spreadsheet_cell`.

    Lines end in CRLF, which also makes the writer quote any cell holding a CR or an LF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(header))
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
