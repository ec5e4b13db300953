"""Hand-built registries for the monitoring tests: a few firms, each title chosen for one rule."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from smeladder.registry.models import Enterprise, Pool, PoolMembership, Title

_serial = itertools.count(1)


def firm(division: str = "370303", industry: str | None = "C3484", name: str = "") -> Enterprise:
    n = next(_serial)
    return Enterprise.objects.create(
        uscc=f"91{division}TST{n:07d}"[:18],
        name=name or f"测试企业{n}",
        division_code=division,
        industry_code=industry,
    )


def title(
    enterprise: Enterprise,
    code: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    status: str = "active",
    level: str = "national",
) -> Title:
    return Title.objects.create(
        enterprise=enterprise,
        code=code,
        level=level,
        valid_from=valid_from,
        valid_to=valid_to,
        status=status,
    )


def member(enterprise: Enterprise, pool: Pool, joined: dt.date, left: dt.date | None = None):
    return PoolMembership.objects.create(
        pool=pool, enterprise=enterprise, joined_on=joined, left_on=left
    )


def total(
    rows: Iterable[Any], prop: str, on: dt.date, subgroup: str = "", county: str | None = None
) -> int:
    """Sum of a property's rows (Row tuples or RegistryCount objects) on a date."""
    return sum(
        r.value
        for r in rows
        if r.property == prop
        and r.on == on
        and r.subgroup == subgroup
        and (county is None or r.division_code == county)
    )
