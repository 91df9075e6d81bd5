"""The Atom feed of a definition's drafts and decisions (`/d/{d}/feed.atom`).

Its entries are the public decision log; an entry about a draft links to the draft and, once
published, carries the draft's changelog. Reasons, responses and changelogs are what people typed:
entries carry them as Atom `type="text"` (readers show them literally, never as markup).
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed

from core.errors import NotFound
from definition.models import Definition, Event
from definition.selectors import get_definition, list_events

MAX_ENTRIES = 50
DRAFT_TEXT_KINDS = (Event.Kind.DRAFT_PUBLISHED, Event.Kind.DRAFT_FINALIZED)


class TextSummaryAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text: Django's Atom1Feed declares them `html`."""

    def add_item_elements(self, handler, item):
        text = item.pop("text_summary", None)
        super().add_item_elements(handler, item)
        if text:
            handler.addQuickElement("summary", text, {"type": "text"})


class DefinitionFeed(Feed):
    feed_type = TextSummaryAtomFeed

    def get_object(self, request, d: str) -> Definition:
        try:
            return get_definition(slug=d)
        except NotFound as error:
            raise Http404(error.message) from None

    def title(self, definition: Definition) -> str:
        return f"{definition.title}: drafts and decisions"

    def subtitle(self, definition: Definition) -> str:
        return definition.summary or f"The public decision log of {definition.title}."

    def link(self, definition: Definition) -> str:
        return f"/d/{definition.slug}/activity/"

    def items(self, definition: Definition) -> list[Event]:
        events = list(list_events(definition=definition, viewer=None)[:MAX_ENTRIES])
        for event in events:
            event.definition = definition
        return events

    def item_title(self, event: Event) -> str:
        return event.summary

    def item_description(self, event: Event) -> None:
        return None  # see item_extra_kwargs: the summary goes out as text

    def item_extra_kwargs(self, event: Event) -> dict:
        return {"text_summary": self._summary(event)}

    def _summary(self, event: Event) -> str:
        parts = [f"Reason: {event.reason}"] if event.reason else []
        if event.kind in DRAFT_TEXT_KINDS and event.draft and event.draft.changelog:
            parts.append(event.draft.changelog)
        return "\n\n".join(parts) or event.summary

    def item_link(self, event: Event) -> str:
        slug = event.definition.slug
        if event.draft_id and event.draft.status != event.draft.Status.EDITING:
            return f"/d/{slug}/v/{event.draft.version}/"
        return f"/d/{slug}/activity/#event-{event.pk}"

    def item_guid(self, event: Event) -> str:
        return f"concord-event-{event.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, event: Event):
        return event.created_at

    def item_updateddate(self, event: Event):
        return event.created_at

    def item_author_name(self, event: Event) -> str | None:
        return event.actor.username if event.actor_id else None

    def item_categories(self, event: Event):
        return [event.kind]
