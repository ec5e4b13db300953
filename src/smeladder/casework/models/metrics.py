"""Precomputed casework metrics (the monitoring shape): pages read these rows, never a live
aggregate over cases. `area` is the scope of the figure — a county code, the city prefix, or ""
for everything — so a district official reads only rows of their county."""

from __future__ import annotations

from typing import Any

from django.db import models


class MetricQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> MetricQuerySet:
        from smeladder.accounts.models import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) and user.division_prefix:
            return self.filter(area__startswith=user.division_prefix)
        return self.none()


class CaseMetric(models.Model):
    """One figure, e.g. the on-time rate of 融资 cases in 张店区, or the backlog of one
    department. `dimension` is all / department / category / month; `key` its value."""

    area = models.CharField("范围", max_length=6, blank=True)
    dimension = models.CharField("维度", max_length=16)
    key = models.CharField("分组", max_length=32, blank=True)
    property = models.CharField("指标", max_length=32)
    value = models.FloatField("数值", null=True)  # null: nothing to measure (no resolved case)
    on = models.DateField("统计日期")

    objects = MetricQuerySet.as_manager()

    class Meta:
        verbose_name = "诉求统计数"
        verbose_name_plural = "诉求统计数"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "dimension", "key", "property"], name="one_case_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area or '*'} {self.dimension}={self.key} {self.property}: {self.value}"


class CaseMetricRefresh(models.Model):
    """When the metrics were last recomputed and how long it took (one row per refresh)."""

    on = models.DateField("统计日期")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)

    class Meta:
        verbose_name = "诉求统计更新"
        verbose_name_plural = "诉求统计更新"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.rows}"
