"""Policy documents (政策文件) and their support items (支持事项), with revisions.

Who sees what (the one place it is decided):
- a **published** document is public information: every signed-in user sees it (an enterprise
  sees the ones whose regions cover its division, see ``covering``);
- drafts, documents in review, expired and withdrawn ones are seen by the officials who maintain
  them: the document's ``owner_prefix`` (the office that keeps it in this deployment) lies inside
  the official's area; administrators see everything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from smeladder.registry.models.pools import official_area


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")


class Category(models.TextChoices):
    FUNDING = "funding", _("资金奖补")
    TAX = "tax", _("税收优惠")
    FINANCE = "finance", _("金融支持")
    TALENT = "talent", _("人才")
    LAND_ENERGY = "land_energy", _("用地用能")
    IP = "ip", _("知识产权")
    INNOVATION = "innovation", _("科技创新")
    MARKET = "market", _("市场开拓")
    DIGITAL = "digital", _("数字化转型")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("policy status", "草稿")  # "草稿" alone is the drafts tab
    REVIEW = "review", _("审核中")
    PUBLISHED = "published", _("已发布")
    EXPIRED = "expired", _("已失效")
    WITHDRAWN = "withdrawn", _("已撤回")


class PolicyQuerySet(models.QuerySet):
    def published(self) -> PolicyQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def managed_by(self, user: Any) -> PolicyQuerySet:
        """Documents ``user`` maintains (drafts, review, publish, withdraw): owned inside their
        area."""
        prefix = official_area(user)
        if prefix is None:
            return self.none()
        return self.filter(owner_prefix__startswith=prefix) if prefix else self

    def for_user(self, user: Any) -> PolicyQuerySet:
        """Everything ``user`` may read: published documents, plus those they maintain."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        prefix = official_area(user)
        if prefix is None:
            return self.published()
        if not prefix:
            return self
        return self.filter(Q(status=Status.PUBLISHED) | Q(owner_prefix__startswith=prefix))

    def open_on(self, on: date) -> PolicyQuerySet:
        """Published and within the application window on ``on`` (open ends are open)."""
        return self.published().filter(
            Q(apply_from__isnull=True) | Q(apply_from__lte=on),
            Q(apply_to__isnull=True) | Q(apply_to__gte=on),
        )


class PolicyDocument(models.Model):
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发文单位", max_length=200)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    apply_from = models.DateField("申报开始", null=True, blank=True)
    apply_to = models.DateField("申报截止", null=True, blank=True)
    expires_on = models.DateField("失效日期", null=True, blank=True)
    #: GB/T 2260 code prefixes where the policy applies ("37" Shandong, "3703" 淄博, "370303"
    #: 张店区); empty = everywhere (a national policy)
    regions = models.JSONField("适用区划", default=list, blank=True)
    categories = models.JSONField("政策类别", default=list, blank=True)
    source_url = models.URLField("原文链接", max_length=500, blank=True)
    full_text = models.TextField("正文", blank=True)
    # 申兑指南
    materials = models.TextField("申报材料", blank=True)
    channel = models.CharField("申报渠道", max_length=300, blank=True)
    contact_department = models.CharField("联系部门", max_length=200, blank=True)
    contact_phone = models.CharField("联系电话", max_length=50, blank=True)
    payout_days = models.PositiveIntegerField("兑现时限（工作日）", null=True, blank=True)

    owner_prefix = models.CharField(
        "维护单位区划", max_length=6, blank=True, help_text="维护本文件的单位的区划代码前缀"
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    #: bumped on every saved change of the document or its items; matches store the version
    #: they were computed with
    version = models.PositiveIntegerField("版本", default=1)
    demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["status", "apply_to"])]

    def __str__(self) -> str:
        return self.title

    def covers(self, division_code: str | None) -> bool:
        """Whether the policy applies to a firm in ``division_code``."""
        if not self.regions:
            return True
        return bool(division_code) and any(
            str(division_code).startswith(str(r)) for r in self.regions
        )


class SupportItem(models.Model):
    """One benefit of a document with its own eligibility and amount.

    ``eligibility`` is an expression of the standards engine's check vocabulary
    (standards/checks.py), e.g. ``{"all": [{"title": {"codes": ["little_giant"]}}, …]}``;
    ``manual_conditions`` lists, in words, what only a person can judge (never guessed: a firm
    that passes everything else is "undetermined" while any is listed).
    ``benefit``: ``{"kind": "fixed", "amount": 1000000}`` · ``{"kind": "formula", "expr": …,
    "cap": 5000000}`` · ``{"kind": "tiered", "table": [{"when": …, "amount": …, "label": …}]}`` ·
    ``{"kind": "none", "text": "优先推荐"}`` (amounts in yuan).
    """

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("事项名称", max_length=300)
    summary = models.TextField("支持内容", blank=True)
    eligibility = models.JSONField("申报条件（规则）", default=dict, blank=True)
    conditions_text = models.TextField("申报条件（原文）", blank=True)
    manual_conditions = models.JSONField("需人工核实的条件", default=list, blank=True)
    benefit = models.JSONField("支持标准", default=dict, blank=True)
    auto_grant = models.BooleanField("免申即享", default=False)
    categories = models.JSONField("事项类别", default=list, blank=True)

    class Meta:
        verbose_name = "支持事项"
        verbose_name_plural = "支持事项"
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="item_seq_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}-{self.seq} {self.name}"


class PolicyRevision(models.Model):
    """A document with its items as they stood after a change (the JSON of policy import)."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=16, choices=Status.choices)
    snapshot = models.JSONField("内容")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策修订记录"
        verbose_name_plural = "政策修订记录"
        ordering = ["document", "-version", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.version}"
