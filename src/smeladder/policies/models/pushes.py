"""Pushes to firms: an in-app inbox (one Notification per firm and event) and a delivery log per
channel (inbox, e-mail, SMS behind one interface, policies/channels.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from smeladder.registry.models.scoped import EnterpriseChildQuerySet

from .documents import Category, SupportItem


class NotificationKind(models.TextChoices):
    NEW_ITEM = "new_item", _("新的可享政策")
    WINDOW_CLOSING = "window_closing", _("申报即将截止")
    GRANTED = "granted", _("政策已兑现")


class Notification(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=32, choices=NotificationKind.choices)
    item = models.ForeignKey(
        SupportItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            # one push per firm, item and kind: a re-run of the sweep does not nag
            models.UniqueConstraint(
                fields=["enterprise", "item", "kind"], name="one_notification_per_event"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One attempt to deliver a notification over one channel."""

    class State(models.TextChoices):
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("未发送")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=16)  # inbox / email / sms
    recipient = models.CharField("接收方", max_length=200, blank=True)
    state = models.CharField("状态", max_length=16, choices=State.choices)
    detail = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.state}"


class CategoryMute(models.Model):
    """A firm does not want pushes of one category (its inbox still lists eligible items)."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="policy_mutes"
    )
    category = models.CharField("类别", max_length=32, choices=Category.choices)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "免打扰类别"
        verbose_name_plural = "免打扰类别"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "category"], name="one_mute_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}:{self.category}"
