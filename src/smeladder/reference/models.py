"""Reference tables loaded from the CSVs in ``reference/data`` (see ORIGIN.md).

They are read-only copies for joins, admin browsing and reporting; application code
that only needs a lookup should use ``smeladder.reference.lookups`` (no DB round trip).
Indexed CharFields stay far below 191 characters so utf8mb4 indexes fit on MariaDB.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """One (code, name, period) of GB/T 2260, 1981–2024; a code can have several periods."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    class Status(models.TextChoices):
        CURRENT = "current", _("在用")
        CHANGED = "changed", _("变更")
        RETIRED = "retired", _("弃用")

    code = models.CharField("代码", max_length=6, db_index=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=16, choices=Level.choices)
    province_code = models.CharField("省级代码", max_length=6, db_index=True)
    # Empty for municipalities' districts, province-administered units and provinces.
    prefecture_code = models.CharField("地级代码", max_length=6, blank=True, db_index=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    since_year = models.PositiveSmallIntegerField("启用年份")
    until_year = models.PositiveSmallIntegerField("变更/弃用年份", null=True, blank=True)
    successors = models.TextField("新代码", blank=True, help_text="原文，如 370303[2003]")
    origin = models.CharField("来源说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "行政区划代码"
        verbose_name_plural = "行政区划代码（GB/T 2260）"
        ordering = ["code", "since_year"]
        constraints = [
            # A code is used once per start year; makes reloads detectably idempotent.
            models.UniqueConstraint(
                fields=["code", "since_year"], name="reference_division_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndustryCode(models.Model):
    """A GB/T 4754-2017 node: 门类 (letter), 大类 (2), 中类 (3) or 小类 (4 digits)."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField("代码", max_length=4, unique=True)
    level = models.CharField("层级", max_length=16, choices=Level.choices, db_index=True)
    name = models.CharField("名称", max_length=64)
    parent_code = models.CharField("上级代码", max_length=4, blank=True, db_index=True)
    section = models.CharField("门类", max_length=1, db_index=True)
    description = models.TextField("说明", blank=True)
    strategic_emerging = models.BooleanField("战略性新兴产业", default=False)
    strategic_partial = models.BooleanField("战略性新兴产业（部分，*）", default=False)
    sei2018_category = models.TextField("战略性新兴产业分类(2018)", blank=True)
    hightech_mfg = models.BooleanField("高技术制造业", default=False)
    hightech_svc = models.BooleanField("高技术服务业", default=False)
    digital_core = models.BooleanField("数字经济核心产业", default=False)

    class Meta:
        verbose_name = "国民经济行业代码"
        verbose_name_plural = "国民经济行业分类（GB/T 4754-2017）"
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.full_code} {self.name}"

    @property
    def full_code(self) -> str:
        """Code with its section letter ("C3484"), as used elsewhere in the project."""
        return self.code if self.level == self.Level.SECTION else f"{self.section}{self.code}"


class HightechField(models.Model):
    """《国家重点支持的高新技术领域》(2016): 一级 10 / 二级 101 / 三级 10101."""

    code = models.CharField("代码", max_length=5, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.PositiveSmallIntegerField(
        "层级", choices=[(1, "一级"), (2, "二级"), (3, "三级")], db_index=True
    )
    parent_code = models.CharField("上级代码", max_length=5, blank=True, db_index=True)

    class Meta:
        verbose_name = "高新技术领域"
        verbose_name_plural = "国家重点支持的高新技术领域（2016）"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
