from django.urls import path, re_path

from deliberation.pages import revote, views

app_name = "deliberation"

draft = "d/<slug:d>/v/<str:v>/"
clause = draft + "c/<slug:k>/"

urlpatterns = [
    path("d/<slug:d>/", views.overview, name="overview"),
    path(draft, views.reader, name="reader"),
    path(draft + "consensus/", views.consensus, name="consensus"),
    path(draft + "opinion-groups/", views.opinion_groups, name="opinion_groups"),
    path(draft + "dispositions/", views.dispositions, name="dispositions"),
    path(draft + "carry-forward/", revote.carry_forward, name="carry_forward"),
    path(clause, views.clause_page, name="clause"),
    path(clause + "vote/", views.vote, name="vote"),
    path(clause + "vote-block/", views.vote_block, name="vote_block"),
    path(clause + "comments/", views.comment, name="comment"),
    re_path(r"^comments/(?P<pk>[0-9]+)/(?P<action>endorse|unendorse|edit|flag|acknowledge)/$",
            views.comment_action, name="comment_action"),
    path("search/", views.search, name="search"),
    path("accounts/profile/", views.profile, name="profile"),
]
