"""Stored matches: which firms qualify for which published items, with the amount, computed by
the sweep (all items × all firms) and kept current incrementally — one row per item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import SupportItem


class MatchOutcome(models.TextChoices):
    PASS = "pass", _("符合")
    UNDETERMINED = "undetermined", _("待核实")


class ItemMatchSet(models.Model):
    """One item's sweep result: the firms that pass and those that are undetermined, with amounts
    and the facts each waits on, encoded compactly (policies/match_sets.py documents the
    encoding). Failures are not stored: they are the great majority and nobody lists them. One
    row per item, not per pair: the benchmark registry has ~600 M passing or undetermined pairs."""

    item = models.OneToOneField(SupportItem, on_delete=models.CASCADE, related_name="match_set")
    policy_version = models.PositiveIntegerField("政策版本")
    #: the sme_size rulebook the size classes were computed with ("" when none in force)
    rulebook = models.CharField("规则版本", max_length=64, blank=True, default="")
    computed_on = models.DateField("计算日期")
    computed_at = models.DateTimeField("计算时间", auto_now=True)
    n_pass = models.PositiveIntegerField("符合数", default=0)
    n_undetermined = models.PositiveIntegerField("待核实数", default=0)
    pass_ids = models.BinaryField("符合企业", default=b"")
    pass_amounts = models.BinaryField("符合企业金额", default=b"")
    pass_missing = models.BinaryField("符合企业待补充信息", default=b"")
    undetermined_ids = models.BinaryField("待核实企业", default=b"")
    undetermined_amounts = models.BinaryField("待核实企业金额", default=b"")
    undetermined_missing = models.BinaryField("待核实企业待补充信息", default=b"")
    #: the distinct lists of facts waited on (paths of facts-format.md) and conditions only a
    #: person can judge, in words; ``*_missing`` index into it
    missing_sets = models.JSONField("待补充信息", default=list, blank=True)

    class Meta:
        verbose_name = "政策匹配结果"
        verbose_name_plural = "政策匹配结果"

    def __str__(self) -> str:
        return f"{self.item_id}: {self.n_pass} pass, {self.n_undetermined} undetermined"


class SweepRun(models.Model):
    """One run of the matching sweep (full or incremental), as a job with progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("计算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

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
