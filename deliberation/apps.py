from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = "Votes, comments and consensus"

    def ready(self):
        # `definition.services` queues `refresh_open_draft_task` by name (it may not import this
        # app): register the tasks in every process, so that eager runs find them.
        from . import tasks  # noqa: F401
