"""梯度筛选: screenings as background jobs, candidate lists, 推荐名单 export."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
