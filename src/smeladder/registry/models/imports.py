from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """One `smeladder import` (or upload) that was written: what, by whom, how much."""

    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField("文件名", max_length=300)
    sha256 = models.CharField("文件摘要", max_length=64)
    format = models.CharField("格式", max_length=8)
    enterprises_created = models.PositiveIntegerField("新增企业", default=0)
    enterprises_updated = models.PositiveIntegerField("更新企业", default=0)
    enterprises_unchanged = models.PositiveIntegerField("未变企业", default=0)
    warnings = models.JSONField("警告", default=list, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.file_name}"
