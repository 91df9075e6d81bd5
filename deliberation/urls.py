from django.urls import path, re_path

from deliberation import facilitate_views as fv
from deliberation import views

app_name = "deliberation"

draft = "d/<slug:d>/v/<str:v>/"
clause = draft + "c/<slug:k>/"

urlpatterns = [
    path("d/<slug:d>/", views.overview, name="overview"),
    path(draft, views.reader, name="reader"),
    path(draft + "consensus/", views.consensus, name="consensus"),
    path(draft + "opinion-groups/", views.opinion_groups, name="opinion_groups"),
    path(draft + "dispositions/", views.dispositions, name="dispositions"),
    path(clause, views.clause_page, name="clause"),
    path(clause + "vote/", views.vote, name="vote"),
    path(clause + "vote-block/", views.vote_block, name="vote_block"),
    path(clause + "comments/", views.comment, name="comment"),
    re_path(r"^comments/(?P<pk>[0-9]+)/(?P<action>endorse|flag|acknowledge)/$",
            views.comment_action, name="comment_action"),
    path("search/", views.search, name="search"),
    path("accounts/profile/", views.profile, name="profile"),
]

# The facilitators' workspace.

urlpatterns += [
    path("d/<slug:d>/facilitate/", fv.desk, name="desk"),
    path(draft + "edit/", fv.editor, name="editor"),
    path(draft + "publish/", fv.publish, name="publish"),
    path(draft + "recompute/", fv.recompute, name="recompute"),
    path(draft + "edit/apply/<int:pk>/", fv.apply_suggestion, name="apply_suggestion"),
    re_path(r"^d/(?P<d>[-\w]+)/facilitate/comments/(?P<pk>[0-9]+)/"
            r"(?P<action>disposition|hide|restore|dismiss-flags)/$",
            fv.comment_action, name="facilitate_comment"),
]
