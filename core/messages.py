"""How a domain error reads on a page: the message after the name of the field it concerns."""

from django.utils.translation import gettext_lazy

from core.errors import DomainError

FIELD_LABELS = {
    "position": gettext_lazy("Position"), "rationale": gettext_lazy("Rationale"),
    "body": gettext_lazy("Comment"), "quote": gettext_lazy("Quoted passage"),
    "proposed_text": gettext_lazy("Proposed wording"), "kind": gettext_lazy("Kind"),
    "parent": gettext_lazy("Reply to"), "draft": gettext_lazy("Draft"),
    "reason": gettext_lazy("Reason"), "note": gettext_lazy("Note"),
    "comment": gettext_lazy("Comment"), "satisfied": gettext_lazy("Acknowledgement"),
    "key": gettext_lazy("Key"), "heading": gettext_lazy("Heading"),
    "parts": gettext_lazy("Parts"), "clauses": gettext_lazy("Clauses"),
    "version": gettext_lazy("Version"), "markdown": gettext_lazy("Markdown"),
    "closes_at": gettext_lazy("Comment period ends"), "changelog": gettext_lazy("Changelog"),
    "status": gettext_lazy("Status"), "response": gettext_lazy("Response"),
    "addressed_in": gettext_lazy("Addressed in"), "based_on": gettext_lazy("Based on"),
    "direction": gettext_lazy("Direction"),
}
# The same field names a different thing on the editor's forms than on a comment form.
EDITOR_LABELS = {**FIELD_LABELS, "body": gettext_lazy("Body"), "parent": gettext_lazy("Inside")}


def error_text(error: DomainError, labels: dict = FIELD_LABELS) -> str:
    """The error with the field it names, as shown next to a form."""
    label = labels.get(error.field or "")
    return f"{label}: {error.message}" if label else error.message
