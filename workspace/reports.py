"""The disposition of comments report as files (CSV, Markdown), from
`discussion.selectors.list_disposition_rows`."""

from core.spreadsheets import write_csv
from deliberation.discussion.selectors import REPORT_FIELDS


def disposition_csv(rows: list[dict]) -> str:
    """One line per comment, with a header naming the fields of the JSON report."""
    return write_csv(REPORT_FIELDS, ([row[name] for name in REPORT_FIELDS] for row in rows))


def _quoted(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.strip().split("\n"))


def _author(row: dict) -> str:
    if row["author"] is None:
        return "a member (votes are not public)"
    return row["author"] + ("" if row["author_verified"] else " (not a verified member)")


def _text(row: dict) -> str:
    if row["hidden"]:
        return f"_Hidden by the facilitators: {row['hidden_reason']}_"
    text = _quoted(row["body"])
    if row["proposed_text"]:
        text += "\n\nProposed text:\n\n" + _quoted(row["proposed_text"])
    return text


def _answer(row: dict) -> list[str]:
    if row["status"] is None:
        return ["**Disposition:** none yet."]
    addressed = f" (addressed in {row['addressed_in']})" if row["addressed_in"] else ""
    duplicate = f" of #{row['duplicate_of']}" if row["duplicate_of"] else ""
    lines = [f"**Disposition:** {row['status']}{duplicate}{addressed}. {row['response'].strip()}"]
    if row["acknowledgement"] is None:
        lines.append("**Acknowledgement:** not yet acknowledged.")
    else:
        note = f" {row['acknowledgement_note'].strip()}" if row["acknowledgement_note"] else ""
        lines.append(f"**Acknowledgement:** {row['acknowledgement']}.{note}")
    return lines


def _appeal(row: dict) -> list[str]:
    if row["appeal"] is None:
        return []
    lines = [f"**Appeal:** {row['appeal_reason'].strip()}"]
    if row["appeal"] == "open":
        lines.append("**Appeal decision:** not decided yet.")
    else:
        lines.append(f"**Appeal decision:** {row['appeal']}. {row['appeal_decision'].strip()}")
    return lines


def _entry(row: dict) -> str:
    position = f" ({row['position']})" if row["position"] else ""
    head = (f"## #{row['id']} {row['kind']}{position} on {row['number']} `{row['clause']}`, "
            f"by {_author(row)}")
    return "\n\n".join([head, _text(row), *_answer(row), *_appeal(row)])


def disposition_markdown(draft, rows: list[dict]) -> str:
    """The report as a Markdown document: a title, counts, then one section per comment."""
    answered = sum(1 for row in rows if row["status"] is not None)
    intro = (f"# Disposition of comments: {draft.definition.title} {draft.version}\n\n"
             f"{len(rows)} comments, suggestions and objections; {answered} with a disposition.")
    return "\n\n".join([intro, *(_entry(row) for row in rows)]) + "\n"
