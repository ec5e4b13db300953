"""Helpers shared by the pages: role labels, the districts a user may filter by, how numbers
and check values are shown to people."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_official
from smeladder.reference.lookups import counties_of, division_name

PAGE_SIZE = 50


def role_label(user: Any) -> str:
    if user.is_superuser:
        return Role.ADMIN.label
    return Role(user.role).label if user.role in Role.values else user.role


def official_or_403(request: Any, refusal: str) -> Any:
    """The user, if an administrator or an official with an area; else 403 with `refusal`."""
    if is_official(request.user):
        return request.user
    raise PermissionDenied(refusal)


def district_choices(user: Any) -> list[tuple[str, str]]:
    """The counties a user may filter by: those of their city, or their own district."""
    prefix = user.division_prefix or ""
    if user.role == Role.ENTERPRISE:
        return []
    if len(prefix) == 4:
        return counties_of(prefix + "00")
    if len(prefix) == 6:
        return [(prefix, division_name(prefix) or prefix)]
    return []


def wan(value: Any) -> str:
    """Yuan → 万元, two decimals, thousands separators; '—' when unknown."""
    if value is None:
        return "—"
    return f"{Decimal(value) / Decimal(10000):,.2f}"


def shown(value: Any) -> str:
    """A check's value for people: 是/否, numbers without float noise, ranges, lists."""
    if value is None:
        return "未知"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        rounded = round(value, 4)
        return str(int(rounded)) if rounded.is_integer() else f"{rounded:g}"
    if isinstance(value, list | tuple):
        return (
            "–".join(shown(v) for v in value)
            if len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            else "、".join(shown(v) for v in value) or "—"
        )
    if isinstance(value, dict):
        return "；".join(f"{k}：{shown(v)}" for k, v in value.items())
    return str(value)


def score_text(result: Any) -> str:
    if result.score is not None:
        return shown(float(result.score))
    if result.score_range is not None:
        lo, hi = result.score_range
        return f"{shown(float(lo))}–{shown(float(hi))}"
    return "—"
