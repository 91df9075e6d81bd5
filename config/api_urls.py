"""/api/v1/: the REST API of PRODUCT.md §5, its OpenAPI schema and its docs."""

from csp.decorators import csp_update
from django.urls import include, path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts
from core.api import api_not_found
from definition import api as definition
from deliberation.consensus import api as consensus
from deliberation.discussion import api as discussion_api
from deliberation.exports import api as exports
from deliberation.votes import api as vote_api


class VersionConverter:
    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(VersionConverter, "version")

D = "definitions/<slug:d>/"
V = D + "drafts/<version:v>/"
K = V + "clauses/<slug:k>/"
C = "comments/<int:pk>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start script as a file (no inline script); Swagger UI's page
    # carries an inline <style>, so this one page allows inline style.
    path("docs/", csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
    path("auth/token/", accounts.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke/", accounts.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/register/", accounts.RegisterView.as_view(), name="api-register"),
    path("definitions/", definition.DefinitionListView.as_view(), name="api-definitions"),
    # Before `D`, which would take "import-archive" for a definition's slug.
    path("definitions/import-archive/", exports.ImportArchiveView.as_view(),
         name="api-import-archive"),
    path(D, definition.DefinitionDetailView.as_view(), name="api-definition"),
    path(D + "groups/", definition.GroupListView.as_view(), name="api-groups"),
    path(D + "facilitators/", definition.FacilitatorView.as_view(), name="api-facilitators"),
    path(D + "memberships/", definition.MembershipListView.as_view(), name="api-memberships"),
    path(D + "memberships/<int:pk>/verify/", definition.MembershipVerifyView.as_view(),
         name="api-membership-verify"),
    path(D + "memberships/<int:pk>/reject/", definition.MembershipRejectView.as_view(),
         name="api-membership-reject"),
    path(D + "memberships/<int:pk>/revoke/", definition.MembershipRevokeView.as_view(),
         name="api-membership-revoke"),
    path(D + "compare/", definition.CompareView.as_view(), name="api-compare"),
    path(D + "activity/", definition.ActivityView.as_view(), name="api-activity"),
    path(D + "drafts/", definition.DraftListView.as_view(), name="api-drafts"),
    path(D + "drafts/import/", definition.DraftImportView.as_view(), name="api-draft-import"),
    path(V, definition.DraftDetailView.as_view(), name="api-draft"),
    path(V + "close/", definition.DraftCloseView.as_view(), name="api-draft-close"),
    path(V + "finalize/", definition.DraftFinalizeView.as_view(), name="api-draft-finalize"),
    path(V + "clauses/", definition.ClauseListView.as_view(), name="api-clauses"),
    path(K, definition.ClauseDetailView.as_view(), name="api-clause"),
    path(K + "history/", definition.ClauseHistoryView.as_view(), name="api-clause-history"),
    path(K + "vote/", vote_api.VoteView.as_view(), name="api-vote"),
    path(K + "votes/", vote_api.BallotView.as_view(), name="api-ballot"),
    path(K + "comments/", discussion_api.CommentListView.as_view(), name="api-comments"),
    path(C, discussion_api.CommentDetailView.as_view(), name="api-comment"),
    path(C + "disposition/", discussion_api.DispositionView.as_view(), name="api-disposition"),
    path(C + "acknowledge/", discussion_api.AcknowledgeView.as_view(), name="api-acknowledge"),
    path(C + "endorse/", discussion_api.EndorseView.as_view(), name="api-endorse"),
    path(C + "flag/", discussion_api.FlagView.as_view(), name="api-flag"),
    path(C + "hide/", discussion_api.HideView.as_view(), name="api-hide"),
    path(C + "restore/", discussion_api.RestoreView.as_view(), name="api-restore"),
    path(C + "appeal/", discussion_api.AppealView.as_view(), name="api-appeal"),
    path("appeals/<int:pk>/decide/", discussion_api.AppealDecideView.as_view(),
         name="api-appeal-decide"),
    path(D + "appeals/", discussion_api.AppealListView.as_view(), name="api-appeals"),
    path(V + "consensus/", consensus.DraftConsensusView.as_view(), name="api-consensus"),
    path(V + "consensus/recompute/", consensus.RecomputeView.as_view(), name="api-recompute"),
    path(K + "consensus/", consensus.ClauseConsensusView.as_view(), name="api-clause-consensus"),
    path(V + "opinion-groups/", consensus.OpinionGroupsView.as_view(),
         name="api-opinion-groups"),
    path("jobs/<int:pk>/", consensus.JobView.as_view(), name="api-job"),
    path(V + "export/", exports.DraftExportView.as_view(), name="api-draft-export"),
    path(D + "compare/export/", exports.RedlineExportView.as_view(), name="api-redline-export"),
    path(D + "archive/", exports.ArchiveView.as_view(), name="api-archive"),
    path("jobs/<int:pk>/download/", exports.JobDownloadView.as_view(), name="api-job-download"),
    path("", include("workspace.editing_api")),
    path("", include("workspace.api")),
    re_path(r"^[\s\S]*$", api_not_found),  # not `.*`: a newline (%0A) in the path is unknown too
]
