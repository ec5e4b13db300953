"""首页: officials get the dashboard; an enterprise user a small home pointing at its own record;
a partner what is shared with it (nothing yet)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from smeladder.accounts.models import Role
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
    return render(request, "web/home.html", context)


urlpatterns = [path("", home, name="home")]
