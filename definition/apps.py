from django.apps import AppConfig


class DefinitionConfig(AppConfig):
    name = "definition"
    verbose_name = "Definitions and drafts"

    def ready(self):
        from core import labels
        from definition.models import Change, Draft, Event, Job, Membership

        labels.register("draft-status", Draft.Status)
        labels.register("membership", Membership.Status)
        labels.register("event", Event.Kind)
        labels.register("change", Change)
        labels.register("job", Job.Kind)
