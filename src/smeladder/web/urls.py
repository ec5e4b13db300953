from django.contrib.auth import views as auth_views
from django.urls import path

from .views import (
    audit_log,
    cases,
    cases_rules,
    casework_metrics,
    dashboard,
    enterprises,
    home,
    liaison,
    policies_firm,
    policies_library,
    policies_tracking,
    pools,
    profile,
    screening,
    self_assessment,
)

app_name = "web"
urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only (a GET answers 405), so a link cannot log anyone out.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="web/password_change.html", success_url="/accounts/password/done/"
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="web/password_change_done.html"),
        name="password_change_done",
    ),
]
# Each page module owns its URLs. The list comes before the profile, whose <uscc> would match
# any later "enterprises/<word>/" path.
# The policy modules' fixed paths (policies/search/, policies/review/) come before the
# documents' policies/<int:pk>/ — harmless either way, but easy to read.
for module in (
    home,
    dashboard,
    enterprises,
    self_assessment,
    screening,
    pools,
    policies_firm,
    policies_tracking,
    policies_library,
    audit_log,
    casework_metrics,  # fixed cases/metrics/: an <int:pk> never matches it
    cases_rules,  # fixed cases/rules/: before cases, though its <int:pk> never matches it
    cases,
    liaison,
    profile,
):
    urlpatterns += module.urlpatterns
