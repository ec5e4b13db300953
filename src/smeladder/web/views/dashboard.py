"""首页仪表盘 (dashboard): precomputed counts of the monitoring app, charts."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
