"""The facilitators' pages: the desk, the draft editor, import, publish and moderation."""

from django.urls import path, re_path

from workspace import drafts_views, views

app_name = "workspace"

draft = "d/<slug:d>/v/<str:v>/"
edit = draft + "edit/"

urlpatterns = [
    path("facilitate/appeals/", views.all_appeals, name="appeals"),
    path("d/<slug:d>/facilitate/", views.desk, name="desk"),
    path("d/<slug:d>/facilitate/answer/", views.answer_many, name="answer_many"),
    path(edit, views.editor, name="editor"),
    path(draft + "publish/", views.publish, name="publish"),
    path(draft + "recompute/", views.recompute, name="recompute"),
    path(edit + "apply/<int:pk>/", views.apply_suggestion, name="apply_suggestion"),
    re_path(r"^d/(?P<d>[-\w]+)/facilitate/comments/(?P<pk>[0-9]+)/"
            r"(?P<action>disposition|hide|restore|dismiss-flags)/$",
            views.comment_action, name="facilitate_comment"),
    re_path(r"^d/(?P<d>[-\w]+)/facilitate/appeals/(?P<pk>[0-9]+)/(?P<action>answer|decide)/$",
            views.appeal_action, name="appeal_action"),
    re_path(r"^d/(?P<d>[-\w]+)/facilitate/members/(?P<pk>[0-9]+)/(?P<decision>verify|reject)/$",
            drafts_views.decide_member, name="decide_member"),
    path("d/<slug:d>/facilitate/drafts/new/", drafts_views.new_draft, name="new_draft"),
    path("d/<slug:d>/facilitate/import/", drafts_views.import_markdown, name="import"),
    re_path(r"^d/(?P<d>[-\w]+)/v/(?P<v>[^/]+)/(?P<action>close|finalize)/$",
            drafts_views.lifecycle, name="lifecycle"),
    path(edit + "preview/", drafts_views.preview, name="preview"),
    path(edit + "clauses/", drafts_views.add_clause, name="add_clause"),
    path(edit + "merge/", drafts_views.merge, name="merge"),
    re_path(r"^d/(?P<d>[-\w]+)/v/(?P<v>[^/]+)/edit/c/(?P<k>[-a-z0-9]+)/$",
            drafts_views.clause_forms, name="editor_clause"),
    re_path(r"^d/(?P<d>[-\w]+)/v/(?P<v>[^/]+)/edit/c/(?P<k>[-a-z0-9]+)/"
            r"(?P<action>save|move|delete|rename|split)/$", drafts_views.clause_action,
            name="clause_action"),
]
