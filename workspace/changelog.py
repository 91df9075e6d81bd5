"""The changelog a facilitator starts from: what changed since the previous draft, and whose
suggestions it took. Markdown, meant to be edited before publishing."""

from definition import diffing
from definition.models import Clause, Draft
from definition.permissions import require_facilitator
from definition.selectors import list_clauses
from deliberation.models import Comment, Disposition

SECTIONS = (("added", "Added"), ("changed", "Changed"), ("renamed", "Renamed"),
            ("removed", "Removed"))
CREDITED = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)
LABEL_WORDS = 8


def _label(heading: str, body: str) -> str:
    """A clause named by its heading, else by its first words."""
    if heading.strip():
        return f"“{heading.strip()}”"
    words = body.split()
    more = "…" if len(words) > LABEL_WORDS else ""
    return f"“{' '.join(words[:LABEL_WORDS])}{more}”" if words else "(empty)"


def _line(change: diffing.ClauseChange, old_numbers: dict, new_numbers: dict) -> str:
    if change.status == "removed":
        label = _label(change.heading_old, change.old_text)
        return f"- {old_numbers[change.old_key]} {label} (`{change.old_key}`)"
    label = _label(change.heading_new, change.new_text)
    line = f"- {new_numbers[change.new_key]} {label} (`{change.new_key}`)"
    if change.status == "renamed":
        edited = (change.old_text, change.heading_old) != (change.new_text, change.heading_new)
        line += f", was `{change.old_key}`" + ("; text changed" if edited else "")
    return line


def _credits(draft: Draft, numbers: dict) -> list[str]:
    dispositions = (Disposition.objects
                    .filter(addressed_in=draft, status__in=CREDITED,
                            comment__kind=Comment.Kind.SUGGESTION, comment__hidden=False)
                    .select_related("comment__author", "comment__clause")
                    .order_by("comment__created_at", "comment_id"))
    lines = []
    for disposition in dispositions:
        comment = disposition.comment
        where = " ".join(filter(None, [numbers.get(comment.clause.key), f"`{comment.clause.key}`"]))
        lines.append(f"- {where}: suggestion #{comment.pk} {disposition.status}. "
                     f"Suggested by @{comment.author.username}.")
    return lines


def generate_changelog(*, draft: Draft) -> str:
    """Markdown: added, changed, renamed and removed clauses against `based_on` (by number and
    heading or first words), then the accepted suggestions addressed in this draft, credited."""
    new = list_clauses(draft=draft)
    new_numbers = {c.key: c.number for c in new}
    parts = [f"## Changes in {draft.version}"]
    if draft.based_on_id is None:
        parts.append(f"First draft: {len(new)} clauses.")
    else:
        parts += _change_sections(draft.based_on, new, new_numbers)
    credits = _credits(draft, new_numbers)
    if credits:
        parts += ["### Suggestions taken", "\n".join(credits)]
    return "\n\n".join(parts) + "\n"


def _change_sections(based_on: Draft, new: list[Clause], new_numbers: dict) -> list[str]:
    old = list_clauses(draft=based_on)
    old_numbers = {c.key: c.number for c in old}
    changes = diffing.compare_clauses(old, new)
    parts = []
    for status, title in SECTIONS:
        lines = [_line(c, old_numbers, new_numbers) for c in changes if c.status == status]
        if lines:
            parts += [f"### {title}", "\n".join(lines)]
    if len(parts) == 0:
        parts.append(f"No clause changed since {based_on.version}.")
    else:
        parts.insert(0, f"Compared with {based_on.version}.")
    return parts


def access_changelog(*, actor, draft: Draft) -> str:
    """The generated changelog of a draft, for its facilitators."""
    require_facilitator(actor, draft.definition)
    return generate_changelog(draft=draft)
