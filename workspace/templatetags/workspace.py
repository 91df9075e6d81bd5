"""Template helpers of the facilitator pages."""

from django import template

register = template.Library()


@register.inclusion_tag("workspace/_errors.html", takes_context=True)
def form_errors(context, *scope) -> dict:
    """The error messages raised by the form named by `scope` (see `facilitate_views.finish`),
    shown beside that form."""
    wanted = "at-" + "-".join(str(part) for part in scope)
    return {"errors": [m for m in context.get("messages") or () if m.extra_tags == wanted]}
