from django import template

from core import labels

register = template.Library()


@register.filter
def label(code, choices: str):
    """`{{ summary.level|label:"level" }}`: the translated label of a coded value."""
    return labels.label(choices, code)
