"""The holiday arrangement of a year the calendar package does not know yet, as the State
Council published it (国务院办公厅关于某年部分节假日安排的通知, around November of the year
before): its public holidays and its make-up working days, entered by a city admin (Django
admin, or `smeladder load_holidays FILE.json`) instead of waiting for a package release.

A year counts only once it is complete — every one of the seven festivals of the notice has
its days — so an arrangement typed in day by day is never half-used for deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: the festivals every annual notice arranges (a row's name holds one or more of them, as in
#: "国庆节、中秋节" when the two fall together)
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


class HolidayArrangement(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    #: the year of the notice; a day may fall in the December before (a New Year holiday or
    #: its make-up Saturday)
    year = models.PositiveSmallIntegerField("安排年度", db_index=True)
    day = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("节日", max_length=32, help_text="如 元旦、春节、国庆节、中秋节")
    notice = models.CharField("通知文号", max_length=64, help_text="如 国办发明电〔2025〕7号")

    class Meta:
        verbose_name = "法定节假日安排"
        verbose_name_plural = "法定节假日安排"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name}{self.get_kind_display()}"

    def clean(self) -> None:
        if self.day is None or self.year is None:
            return  # the form reports the missing field itself
        errors = day_errors(ArrangedDay(self.day, self.kind, self.name or ""), self.year)
        if self.year in package_years():
            errors.append(package_year_error(self.year))
        if not (self.notice or "").strip():
            errors.append("请填写通知文号")
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class ArrangedDay:
    day: dt.date
    kind: str
    name: str


def day_errors(item: ArrangedDay, year: int) -> list[str]:
    """What is wrong with one day of year `year`'s arrangement (empty when nothing)."""
    errors = []
    first = dt.date(year - 1, 12, 1)
    if not first <= item.day <= dt.date(year, 12, 31):
        errors.append(f"{item.day.isoformat()} 不在 {year} 年的安排范围内（上年12月1日至当年年底）")
    if item.kind not in HolidayArrangement.Kind.values:
        errors.append(f"{item.day.isoformat()}：类型 {item.kind!r} 应为 holiday 或 workday")
    if not any(f in item.name for f in FESTIVALS):
        errors.append(f"{item.day.isoformat()}：节日「{item.name}」不是{'、'.join(FESTIVALS)}之一")
    if item.kind == HolidayArrangement.Kind.WORKDAY and item.day.weekday() < 5:
        errors.append(f"{item.day.isoformat()} 是工作日，调休上班日应为周六或周日")
    return errors


def package_years() -> range:
    from ..calendar import PACKAGE_YEARS

    return PACKAGE_YEARS


def package_year_error(year: int) -> str:
    years = package_years()
    return (
        f"日历软件包已包含 {year} 年的节假日安排（以软件包为准），无需录入；"
        f"只能录入 {years[-1] + 1} 年及以后"
    )


def missing_festivals(days: Iterable[ArrangedDay]) -> list[str]:
    """The festivals without a single holiday among `days`: a year given partially."""
    names = [d.name for d in days if d.kind == HolidayArrangement.Kind.HOLIDAY]
    return [f for f in FESTIVALS if not any(f in name for name in names)]


def year_errors(year: int, days: list[ArrangedDay]) -> list[str]:
    """Everything wrong with a whole year's arrangement; empty when it can be used."""
    errors = [e for item in days for e in day_errors(item, year)]
    seen: set[dt.date] = set()
    for item in days:
        if item.day in seen:
            errors.append(f"{item.day.isoformat()} 重复出现")
        seen.add(item.day)
    missing = missing_festivals(days)
    if missing:
        errors.append(f"{year} 年的安排不完整，缺少：{'、'.join(missing)}（须按通知整年录入）")
    return errors
