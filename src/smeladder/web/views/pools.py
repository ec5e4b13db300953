"""培育库: pools, membership with reasons, dynamic-management alerts."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
