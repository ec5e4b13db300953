"""审计日志: who changed what, for city officials."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
