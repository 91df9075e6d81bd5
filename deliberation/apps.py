from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = "Votes, comments and consensus"

    def ready(self):
        # `definition.memberships` queues `refresh_open_draft_task` by name (it may not import
        # this app): register the tasks in every process, so that eager runs find them.
        from core import labels
        from deliberation import tasks  # noqa: F401
        from deliberation.models import Appeal, Comment, Disposition, Level, Position

        labels.register("position", Position)
        labels.register("level", Level)
        labels.register("kind", Comment.Kind)
        labels.register("disposition", Disposition.Status)
        labels.register("appeal", Appeal.Status)
