"""The in-app inbox of casework: one message per recipient and change, and a delivery row per
channel (inbox, e-mail, SMS — the channel interface of policy pushes)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class MessageQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> MessageQuerySet:
        # a message is its recipient's alone, whatever their role
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> MessageQuerySet:
        return self.filter(read_at__isnull=True)


class CaseMessage(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_messages"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    event = models.ForeignKey(
        "casework.CaseEvent", null=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "诉求消息"
        verbose_name_plural = "诉求消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="case_inbox_unread")]

    def __str__(self) -> str:
        return self.title


class CaseDelivery(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("未发送")

    message = models.ForeignKey(CaseMessage, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=16)
    recipient = models.CharField("接收方", max_length=200, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices)
    detail = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "诉求消息发送记录"
        verbose_name_plural = "诉求消息发送记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.state}"
