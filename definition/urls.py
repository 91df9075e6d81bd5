from django.urls import path

from definition import views
from definition.feeds import DefinitionFeed

app_name = "definition"

urlpatterns = [
    path("", views.home, name="home"),
    path("d/<slug:d>/join/", views.join, name="join"),
    path("d/<slug:d>/activity/", views.activity, name="activity"),
    path("d/<slug:d>/compare/", views.compare_pick, name="compare_pick"),
    path("d/<slug:d>/compare/<str:v1>...<str:v2>/", views.compare, name="compare"),
    path("d/<slug:d>/feed.atom", DefinitionFeed(), name="feed"),
]
