"""包联: liaison officers paired with firms (dated), their visits (走访) and each firm's service
package (服务包)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smeladder.registry.models.scoped import EnterpriseChildQuerySet

from .choices import ServiceKind, ServiceStatus


class LiaisonAssignment(models.Model):
    """Officer ↔ firm from a date until a date (open-ended while current). A change of officer
    ends the old row and starts a new one, so who was responsible when stays answerable."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包联干部",
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="liaison_assignments",
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指派人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "包联关系"
        verbose_name_plural = "包联关系"
        ordering = ["enterprise_id", "-valid_from"]
        # One current officer per firm is kept by assign_liaison under a lock on the firm's row,
        # not by a partial unique index: MariaDB has none (Django would only warn and skip it).

    def __str__(self) -> str:
        return f"{self.officer_id} ↔ {self.enterprise_id} {self.valid_from}–{self.valid_to or ''}"


class Visit(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField("走访日期")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="走访人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    people = models.CharField("参加人员", max_length=300, blank=True)
    findings = models.TextField("走访情况")
    case = models.ForeignKey(
        "casework.Case",
        verbose_name="由此提交的诉求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logged_at = models.DateTimeField("记录时间")

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"走访 {self.enterprise_id} {self.visited_on}"


class ServicePackageItem(models.Model):
    """One service of a firm's 服务包 and how far it has got."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="service_items",
    )
    kind = models.CharField("服务内容", max_length=24, choices=ServiceKind.choices)
    status = models.CharField(
        "状态", max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.OFFERED
    )
    note = models.CharField("说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "服务包事项"
        verbose_name_plural = "服务包事项"
        ordering = ["enterprise_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind"], name="one_service_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.kind} {self.status}"
