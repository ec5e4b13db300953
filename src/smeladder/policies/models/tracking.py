"""Tracking (兑现跟踪): a firm marks an item applied; an official records the amount granted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smeladder.registry.models.scoped import EnterpriseChildQuerySet

from .documents import SupportItem


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("已申报")
    GRANTED = "granted", _("已兑现")
    REFUSED = "refused", _("未获支持")


class Application(models.Model):
    item = models.ForeignKey(SupportItem, on_delete=models.CASCADE, related_name="applications")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="policy_applications"
    )
    status = models.CharField(
        "状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    applied_on = models.DateField("申报日期")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_amount = models.DecimalField(
        "兑现金额（元）", max_digits=15, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField("兑现日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("备注", max_length=300, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "政策申报"
        verbose_name_plural = "政策申报"
        constraints = [
            models.UniqueConstraint(fields=["item", "enterprise"], name="one_application_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.enterprise_id} {self.status}"
