"""ScheduledRun: a job enqueued for a day. UNIQUE (job, day) is what makes "at most once a day"
hold when two schedulers run or one restarts: the insert decides, not a read before it."""

from __future__ import annotations

from django.db import models


class ScheduledRun(models.Model):
    job = models.CharField("任务", max_length=40)
    day = models.DateField("日期")  # the local (Asia/Shanghai) day it ran for
    enqueued_at = models.DateTimeField("放入队列时间")
    #: the django-tasks result id (a UUID with the database backend); empty if never enqueued
    task_result_id = models.CharField("后台任务编号", max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = "定时任务运行"
        verbose_name_plural = "定时任务运行"
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="jobs_scheduledrun_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
