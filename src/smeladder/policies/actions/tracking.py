"""Tracking (兑现跟踪) and push preferences, each change audited:

- ``mark_applied`` — a firm's own user, or an official whose area holds the firm, marks that
  the firm applied for an item (once; marking again changes nothing);
- ``record_grant`` — an official in scope records the amount granted (0 = not supported) and
  the firm is notified;
- ``set_mutes`` — the categories a firm does not want pushed (its own user or an official).

A firm or application outside the user's scope does not exist here: ``OutOfScope`` (pages and
the API answer 404); a user who sees it but may not make the change: ``NotAllowed`` (403)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from smeladder.accounts.audit import record
from smeladder.accounts.models import Role
from smeladder.accounts.roles import in_scope, is_official
from smeladder.registry.actions.edits import NotAllowed, OutOfScope
from smeladder.registry.models import Enterprise

from ..models import Application, ApplicationStatus, Category, CategoryMute, Status, SupportItem
from .errors import PolicyError

#: below 10¹³ yuan: what every backend keeps exactly (DecimalField(15, 2))
AMOUNT_LIMIT = Decimal(10) ** 13

__all__ = [
    "NotAllowed",
    "OutOfScope",
    "TrackingError",
    "mark_applied",
    "record_grant",
    "set_mutes",
]


class TrackingError(PolicyError):
    """A refused tracking change, with a Chinese message."""


def _own_firm(user: Any, enterprise: Enterprise) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.ENTERPRISE
        and user.enterprise_id == enterprise.pk
    )


def _may_act_for(user: Any, enterprise: Enterprise) -> None:
    """The firm's own user or an official whose area holds it; anyone else: not found."""
    if _own_firm(user, enterprise):
        return
    if is_official(user) and in_scope(user, enterprise.division_code):
        return
    raise OutOfScope(enterprise.pk)


def mark_applied(
    user: Any,
    item: SupportItem,
    enterprise: Enterprise,
    *,
    on: dt.date | None = None,
    note: str = "",
) -> Application:
    _may_act_for(user, enterprise)
    if item.document.status != Status.PUBLISHED:
        raise TrackingError("该政策未发布或已失效，不能标记申报。")
    with transaction.atomic():
        application, created = Application.objects.get_or_create(
            item=item,
            enterprise=enterprise,
            defaults={
                "applied_on": on or dt.date.today(),
                "applied_by": user,
                "note": note[:300],
            },
        )
        if created:
            record(
                "policies.application.applied",
                actor=user,
                object_type="policies.application",
                object_id=str(application.pk),
                changes={
                    "enterprise": enterprise.uscc,
                    "item": item.pk,
                    "status": [None, ApplicationStatus.APPLIED],
                    "applied_on": [None, application.applied_on.isoformat()],
                },
            )
    return application


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise TrackingError("兑现金额须为数字（元）。") from None
    if not amount.is_finite() or amount < 0:
        raise TrackingError("兑现金额不能为负数。")
    if amount >= AMOUNT_LIMIT:
        raise TrackingError("兑现金额过大。")
    return amount.quantize(Decimal("0.01"))


def record_grant(
    user: Any,
    application: Application,
    amount: Any,
    on: dt.date,
    *,
    note: str = "",
) -> Application:
    """Officials in scope only; amount 0 records that the firm was not supported."""
    enterprise = application.enterprise
    if _own_firm(user, enterprise):
        raise NotAllowed("企业用户不能登记兑现金额。")
    _may_act_for(user, enterprise)
    value = _amount(amount)
    old = {
        "status": application.status,
        "granted_amount": None
        if application.granted_amount is None
        else str(application.granted_amount),
        "decided_on": application.decided_on.isoformat() if application.decided_on else None,
    }
    with transaction.atomic():
        application.status = ApplicationStatus.GRANTED if value > 0 else ApplicationStatus.REFUSED
        application.granted_amount = value
        application.decided_on = on
        application.decided_by = user
        if note:
            application.note = note[:300]
        application.save()
        new = {
            "status": application.status,
            "granted_amount": str(value),
            "decided_on": on.isoformat(),
        }
        record(
            "policies.application.decided",
            actor=user,
            object_type="policies.application",
            object_id=str(application.pk),
            changes={
                "enterprise": enterprise.uscc,
                "item": application.item_id,
                **{k: [old[k], new[k]] for k in new if old[k] != new[k]},
            },
        )
        if value > 0:
            from ..pushes import notify_granted

            notify_granted(application)
    return application


def set_mutes(user: Any, enterprise: Enterprise, categories: list[str]) -> list[str]:
    """Replace the firm's muted categories; returns them sorted."""
    _may_act_for(user, enterprise)
    wanted = sorted(set(categories))
    unknown = [c for c in wanted if c not in Category.values]
    if unknown:
        raise TrackingError(f"未知的政策类别：{'、'.join(unknown)}")
    with transaction.atomic():
        current = sorted(
            CategoryMute.objects.filter(enterprise=enterprise).values_list("category", flat=True)
        )
        if current == wanted:
            return wanted
        CategoryMute.objects.filter(enterprise=enterprise).exclude(category__in=wanted).delete()
        CategoryMute.objects.bulk_create(
            [CategoryMute(enterprise=enterprise, category=c) for c in wanted if c not in current]
        )
        record(
            "policies.mutes.set",
            actor=user,
            object_type="registry.enterprise",
            object_id=enterprise.uscc,
            changes={"muted_categories": [current, wanted]},
        )
    return wanted
