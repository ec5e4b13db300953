"""Cultivation pools (培育库): creating a pool, adding a firm with a reason, taking it out with a
reason. Each change records an audit event with old → new values. Who may do what is decided in
registry/models/pools.py (PoolQuerySet.for_user / managed_by).

Dates: a firm may leave on the day it joined (left_on == joined_on: a same-day correction keeps
its history) but not before; it may join again on or after the day it last left, never on a day
it already has a membership starting (one row per pool, firm and joining day)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from smeladder.accounts.audit import record

from ..models import Enterprise, Pool, PoolMembership
from ..models.pools import may_manage_area

REASON_MAX = 300  # PoolMembership.reason / exit_reason
CODE_RE = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")
TRACKS = ("miit", "most", "both")


class PoolError(ValueError):
    """A pool change that is not allowed or not valid; the message is in Chinese."""


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PoolError(f"请填写{what}。")
    if len(reason) > REASON_MAX:
        raise PoolError(f"{what}不能超过 {REASON_MAX} 个字。")
    return reason


def _check_member_scope(actor: Any, pool: Pool, enterprise: Enterprise) -> None:
    """The actor sees the pool, the firm is in the actor's scope and in the pool's area."""
    if not Pool.objects.for_user(actor).filter(pk=pool.pk).exists():
        raise PoolError("无权管理该培育库。")
    if not Enterprise.objects.for_user(actor).filter(pk=enterprise.pk).exists():
        raise PoolError("该企业不在您的管辖范围内。")
    if not enterprise.division_code.startswith(pool.division_prefix):
        raise PoolError(f"该企业不在培育库“{pool.name}”的区划范围内。")


def create_pool(
    *,
    actor: Any,
    code: str,
    name: str,
    track: str = "both",
    division_prefix: str = "",
    description: str = "",
) -> Pool:
    """A new pool for ``division_prefix`` ("" = city-wide), which the actor must manage."""
    code, name = (code or "").strip(), (name or "").strip()
    prefix = (division_prefix or "").strip()
    if not CODE_RE.match(code):
        raise PoolError("培育库代码须为 1–64 位字母、数字、连字符或下划线。")
    if not name or len(name) > 100:
        raise PoolError("请填写培育库名称（不超过 100 个字）。")
    if track not in TRACKS:
        raise PoolError("所属梯度须为 miit、most 或 both。")
    if prefix and not (prefix.isascii() and prefix.isdigit() and len(prefix) in (2, 4, 6)):
        raise PoolError("管理区划须为 2、4 或 6 位数字，或留空表示全市。")
    if not may_manage_area(actor, prefix):
        raise PoolError("无权为该区划建立培育库。")
    if Pool.objects.filter(code=code).exists():
        raise PoolError(f"培育库代码 {code} 已被使用。")
    fields = {
        "code": code,
        "name": name,
        "track": track,
        "division_prefix": prefix,
        "description": (description or "").strip(),
    }
    try:
        with transaction.atomic():
            pool = Pool.objects.create(**fields)
            record(
                "registry.pool_create",
                actor=actor,
                object_type="registry.Pool",
                object_id=str(pool.pk),
                changes={key: [None, value] for key, value in fields.items()},
            )
    except IntegrityError:  # the same code created at the same moment
        raise PoolError(f"培育库代码 {code} 已被使用。") from None
    return pool


def add_to_pool(
    *, actor: Any, pool: Pool, enterprise: Enterprise, joined_on: date, reason: str
) -> PoolMembership:
    """Add a firm to a pool from ``joined_on`` with a reason (入库理由)."""
    reason = _reason(reason, "入库理由")
    _check_member_scope(actor, pool, enterprise)
    try:
        with transaction.atomic():
            # the pool row locked: two officials adding the same firm at once cannot both win
            Pool.objects.select_for_update().filter(pk=pool.pk).first()
            history = list(
                PoolMembership.objects.filter(pool=pool, enterprise=enterprise).only(
                    "joined_on", "left_on"
                )
            )
            if any(m.left_on is None for m in history):
                raise PoolError(f"该企业已在培育库“{pool.name}”中。")
            if any(m.joined_on == joined_on for m in history):
                raise PoolError(f"该企业在 {joined_on.isoformat()} 已有一条入库记录。")
            last_left = max((m.left_on for m in history if m.left_on), default=None)
            if last_left is not None and joined_on < last_left:
                raise PoolError(f"入库日期不能早于上次出库日期 {last_left.isoformat()}。")
            membership = PoolMembership.objects.create(
                pool=pool, enterprise=enterprise, joined_on=joined_on, reason=reason
            )
            record(
                "registry.pool_add",
                actor=actor,
                object_type="registry.PoolMembership",
                object_id=str(membership.pk),
                changes={
                    "pool": pool.code,
                    "enterprise": enterprise.uscc,
                    "joined_on": [None, joined_on.isoformat()],
                    "reason": [None, reason],
                },
            )
    except IntegrityError:
        raise PoolError(f"该企业在 {joined_on.isoformat()} 已有一条入库记录。") from None
    return membership


def remove_from_pool(
    *, actor: Any, membership: PoolMembership, left_on: date, reason: str
) -> PoolMembership:
    """Take a firm out of a pool on ``left_on`` (not before it joined) with a reason (出库原因)."""
    reason = _reason(reason, "出库原因")
    _check_member_scope(actor, membership.pool, membership.enterprise)
    with transaction.atomic():
        current = PoolMembership.objects.select_for_update().get(pk=membership.pk)
        if current.left_on is not None:
            raise PoolError(f"该企业已于 {current.left_on.isoformat()} 出库。")
        if left_on < current.joined_on:
            raise PoolError(f"出库日期不能早于入库日期 {current.joined_on.isoformat()}。")
        current.left_on, current.exit_reason = left_on, reason
        current.save(update_fields=["left_on", "exit_reason"])
        record(
            "registry.pool_remove",
            actor=actor,
            object_type="registry.PoolMembership",
            object_id=str(current.pk),
            changes={
                "pool": membership.pool.code,
                "enterprise": membership.enterprise.uscc,
                "left_on": [None, left_on.isoformat()],
                "exit_reason": ["", reason],
            },
        )
    membership.left_on, membership.exit_reason = left_on, reason
    return membership
