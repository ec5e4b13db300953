"""Screening runs (梯度筛选): the whole registry (or one area) assessed against standards on a
date, one stored row per (enterprise, standard).

The result table is kept narrow on purpose — a city has ~10⁵ firms, a province ~10⁶, times a
handful of standards per run. Explanations (checks, gaps) are not stored: `assess()` gives them
again for any one firm in milliseconds. Both evaluators (evaluate_python, evaluate_sql) write
exactly these columns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from smeladder.registry.models.enterprises import Enterprise
from smeladder.registry.models.scoped import EnterpriseChildQuerySet


class Engine(models.TextChoices):
    SQL = "sql", _("数据库内集合计算")
    PYTHON = "python", _("逐企业计算")


class Status(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Phase(models.TextChoices):
    """The steps a background run really passes through (screening/queue.py): each is stored,
    and committed, when the job reaches it, so a page polling the run shows where it is."""

    QUEUED = "queued", _("排队")
    COMPUTING = "computing", _("计算")
    WRITING = "writing", _("写入结果")
    DONE = "done", _("完成")
    FAILED = "failed", _("失败")


#: the share of the steps done when a phase starts (排队 → 计算 → 写入结果 → 完成): progress in
#: steps, not a time estimate — the set-based pass does not report anything finer
PHASE_PERCENT = {
    Phase.QUEUED: 0,
    Phase.COMPUTING: 25,
    Phase.WRITING: 50,
    Phase.DONE: 100,
}


class Outcome(models.TextChoices):
    PASS = "pass", _("通过")
    FAIL = "fail", _("未通过")
    UNDETERMINED = "undetermined", _("待定")


class ScreeningRunQuerySet(models.QuerySet):
    """A run is visible to whoever's area overlaps the run's area: a district official sees the
    city-wide runs (and, through ScreeningResult.for_user, only their district's rows in them)
    and runs of their own district, never a run limited to another district."""

    def for_user(self, user: object) -> ScreeningRunQuerySet:
        from smeladder.accounts.models import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) and user.division_prefix:
            prefix = user.division_prefix
            wider = [prefix[:n] for n in (0, 2, 4, 6) if n <= len(prefix)]
            return self.filter(Q(division_prefix__startswith=prefix) | Q(division_prefix__in=wider))
        return self.none()


class ScreeningRun(models.Model):
    on = models.DateField("评估日期")
    standards = models.JSONField("标准", default=list)
    division_prefix = models.CharField(
        "区划代码前缀", max_length=6, blank=True, help_text="为空表示全部企业"
    )
    engine = models.CharField("计算方式", max_length=8, choices=Engine.choices)
    rulebooks = models.JSONField(
        "规则集",
        default=dict,
        blank=True,
        help_text="标准 → 所用规则集代码（区域规则集并存时以逗号分隔）",
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    enterprises = models.PositiveIntegerField("企业数", default=0)
    evaluations = models.PositiveIntegerField("评估结果数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField("错误信息", blank=True)
    # Progress of a run started as a background job (queue_screening); a run made synchronously
    # by start_screening (CLI, API) goes straight to done / failed with these left blank.
    queued_at = models.DateTimeField("提交时间", null=True, blank=True)
    phase = models.CharField("当前步骤", max_length=16, choices=Phase.choices, blank=True)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    # Written by the background job when it finishes, so the run page reads ~100 numbers instead
    # of aggregating every result row joined with its firm (5 s at 100,000 firms); filtering
    # these by district code gives exactly the counts of ScreeningResult.for_user.
    counts = models.JSONField(
        "结果统计",
        default=dict,
        blank=True,
        help_text="标准 → 区县代码 → 结论 → 企业数（后台筛选完成时写入）",
    )

    objects = ScreeningRunQuerySet.as_manager()

    class Meta:
        verbose_name = "筛选批次"
        verbose_name_plural = "筛选批次"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        area = self.division_prefix or "全部"
        return f"筛选 #{self.pk} {self.on.isoformat()} {area}"

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)


class ScreeningResult(models.Model):
    # No database-level constraints on the two keys: the rows are derived in bulk by
    # INSERT … SELECT from the registry itself (docs/decisions/0005-screening-results.md), and
    # PostgreSQL's deferred key checks cost more than the whole evaluation at commit. Django
    # still cascades deletes of runs and enterprises.
    run = models.ForeignKey(
        ScreeningRun,
        verbose_name="筛选批次",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="results",
        db_index=False,  # the (run, standard, outcome) index starts with run
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the unique (enterprise, run, standard) index starts with enterprise
    )
    standard = models.CharField("标准", max_length=32)
    rulebook = models.CharField("规则集", max_length=64)
    outcome = models.CharField("结论", max_length=16, choices=Outcome.choices)
    score = models.FloatField("得分", null=True, blank=True)
    score_lo = models.FloatField("得分下限", null=True, blank=True)
    score_hi = models.FloatField("得分上限", null=True, blank=True)
    route = models.CharField("认定途径", max_length=16, null=True, blank=True)
    size_class = models.CharField("企业规模", max_length=8, null=True, blank=True)
    missing = models.JSONField("待补事实", default=list, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "筛选结果"
        verbose_name_plural = "筛选结果"
        constraints = [
            models.UniqueConstraint(
                # enterprise first: it also serves "this firm's results", so no third index
                fields=["enterprise", "run", "standard"],
                name="screening_result_unique",
            )
        ]
        indexes = [
            models.Index(fields=["run", "standard", "outcome"], name="screening_result_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.standard} {self.outcome}"
