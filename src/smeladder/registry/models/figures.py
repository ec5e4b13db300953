"""Yearly facts of an enterprise: annual figures, equity financing, platform scores, awards and
创客中国 results. Money is in yuan (元)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoped import EnterpriseChildQuerySet


def _money(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=16, decimal_places=2, null=True, blank=True)


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class AnnualFigures(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="annual_figures"
    )
    year = models.PositiveSmallIntegerField("年度")
    revenue = _money("营业收入（元）")
    main_revenue = _money("主营业务收入（元）")
    rd_expense = _money("研发费用总额（元）")
    rd_expense_domestic = _money("境内研发费用（元）")
    cost_expense = _money("成本费用支出总额（元）")
    # Profit may be negative; every other money figure is checked non-negative on import.
    net_profit = _money("净利润（元）")
    total_assets = _money("资产总额（元）")
    total_liabilities = _money("负债总额（元）")
    employees = _count("职工总数")
    tech_staff = _count("科技人员数")
    rd_staff = _count("研发人员数")
    hightech_revenue = _money("高新技术产品（服务）收入（元）")
    tech_conversions = _count("科技成果转化数")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "年度经营数据"
        verbose_name_plural = "年度经营数据"
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annual_one_per_year"),
        ]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class EquityFinancing(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="equity_financing"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("新增股权融资（元）", max_digits=16, decimal_places=2)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "股权融资"
        verbose_name_plural = "股权融资"
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="equity_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}: {self.amount}"


class PlatformScore(models.Model):
    """专精特新发展评价 score from the national platform."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="platform_scores"
    )
    year = models.PositiveSmallIntegerField("年度")
    score = models.DecimalField("评价得分", max_digits=6, decimal_places=2)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "平台评价得分"
        verbose_name_plural = "平台评价得分"
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="platform_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}: {self.score}"


class AwardLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")


class Award(models.Model):
    """科技奖励; `rank` is the firm's rank among the winning units."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="awards"
    )
    level = models.CharField("级别", max_length=16, choices=AwardLevel.choices)
    year = models.PositiveSmallIntegerField("年度")
    rank = models.PositiveSmallIntegerField("完成单位排名", null=True, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "科技奖励"
        verbose_name_plural = "科技奖励"
        ordering = ["enterprise", "year", "level", "rank"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}科技奖励 {self.year}"


class MakerChinaGroup(models.TextChoices):
    TOP500 = "top500", _("全国500强")
    TOP50 = "top50", _("全国50强")


class MakerChinaResult(models.Model):
    """创客中国 competition results."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="maker_china"
    )
    year = models.PositiveSmallIntegerField("年度")
    group = models.CharField("名次", max_length=16, choices=MakerChinaGroup.choices)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "创客中国获奖"
        verbose_name_plural = "创客中国获奖"
        ordering = ["enterprise", "year", "group"]

    def __str__(self) -> str:
        return f"创客中国 {self.year} {self.get_group_display()}"
