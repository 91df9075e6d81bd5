from django.urls import path, re_path

from deliberation.pages import definition_views, help, revote, views

app_name = "deliberation"

draft = "d/<slug:d>/v/<str:v>/"
clause = draft + "c/<slug:k>/"

urlpatterns = [
    path("", definition_views.home, name="home"),
    path("d/<slug:d>/join/", definition_views.join, name="join"),
    path("d/<slug:d>/activity/", definition_views.activity, name="activity"),
    path("d/<slug:d>/compare/", definition_views.compare_pick, name="compare_pick"),
    path("d/<slug:d>/compare/<str:v1>...<str:v2>/", definition_views.compare, name="compare"),
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
    re_path(r"^comments/(?P<pk>[0-9]+)/(?P<action>endorse|unendorse|edit|flag|acknowledge|appeal)/$",
            views.comment_action, name="comment_action"),
    path("search/", views.search, name="search"),
    path("help/figures/", help.help_figures, name="help_figures"),
    path("accounts/profile/", views.profile, name="profile"),
]
