"""Precomputed counts the dashboard reads (Zulip's analytics shape: a narrow count row per
property × county × industry × subgroup × date, and a fill state per property)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountQuerySet(models.QuerySet):
    """Scope of count rows: a county's rows belong to the officials whose prefix covers it.
    Enterprise and partner users have no dashboard figures (their home is elsewhere)."""

    def for_user(self, user: Any) -> CountQuerySet:
        from smeladder.accounts.models import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) and user.division_prefix:
            return self.filter(division_code__startswith=user.division_prefix)
        return self.none()


class RegistryCount(models.Model):
    """One figure: e.g. the number of firms in 张店区, industry C34, holding 专精特新 on a date."""

    property = models.CharField("指标", max_length=32)
    division_code = models.CharField("区县代码", max_length=6)
    industry_section = models.CharField("行业门类", max_length=1, blank=True)
    industry_division = models.CharField("行业大类", max_length=2, blank=True)
    #: a title code, a rung step ("hnte>gazelle"), a pool code, or "" for the whole property
    subgroup = models.CharField("分组", max_length=48, blank=True)
    on = models.DateField("统计日期")
    value = models.PositiveIntegerField("数值")

    objects = CountQuerySet.as_manager()

    class Meta:
        verbose_name = "统计数"
        verbose_name_plural = "统计数"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "property",
                    "on",
                    "division_code",
                    "industry_section",
                    "industry_division",
                    "subgroup",
                ],
                name="registry_count_key",
            )
        ]
        # the unique index serves reads by property and date; this one a district's reads
        indexes = [models.Index(fields=["property", "division_code"], name="count_prop_division")]

    def __str__(self) -> str:
        return f"{self.property} {self.division_code} {self.subgroup} {self.on}: {self.value}"


class FillState(models.Model):
    """Whether a property's rows are complete. A refresh marks STARTED outside its transaction
    and DONE inside it, so a crashed refresh stays visible while the previous rows survive."""

    class State(models.TextChoices):
        STARTED = "started", _("更新中或未完成")
        DONE = "done", _("已完成")

    property = models.CharField("指标", max_length=32, unique=True)
    state = models.CharField("状态", max_length=16, choices=State.choices)
    #: the date the stored rows count (of the last complete fill)
    on = models.DateField("统计日期", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "统计更新状态"
        verbose_name_plural = "统计更新状态"
        ordering = ["property"]

    def __str__(self) -> str:
        return f"{self.property}: {self.state} ({self.on})"
