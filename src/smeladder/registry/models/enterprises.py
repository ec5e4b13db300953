"""The enterprise record: identity plus every non-yearly fact of the interchange format.

Every fact column is nullable: NULL means "not known", which the standards engine reads as
undetermined, never as 0 or false (facts-format.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoped import ScopedQuerySet


class RDInstitution(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    BELOW_CITY = "below_city", _("市级以下")
    NONE = "none", _("无")


class KeyField(models.TextChoices):
    A = "A", _("A 补短板/锻长板/填空白")
    B = "B", _("B 六基/老字号/配套关键产品")
    C = "C", _("C 其他")


def _flag(label: str) -> models.BooleanField:
    return models.BooleanField(label, null=True, blank=True)


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True)


class Enterprise(models.Model):
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_checksum_ok = models.BooleanField(
        "校验位正确",
        default=True,
        help_text="为否表示校验位不符、经人工确认后保留（如早期试点地区代码）",
    )
    name = models.CharField("企业名称", max_length=200, db_index=True)
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    industry_code = models.CharField(
        "国民经济行业代码", max_length=5, db_index=True, null=True, blank=True
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    listed = models.BooleanField("已上市", null=True, blank=True)

    flag_abnormal_operations_list = _flag("列入经营异常名录")
    flag_serious_dishonesty_list = _flag("列入严重失信主体名单")
    flag_major_incident_3y = _flag("近三年重大安全/质量/环境事故等")
    flag_restricted_products = _flag("产品属禁止、限制或淘汰类")
    flag_excluded_industry_rd_deduction = _flag("属研发费用加计扣除不适用行业")

    niche_since = models.DateField("进入细分市场日期", null=True, blank=True)

    product_strategic_emerging = _flag("主导产品属战略性新兴产业")
    product_key_field = models.CharField(
        "主导产品领域类别", max_length=1, choices=KeyField.choices, null=True, blank=True
    )
    product_six_basics_or_key_sector = _flag("属六基/制造强国/网络强国领域")
    product_chain_key_link = _flag("位于产业链关键环节")
    product_hightech_domain = models.CharField(
        "高新技术领域（三级）", max_length=5, null=True, blank=True
    )
    product_market_share = models.DecimalField(
        "国内细分市场占有率", max_digits=9, decimal_places=6, null=True, blank=True
    )
    product_domestic_rank = _count("国内细分市场排名")
    product_global_rank = _count("全球市场占有率排名")
    product_leading_position = _flag("细分市场占有率较为靠前")

    quality_provincial_quality_award = _flag("获省级以上质量奖")
    quality_quality_certification = _flag("通过管理体系认证")
    quality_foreign_product_certification = _flag("获发达国家和地区产品认证")
    quality_own_brand = _flag("拥有自主品牌")
    quality_standards_participation = _flag("参与制修订标准")
    quality_core_business_information_system = _flag("核心业务采用信息系统支撑")

    digital_level = models.PositiveSmallIntegerField("数字化水平等级", null=True, blank=True)
    rd_institution = models.CharField(
        "研发机构级别", max_length=16, choices=RDInstitution.choices, null=True, blank=True
    )

    ip_class1_high_value = _count("Ⅰ类高价值知识产权")
    ip_class1_self_developed = _count("自主研发Ⅰ类知识产权")
    ip_class1 = _count("Ⅰ类知识产权")
    ip_class1_applied = _count("已实施Ⅰ类知识产权")
    ip_class2 = _count("Ⅱ类知识产权")

    led_standards_since = models.PositiveSmallIntegerField(
        "最近主导制定标准年份", null=True, blank=True
    )
    local_feature_points = models.PositiveSmallIntegerField("特色化指标得分", null=True, blank=True)
    extra = models.JSONField("扩展信息", default=dict, blank=True)

    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["uscc"]
        indexes = [models.Index(fields=["division_code", "industry_code"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"
