"""Template helpers of the facilitator pages."""

from dataclasses import asdict
from urllib.parse import urlencode

from django import template

from workspace.desk import DeskQuery

register = template.Library()


@register.inclusion_tag("workspace/_errors.html", takes_context=True)
def form_errors(context, *scope) -> dict:
    """The error messages raised by the form named by `scope` (see `facilitate_views.finish`),
    shown beside that form."""
    wanted = "at-" + "-".join(str(part) for part in scope)
    return {"errors": [m for m in context.get("messages") or () if m.extra_tags == wanted]}


@register.simple_tag
def desk_link(query, **changes) -> str:
    """The desk's query string for `query` with `changes` (a new queue starts at page 1), without
    the values that are their defaults."""
    if "queue" in changes or any(name != "page" for name in changes):
        changes.setdefault("page", 1)
    values = {**asdict(query), **changes}
    defaults = asdict(DeskQuery())
    kept = {name: value for name, value in values.items() if value != defaults[name]}
    return "?" + urlencode(kept) if kept else "?"
