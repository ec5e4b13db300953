"""Tracking totals (兑现统计): applications, grants and granted amounts by district, by category
and by title, over the applications a user sees (Application.objects.for_user) — grouped in the
database, a fixed number of queries whatever the number of rows.

Monitoring may call ``totals(None)`` for the whole platform (no scope filter)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from smeladder.reference.lookups import division_name
from smeladder.registry.models import Title
from smeladder.registry.models.titles import TitleCode, TitleStatus

from .models import Application, ApplicationStatus, Category


@dataclass
class TotalsRow:
    key: str
    label: str
    applied: int = 0  # applications (whatever their state)
    granted: int = 0  # of those, granted
    amount: Decimal = Decimal(0)  # granted amount, yuan


@dataclass
class Totals:
    overall: TotalsRow
    by_district: list[TotalsRow]
    by_category: list[TotalsRow]
    by_title: list[TotalsRow]


GRANTED = Q(status=ApplicationStatus.GRANTED)


def _scoped(user: Any) -> QuerySet:
    if user is None:
        return Application.objects.all()
    return Application.objects.for_user(user)


def _aggregates(prefix: str = "") -> dict[str, Any]:
    return {
        f"{prefix}applied": Count("pk"),
        f"{prefix}granted": Count("pk", filter=GRANTED),
        f"{prefix}amount": Sum("granted_amount", filter=GRANTED),
    }


def _row(key: str, label: str, data: dict[str, Any], prefix: str = "") -> TotalsRow:
    return TotalsRow(
        key=key,
        label=label,
        applied=data[f"{prefix}applied"] or 0,
        granted=data[f"{prefix}granted"] or 0,
        amount=Decimal(data[f"{prefix}amount"] or 0),
    )


def by_district(user: Any) -> list[TotalsRow]:
    rows = (
        _scoped(user)
        .order_by()
        .values("enterprise__division_code")
        .annotate(**_aggregates())
        .order_by("enterprise__division_code")
    )
    return [
        _row(r["enterprise__division_code"], division_name(r["enterprise__division_code"]) or "", r)
        for r in rows
    ]


def by_category(user: Any) -> list[TotalsRow]:
    """Grouped per item in SQL, then folded into the item's categories (an item of two
    categories counts in both; categories are a JSON list no backend groups by portably)."""
    rows = (
        _scoped(user)
        .order_by()
        .values("item_id", "item__categories", "item__document__categories")
        .annotate(**_aggregates())
    )
    out: dict[str, TotalsRow] = {}
    for r in rows:
        for code in r["item__categories"] or r["item__document__categories"] or []:
            label = str(Category(code).label) if code in Category.values else code
            total = out.setdefault(code, TotalsRow(code, label))
            total.applied += r["applied"]
            total.granted += r["granted"]
            total.amount += Decimal(r["amount"] or 0)
    order = {c: n for n, c in enumerate(Category.values)}
    return sorted(out.values(), key=lambda t: (order.get(t.key, len(order)), t.key))


def by_title(user: Any) -> list[TotalsRow]:
    """Firms holding an active title of each kind (a firm of two kinds counts in both): one
    query with a conditional aggregate per title code."""
    aggregates: dict[str, Any] = {}
    for code in TitleCode.values:
        holds = Exists(
            Title.objects.filter(
                enterprise=OuterRef("enterprise"), code=code, status=TitleStatus.ACTIVE
            )
        )
        aggregates[f"{code}__applied"] = Count("pk", filter=Q(holds))
        aggregates[f"{code}__granted"] = Count("pk", filter=Q(holds) & GRANTED)
        aggregates[f"{code}__amount"] = Sum("granted_amount", filter=Q(holds) & GRANTED)
    data = _scoped(user).aggregate(**aggregates)
    rows = [_row(code, str(TitleCode(code).label), data, f"{code}__") for code in TitleCode.values]
    return [r for r in rows if r.applied]


def overall(user: Any) -> TotalsRow:
    return _row("", "合计", _scoped(user).aggregate(**_aggregates()))


def totals(user: Any) -> Totals:
    return Totals(
        overall=overall(user),
        by_district=by_district(user),
        by_category=by_category(user),
        by_title=by_title(user),
    )
