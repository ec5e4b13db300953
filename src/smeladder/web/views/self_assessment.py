"""自评 / 政策计算器: a firm's figures in, every standard's result and gap out."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
