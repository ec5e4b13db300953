"""Read-only admin for the reference tables: they are reloaded from the packaged CSVs
(`smeladder load_reference`), so edits made here would silently be lost."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from smeladder.reference.models import Division, HightechField, IndustryCode


class ReadOnlyAdmin(admin.ModelAdmin):
    """View/search/filter only; no add, change or delete for anyone."""

    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "status",
        "since_year",
        "until_year",
        "prefecture_code",
        "successors",
    ]
    list_filter = ["level", "status"]
    search_fields = ["code", "name"]


@admin.register(IndustryCode)
class IndustryCodeAdmin(ReadOnlyAdmin):
    list_display = [
        "full_code_display",
        "name",
        "level",
        "strategic_emerging",
        "strategic_partial",
        "hightech_mfg",
        "hightech_svc",
        "digital_core",
    ]
    list_filter = [
        "level",
        "section",
        "strategic_emerging",
        "strategic_partial",
        "hightech_mfg",
        "hightech_svc",
        "digital_core",
    ]
    search_fields = ["code", "name"]

    @admin.display(description="代码", ordering="code")
    def full_code_display(self, obj: IndustryCode) -> str:
        return obj.full_code

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        # Let people paste "C3484": search the digits too.
        term = search_term.strip()
        if len(term) == 5 and term[0].isalpha() and term[1:].isdigit():
            search_term = term[1:]
        return super().get_search_results(request, queryset, search_term)


@admin.register(HightechField)
class HightechFieldAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent_code"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
