"""首页. A placeholder until the dashboard reads precomputed counts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path


def home(request: HttpRequest) -> HttpResponse:
    """Logged in: a placeholder dashboard (the real one reads precomputed counts, later)."""
    if not request.user.is_authenticated:
        return redirect("web:login")
    return render(request, "web/home.html")


urlpatterns = [path("", home, name="home")]
