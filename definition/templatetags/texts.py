"""Template tags for clause text: sanitised Markdown and word diffs."""

from django import template
from django.conf.locale import LANG_INFO
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from definition.diffing import plain_text, text_diff
from definition.rendering import render_markdown

register = template.Library()


@register.simple_tag
def markdown(text, doc_id="", quotes=()):
    """Sanitised HTML of Markdown text; `quotes` are highlighted passages."""
    return mark_safe(render_markdown(text, doc_id=doc_id, quotes=quotes))  # noqa: S308 - nh3-cleaned


@register.simple_tag(takes_context=True)
def content_lang(context, definition=None):
    """` lang="…"` (and ` dir="rtl"` for a right-to-left language) for an element holding text
    written in the definition's language — its clauses and the comments on them — so that it
    is marked as such whatever the interface language (WCAG 3.1.2)."""
    definition = definition or context.get("definition")
    language = getattr(definition, "language", "") or ""
    if not language:
        return ""
    info = LANG_INFO.get(language.lower()) or LANG_INFO.get(language.split("-")[0].lower(), {})
    if info.get("bidi"):
        return format_html(' lang="{}" dir="rtl"', language)
    return format_html(' lang="{}"', language)


@register.simple_tag
def diff(old, new):
    """A word diff of two Markdown texts, compared without their markup, as <del>/<ins> runs."""
    return render_diff(text_diff(old or "", new or ""))


@register.filter(name="plain")
def plain(text):
    """Markdown text without its markup (shown as plain text, escaped by the template)."""
    return plain_text(text or "")


@register.simple_tag
def render_diff(ops):
    tags = {"delete": "del", "insert": "ins"}
    return format_html_join("", "{}", ((_diff_run(tags.get(op), text),) for op, text in ops))


def _diff_run(tag, text):
    if tag is None:
        return format_html("{}", text)
    return format_html("<{0}>{1}</{0}>", mark_safe(tag), text)  # noqa: S308 - fixed tag name
