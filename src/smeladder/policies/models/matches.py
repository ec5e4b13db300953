"""Stored matches: which firms qualify for which published items, with the amount, computed by
the sweep (all items × all firms) and kept current incrementally."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from smeladder.registry.models.scoped import EnterpriseChildQuerySet

from .documents import SupportItem


class MatchOutcome(models.TextChoices):
    PASS = "pass", "符合"
    UNDETERMINED = "undetermined", "待核实"


class PolicyMatch(models.Model):
    """One firm × one item that passes or is undetermined (failures are not stored: they are the
    great majority of pairs and nobody lists them)."""

    item = models.ForeignKey(SupportItem, on_delete=models.CASCADE, related_name="matches")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="policy_matches"
    )
    outcome = models.CharField("结果", max_length=16, choices=MatchOutcome.choices)
    #: estimated amount in yuan (None: non-monetary, or not computable from known facts)
    amount = models.DecimalField("预计金额（元）", max_digits=15, decimal_places=2, null=True)
    #: facts the result waits on (paths of facts-format.md) and the conditions only a person can
    #: judge, in words
    missing = models.JSONField("待补充信息", default=list, blank=True)
    policy_version = models.PositiveIntegerField("政策版本")
    computed_on = models.DateField("计算日期")
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "政策匹配"
        verbose_name_plural = "政策匹配"
        constraints = [
            models.UniqueConstraint(fields=["item", "enterprise"], name="match_per_item_firm"),
        ]
        indexes = [models.Index(fields=["enterprise", "outcome"])]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.enterprise_id} {self.outcome}"


class SweepRun(models.Model):
    """One run of the matching sweep (full or incremental), as a job with progress."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    scope = models.CharField(
        "范围", max_length=32, default="full", help_text="full / enterprise:<id> / item:<id>"
    )
    on = models.DateField("计算日期")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    items = models.PositiveIntegerField("事项数", default=0)
    enterprises = models.PositiveIntegerField("企业数", default=0)
    passed = models.PositiveIntegerField("符合数", default=0)
    undetermined = models.PositiveIntegerField("待核实数", default=0)
    seconds = models.FloatField("耗时（秒）", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政策匹配批次"
        verbose_name_plural = "政策匹配批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scope} {self.on} {self.state}"
