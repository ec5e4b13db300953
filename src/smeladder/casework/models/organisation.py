"""Who handles cases and by which rules: departments, routing rules, deadline rules and the rule
for an unsatisfied rating. All are data city officials edit, not code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Category, Level, Urgency


class Department(models.Model):
    """A unit that solves cases (e.g. 张店区人社局), with the area it serves. `owns_level`
    marks the owners of a higher rung: a case escalated to that level moves to them."""

    name = models.CharField("部门名称", max_length=200)
    division_prefix = models.CharField(
        "服务区划代码前缀", max_length=6, help_text="市级如 3703，区县级如 370303"
    )
    owns_level = models.CharField(
        "牵头督办层级",
        max_length=16,
        choices=Level.choices,
        blank=True,
        help_text="为空表示普通承办部门；填写后诉求升级到该层级时转由本部门牵头",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="成员", blank=True, related_name="departments"
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "承办部门"
        verbose_name_plural = "承办部门"
        ordering = ["division_prefix", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division_prefix", "name"], name="one_department_name")
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Category × area → department. Of the rules whose prefix covers the firm's division, the
    longest prefix (most specific area) wins."""

    category = models.CharField("诉求类别", max_length=16, choices=Category.choices)
    division_prefix = models.CharField(
        "区划代码前缀", max_length=6, blank=True, help_text="为空表示全市（兜底规则）"
    )
    department = models.ForeignKey(
        Department, verbose_name="承办部门", on_delete=models.PROTECT, related_name="routes"
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "分办规则"
        verbose_name_plural = "分办规则"
        ordering = ["category", "-division_prefix"]
        constraints = [
            models.UniqueConstraint(fields=["category", "division_prefix"], name="one_route")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.division_prefix or '*'} → {self.department}"


class DeadlineRule(models.Model):
    """Working days a level has to resolve a case of a category and urgency. An empty category
    is the default for categories without a rule of their own. The days in force when a case is
    filed (or escalated, or reopened) are copied into that event, so editing a rule never
    changes the deadline of a case already running."""

    category = models.CharField(
        "诉求类别", max_length=16, choices=Category.choices, blank=True, help_text="为空表示默认"
    )
    urgency = models.CharField("紧急程度", max_length=16, choices=Urgency.choices)
    level = models.CharField("办理层级", max_length=16, choices=Level.choices)
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")

    class Meta:
        verbose_name = "办理时限规则"
        verbose_name_plural = "办理时限规则"
        ordering = ["category", "urgency", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "urgency", "level"], name="one_deadline_rule"
            ),
            models.CheckConstraint(
                condition=models.Q(working_days__gte=1), name="deadline_at_least_one_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category or '默认'}/{self.urgency}/{self.level}: {self.working_days}"


class UnsatisfiedRule(models.Model):
    """What an unsatisfied rating (不满意) does to a case of a category: reopen it at its level,
    or reopen and escalate it. Without a rule: reopen."""

    class Outcome(models.TextChoices):
        REOPEN = "reopen", _("重新办理")
        ESCALATE = "escalate", _("重新办理并升级")

    category = models.CharField(
        "诉求类别", max_length=16, choices=Category.choices, blank=True, help_text="为空表示默认"
    )
    outcome = models.CharField("处理方式", max_length=16, choices=Outcome.choices)

    class Meta:
        verbose_name = "不满意处理规则"
        verbose_name_plural = "不满意处理规则"
        constraints = [models.UniqueConstraint(fields=["category"], name="one_unsatisfied_rule")]

    def __str__(self) -> str:
        return f"{self.category or '默认'} → {self.outcome}"
