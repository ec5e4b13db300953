"""Users with a role and a scope, and the audit log every action writes to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    CITY_OFFICIAL = "city_official", _("市级工作人员")
    DISTRICT_OFFICIAL = "district_official", _("区县工作人员")
    ENTERPRISE = "enterprise", _("企业用户")
    PARTNER = "partner", _("合作机构")
    #: staff of a unit that handles 诉求 (e.g. 区人社局): no area of their own; they see the cases
    #: assigned to the departments they are members of (casework Department.members)
    DEPARTMENT = "department", _("部门工作人员")


class User(AbstractUser):
    """A person who logs in. Scope: city officials see `division_prefix` (e.g. "3703"), district
    officials their county code ("370303"), enterprise users only `enterprise`."""

    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.ENTERPRISE)
    division_prefix = models.CharField(
        "管辖区划代码前缀",
        max_length=6,
        blank=True,
        help_text="市级如 3703，区县级如 370303；为空表示不限（仅管理员）",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    organisation = models.CharField("所属机构", max_length=200, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"


class AuditEvent(models.Model):
    """One state change: who did what to which object, with old → new values."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作人（快照）", max_length=150, blank=True)
    action = models.CharField("动作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True, db_index=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_id}"
