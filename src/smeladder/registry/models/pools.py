"""Cultivation pools (培育库): named lists such as 种子库, 高企培育库, 上市后备库.

Who sees and who changes a pool (the one place this is decided; registry/actions/pools.py and
the pages use it):
- a pool has an area, ``division_prefix``; "" is the whole city (全市);
- an official sees the pools of their area and of the areas containing it — a district official
  sees the city-wide pools and their district's, a city official every pool of the city;
- an official *manages* (creates, describes) the pools of their own area or inside it; a
  city-wide ("") pool is managed by city officials (an area of 4 digits or fewer);
- membership: in any pool they see, an official may add and remove the firms of their own scope
  that lie in the pool's area — so a district nominates its own firms into the city's 种子库
  and takes them out again, but never touches another district's members;
- administrators see and manage everything; enterprise users and partners see no pool.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from .scoped import EnterpriseChildQuerySet


def official_area(user: Any) -> str | None:
    """The area of an active official, "" for an administrator, None for anyone else."""
    from smeladder.accounts.models import Role

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or user.role == Role.ADMIN:
        return ""
    if user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) and user.division_prefix:
        return user.division_prefix
    return None


class PoolQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> PoolQuerySet:
        """The pools ``user`` sees: of their area, inside it, or of an area containing it."""
        prefix = official_area(user)
        if prefix is None:
            return self.none()
        if not prefix:
            return self
        wider = [prefix[:n] for n in (0, 2, 4) if n < len(prefix)]
        return self.filter(Q(division_prefix__startswith=prefix) | Q(division_prefix__in=wider))

    def managed_by(self, user: Any) -> PoolQuerySet:
        """The pools ``user`` manages: of their own area or inside it (city-wide "" pools: city
        officials)."""
        prefix = official_area(user)
        if prefix is None:
            return self.none()
        if not prefix:
            return self
        mine = Q(division_prefix__startswith=prefix)
        if len(prefix) <= 4:
            mine |= Q(division_prefix="")
        return self.filter(mine)


def may_manage_area(user: Any, division_prefix: str) -> bool:
    """Whether ``user`` may create a pool for ``division_prefix`` (see managed_by)."""
    prefix = official_area(user)
    if prefix is None:
        return False
    return division_prefix.startswith(prefix) or (division_prefix == "" and len(prefix) <= 4)


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

    objects = PoolQuerySet.as_manager()

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
