"""The case (企业诉求), its event log and its attachments.

A case's state is a column (for lists and filters), but its history — and so its deadline — lives
in CaseEvent: every transition is a row with actor, time, from → to and a note."""

from __future__ import annotations

import os
import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models

from .choices import Category, Channel, Level, State, Urgency
from .organisation import Department


class CaseQuerySet(models.QuerySet):
    """Scope: an enterprise user sees its firm's cases; officials their area; a department's
    members the cases assigned to it (whatever their role); admins everything."""

    def for_user(self, user: Any) -> CaseQuerySet:
        from smeladder.accounts.models import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role == Role.ENTERPRISE:
            if not user.enterprise_id:
                return self.none()
            return self.filter(enterprise_id=user.enterprise_id)
        # a subquery, not a join over members: no duplicate rows, no DISTINCT needed
        visible = models.Q(department__in=Department.objects.filter(members=user).values("pk"))
        if user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) and user.division_prefix:
            visible |= models.Q(enterprise__division_code__startswith=user.division_prefix)
        return self.filter(visible)

    def open(self) -> CaseQuerySet:
        from .choices import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)


class Case(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="cases"
    )
    category = models.CharField("诉求类别", max_length=16, choices=Category.choices)
    description = models.TextField("诉求内容")
    urgency = models.CharField(
        "紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="filed_cases",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    level = models.CharField("办理层级", max_length=16, choices=Level.choices, default=Level.SELF)
    state = models.CharField(
        "状态", max_length=16, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    filed_at = models.DateTimeField("提交时间", db_index=True)
    updated_at = models.DateTimeField("更新时间")

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["state", "level"], name="case_state_level")]

    def __str__(self) -> str:
        return f"诉求 #{self.pk} {self.get_category_display()} {self.get_state_display()}"


class CaseEvent(models.Model):
    """One thing that happened to a case. `kind` names the action (filed, accept, wait, reply,
    escalate, …); `data` holds what the deadline needs (e.g. the working days granted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作人（快照）", max_length=150, blank=True)
    at = models.DateTimeField("时间")
    from_state = models.CharField("原状态", max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=16, choices=State.choices, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        verbose_name = "诉求事件"
        verbose_name_plural = "诉求事件"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_order")]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.kind} {self.from_state}→{self.to_state}"


class CaseworkStorage(FileSystemStorage):
    """Files under SMELADDER_DATA_DIR/casework, the directory read when a file is touched (not
    when the model is imported), so a test or a deployment that moves the data directory is
    followed."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.DATA_DIR / "casework")

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)


def attachment_storage() -> FileSystemStorage:
    # a callable, so no path is written into a migration
    return CaseworkStorage()


def attachment_path(instance: Attachment, filename: str) -> str:
    # never the uploader's name on disk: a generated one, with the checked extension only
    suffix = PurePosixPath(filename).suffix.lower()
    return f"attachments/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        "文件", upload_to=attachment_path, storage=attachment_storage, max_length=200
    )
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=16)  # the sniffed kind: pdf, png, …
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "诉求附件"
        verbose_name_plural = "诉求附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
