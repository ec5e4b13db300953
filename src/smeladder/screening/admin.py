"""Back office: screening runs and their results, read-only and scoped like the registry (a
district official sees the runs covering their district and only its firms' results)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import ScreeningResult, ScreeningRun


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    """Runs are started by `start_screening` (audited), never edited by hand."""

    show_full_result_count = False  # no COUNT(*) over millions of result rows per page

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScreeningRun)
class ScreeningRunAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "id",
        "on",
        "division_prefix",
        "engine",
        "status",
        "enterprises",
        "evaluations",
        "started_at",
        "finished_at",
        "created_by",
    )
    list_filter = ("status", "engine", "on")
    list_select_related = ("created_by",)


@admin.register(ScreeningResult)
class ScreeningResultAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "enterprise",
        "run",
        "standard",
        "rulebook",
        "outcome",
        "score",
        "route",
        "size_class",
    )
    list_filter = ("standard", "outcome")
    search_fields = ("=enterprise__uscc", "enterprise__name")
    list_select_related = ("enterprise", "run")
    raw_id_fields = ("run", "enterprise")
    list_per_page = 50
