from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from . import views

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
