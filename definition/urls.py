from django.urls import path, re_path

from definition import facilitate_views as fv
from definition import views
from definition.feeds import DefinitionFeed

app_name = "definition"

urlpatterns = [
    path("", views.home, name="home"),
    path("d/<slug:d>/join/", views.join, name="join"),
    path("d/<slug:d>/activity/", views.activity, name="activity"),
    path("d/<slug:d>/compare/", views.compare_pick, name="compare_pick"),
    path("d/<slug:d>/compare/<str:v1>...<str:v2>/", views.compare, name="compare"),
]

# The facilitators' workspace (pages that show deliberation are in deliberation/urls.py).

edit = "d/<slug:d>/v/<str:v>/edit/"
urlpatterns += [
    path("d/<slug:d>/feed.atom", DefinitionFeed(), name="feed"),
    re_path(r"^d/(?P<d>[-\w]+)/facilitate/members/(?P<pk>[0-9]+)/(?P<decision>verify|reject)/$",
            fv.decide_member, name="decide_member"),
    path("d/<slug:d>/facilitate/drafts/new/", fv.new_draft, name="new_draft"),
    path("d/<slug:d>/facilitate/import/", fv.import_markdown, name="import"),
    re_path(r"^d/(?P<d>[-\w]+)/v/(?P<v>[^/]+)/(?P<action>close|finalize)/$", fv.lifecycle,
            name="lifecycle"),
    path(edit + "preview/", fv.preview, name="preview"),
    path(edit + "clauses/", fv.add_clause, name="add_clause"),
    path(edit + "merge/", fv.merge, name="merge"),
    re_path(r"^d/(?P<d>[-\w]+)/v/(?P<v>[^/]+)/edit/c/(?P<k>[-a-z0-9]+)/"
            r"(?P<action>save|move|delete|rename|split)/$", fv.clause_action, name="clause_action"),
]
