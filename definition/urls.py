from django.urls import path

from definition.feeds import DefinitionFeed

app_name = "definition"

urlpatterns = [
    path("d/<slug:d>/feed.atom", DefinitionFeed(), name="feed"),
]
