from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from . import views
from .views import cases, policies

app_name = "api"
urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprises"),
    path("enterprises/<str:uscc>/", views.EnterpriseDetailView.as_view(), name="enterprise"),
    path(
        "enterprises/<str:uscc>/assessments/",
        views.EnterpriseAssessmentsView.as_view(),
        name="enterprise-assessments",
    ),
    path(
        "enterprises/<str:uscc>/figures/",
        views.FiguresListView.as_view(),
        name="enterprise-figures",
    ),
    path(
        "enterprises/<str:uscc>/figures/<str:year>/",
        views.FiguresDetailView.as_view(),
        name="enterprise-figure",
    ),
    path(
        "enterprises/<str:uscc>/titles/",
        views.TitleListView.as_view(),
        name="enterprise-titles",
    ),
    path(
        "enterprises/<str:uscc>/titles/<str:pk>/",
        views.TitleDetailView.as_view(),
        name="enterprise-title",
    ),
    path("assess", views.AssessView.as_view(), name="assess"),
    path("screenings/", views.ScreeningRunListView.as_view(), name="screenings"),
    path(
        "screenings/<str:pk>/results/",
        views.ScreeningResultListView.as_view(),
        name="screening-results",
    ),
    path("pools/", views.PoolListView.as_view(), name="pools"),
    path("pools/<str:code>/", views.PoolDetailView.as_view(), name="pool"),
    path("pools/<str:code>/members/", views.PoolMembersView.as_view(), name="pool-members"),
    path(
        "pools/<str:code>/members/<str:pk>/remove",
        views.PoolMemberRemoveView.as_view(),
        name="pool-member-remove",
    ),
    path("policies/", policies.PolicyListView.as_view(), name="policies"),
    path("policies/<str:pk>/", policies.PolicyDetailView.as_view(), name="policy"),
    path("policies/<str:pk>/items/", policies.PolicyItemsView.as_view(), name="policy-items"),
    path(
        "policy-items/<str:pk>/firms/", policies.ItemFirmsView.as_view(), name="policy-item-firms"
    ),
    path(
        "enterprises/<str:uscc>/policy-matches/",
        policies.EnterpriseMatchesView.as_view(),
        name="enterprise-policy-matches",
    ),
    path("notifications/", policies.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<str:pk>/read",
        policies.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("applications/", policies.ApplicationListView.as_view(), name="applications"),
    path(
        "applications/<str:pk>/grant",
        policies.ApplicationGrantView.as_view(),
        name="application-grant",
    ),
    path("cases/", cases.CaseListView.as_view(), name="cases"),
    path("cases/<str:pk>/", cases.CaseDetailView.as_view(), name="case"),
    path(
        "cases/<str:pk>/transitions/", cases.CaseTransitionView.as_view(), name="case-transitions"
    ),
    path("cases/<str:pk>/escalate/", cases.CaseEscalateView.as_view(), name="case-escalate"),
    path("cases/<str:pk>/reassign/", cases.CaseReassignView.as_view(), name="case-reassign"),
    path("cases/<str:pk>/rating/", cases.CaseRatingView.as_view(), name="case-rating"),
    path("cases/<str:pk>/follow-ups/", cases.CaseFollowUpView.as_view(), name="case-follow-ups"),
    path(
        "cases/<str:pk>/attachments/", cases.CaseAttachmentsView.as_view(), name="case-attachments"
    ),
    path(
        "cases/<str:pk>/attachments/<str:att>/",
        cases.CaseAttachmentDownloadView.as_view(),
        name="case-attachment",
    ),
    path("case-metrics/", cases.CaseMetricListView.as_view(), name="case-metrics"),
    path("departments/", cases.DepartmentListView.as_view(), name="departments"),
    path("token", views.TokenView.as_view(), name="token"),
    path(
        "openapi.json",
        SpectacularJSONAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[IsAuthenticated]),
        name="docs",
    ),
    # anything else under /api/v1/: a JSON 404 like every other API error, not an HTML page
    re_path(r"^.*$", views.not_found, name="not-found"),
]
