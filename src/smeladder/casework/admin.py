"""Back office of casework: the holiday arrangements a city admin enters for the years the
calendar package does not know yet. Writes go through actions/holidays.py (audited, and the
calendar re-read); a year counts for deadlines only once all its festivals are entered."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .actions import holidays as holiday_actions
from .actions.holidays import may_edit_holidays
from .calendar import PACKAGE_YEARS, supplement
from .models import HolidayArrangement


@admin.register(HolidayArrangement)
class HolidayArrangementAdmin(admin.ModelAdmin):
    list_display = ("day", "weekday", "kind", "name", "year", "notice")
    list_filter = ("year", "kind")
    search_fields = ("name", "notice")
    date_hierarchy = "day"
    ordering = ("day",)

    @admin.display(description="星期")
    def weekday(self, obj: HolidayArrangement) -> str:
        return "一二三四五六日"[obj.day.weekday()]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # say plainly which years are not used yet, and why
        known = supplement()
        for year, missing in sorted(known.partial.items()):
            messages.warning(
                request,
                f"{year} 年的安排尚不完整（缺少{'、'.join(missing)}），"
                "录入完整前不用于计算办理时限",
            )
        messages.info(
            request,
            f"日历软件包已含 {PACKAGE_YEARS[0]}–{PACKAGE_YEARS[-1]} 年；此处只录入以后的年度，"
            "整年也可用命令 smeladder load_holidays 导入",
        )
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and may_edit_holidays(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and may_edit_holidays(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and may_edit_holidays(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        holiday_actions.save_day(obj, request.user)  # the form ran the model's checks

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        holiday_actions.delete_days([obj], request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        holiday_actions.delete_days(list(queryset), request.user)
