"""Cultivation pools (培育库): named lists such as 种子库, 高企培育库, 上市后备库."""

from __future__ import annotations

from django.db import models

from .scoped import EnterpriseChildQuerySet


class Pool(models.Model):
    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    track = models.CharField(
        "所属梯度",
        max_length=16,
        choices=[("miit", "专精特新梯度"), ("most", "科技企业梯度"), ("both", "两条梯度")],
        default="both",
    )
    division_prefix = models.CharField(
        "管理区划", max_length=6, blank=True, help_text="建库单位的区划代码前缀；为空表示全市"
    )
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "培育库"
        verbose_name_plural = "培育库"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PoolMembership(models.Model):
    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.CASCADE, related_name="pool_memberships"
    )
    joined_on = models.DateField("入库日期")
    reason = models.CharField("入库理由", max_length=300, blank=True)
    left_on = models.DateField("出库日期", null=True, blank=True)
    exit_reason = models.CharField("出库原因", max_length=300, blank=True)

    objects = EnterpriseChildQuerySet.as_manager()

    class Meta:
        verbose_name = "入库记录"
        verbose_name_plural = "入库记录"
        ordering = ["pool", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "enterprise", "joined_on"], name="membership_natural_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.enterprise_id} {self.joined_on}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None
