"""Titles on both tracks, each award a row: expired and revoked titles stay as history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoped import EnterpriseChildQuerySet


class TitleCode(models.TextChoices):
    INNOVATIVE_SME = "innovative_sme", _("创新型中小企业")
    TECH_INNOVATIVE_SME = "tech_innovative_sme", _("科技和创新型中小企业")
    SPECIALIZED_SME = "specialized_sme", _("专精特新中小企业")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”企业")
    SINGLE_CHAMPION = "single_champion", _("制造业单项冠军企业")
    TECH_SME = "tech_sme", _("科技型中小企业")
    HNTE = "hnte", _("高新技术企业")
    EAGLET = "eaglet", _("雏鹰企业")
    GAZELLE = "gazelle", _("瞪羚企业")
    UNICORN = "unicorn", _("独角兽企业")


#: which ladder each title sits on (facts-format.md, design.md)
TRACKS: dict[str, str] = {
    "innovative_sme": "miit",
    "tech_innovative_sme": "miit",
    "specialized_sme": "miit",
    "little_giant": "miit",
    "single_champion": "miit",
    "tech_sme": "most",
    "hnte": "most",
    "eaglet": "most",
    "gazelle": "most",
    "unicorn": "most",
}


class TitleLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")


class TitleStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")
    UNDER_REVIEW = "under_review", _("复核中")


class Title(models.Model):
    Status = TitleStatus

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="titles"
    )
    code = models.CharField("称号", max_length=32, choices=TitleCode.choices)
    level = models.CharField("级别", max_length=16, choices=TitleLevel.choices)
    batch = models.CharField("批次", max_length=64, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=TitleStatus.choices, default=TitleStatus.ACTIVE
    )
    source_document = models.CharField("认定文件", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "称号"
        verbose_name_plural = "称号"
        ordering = ["enterprise", "valid_from", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code", "level", "valid_from"], name="title_natural_key"
            ),
        ]
        indexes = [models.Index(fields=["code", "status"]), models.Index(fields=["valid_to"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}{self.get_code_display()}（{self.valid_from}）"

    @property
    def track(self) -> str:
        return TRACKS.get(self.code, "local")
