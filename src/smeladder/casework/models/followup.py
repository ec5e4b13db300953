"""What follows a case: supervision notices (督办), the firm's rating, 回访 calls, followers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .cases import Case
from .choices import Level, Satisfaction


class SupervisionNotice(models.Model):
    """督办: a case missed its deadline at a level. One per case, level and missed due date, so
    the escalation job can run again without writing it twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervision_notices")
    level = models.CharField("超期层级", max_length=16, choices=Level.choices)
    escalated_to = models.CharField("升级至", max_length=16, choices=Level.choices, blank=True)
    due_on = models.DateField("应办结日期")
    issued_at = models.DateTimeField("督办时间")
    text = models.TextField("督办内容")

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "level", "due_on"], name="one_notice_per_missed_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"督办 #{self.case_id} {self.level} {self.due_on}"


class Rating(models.Model):
    """好差评: the firm's verdict on a resolution. A reopened case may be rated again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    satisfaction = models.CharField("评价", max_length=16, choices=Satisfaction.choices)
    comment = models.TextField("意见", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评价人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField("评价时间")

    class Meta:
        verbose_name = "诉求评价"
        verbose_name_plural = "诉求评价"
        ordering = ["-rated_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.satisfaction}"


class FollowUpCall(models.Model):
    """回访: an official calls the firm after resolution and notes what it said."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_up_calls")
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    called_at = models.DateTimeField("回访时间")
    contact = models.CharField("受访人", max_length=100, blank=True)
    summary = models.TextField("回访情况")

    class Meta:
        verbose_name = "回访记录"
        verbose_name_plural = "回访记录"
        ordering = ["-called_at", "-id"]

    def __str__(self) -> str:
        return f"回访 #{self.case_id} {self.called_at:%Y-%m-%d}"


class Follower(models.Model):
    """Someone who is told of every change of a case besides its requester."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_cases"
    )
    added_at = models.DateTimeField("关注时间")

    class Meta:
        verbose_name = "关注人"
        verbose_name_plural = "关注人"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → #{self.case_id}"
