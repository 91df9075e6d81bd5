from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "deliberation"
    verbose_name = "Votes, comments and consensus"

    def ready(self):
        from core import labels
        from deliberation.models import Appeal, Comment, Disposition, Level, Position

        labels.register("position", Position)
        labels.register("level", Level)
        labels.register("kind", Comment.Kind)
        labels.register("disposition", Disposition.Status)
        labels.register("appeal", Appeal.Status)
