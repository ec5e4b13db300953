"""首页: officials get the dashboard; an enterprise user a small home pointing at its own record;
department staff their unit's open 诉求; a partner what is shared with it (nothing yet)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from smeladder.accounts.models import Role
from smeladder.casework.models import Case, CaseMessage
from smeladder.registry.models import Enterprise

from .dashboard import dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_superuser or user.role in (Role.ADMIN, Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL):
        return dashboard(request)
    context: dict[str, object] = {"kind": user.role}
    if user.role == Role.ENTERPRISE:
        context["firm"] = (
            Enterprise.objects.for_user(user).only("uscc", "name").first()
            if user.enterprise_id
            else None
        )
    if user.role == Role.DEPARTMENT:
        # counts only: the list itself is the 诉求 page, scoped the same way
        context["departments"] = list(
            user.departments.filter(active=True).values_list("name", flat=True)
        )
        context["open_cases"] = Case.objects.for_user(user).open().count()
        context["unread"] = CaseMessage.objects.for_user(user).unread().count()
    return render(request, "web/home.html", context)


urlpatterns = [path("", home, name="home")]
