"""Collectors: each turns the registry into count rows for one date, in a few aggregate
queries (GROUP BY county × industry section × industry division [× subgroup]) that run the same
on SQLite, PostgreSQL and MariaDB. Nothing here loops over firms in Python.

What "holds a title on a date" means, everywhere: the title is not revoked (已撤销的称号不计),
it started on or before the date, and it is still valid on the date (no end, an end on or after
the date, or a re-review still pending — a title under re-review is kept until the decision).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Substr

from smeladder.registry.models import Enterprise, PoolMembership, Title
from smeladder.registry.models.titles import TitleStatus

from . import ladder


def held_on(day: dt.date, path: str = "") -> Q:
    """Q for titles (at ``path`` from the queried model) held on ``day``."""
    return (
        Q(**{f"{path}valid_from__lte": day})
        & (
            Q(**{f"{path}valid_to__isnull": True})
            | Q(**{f"{path}valid_to__gte": day})
            | Q(**{f"{path}status": TitleStatus.UNDER_REVIEW})
        )
        & ~Q(**{f"{path}status": TitleStatus.REVOKED})
    )


def holds(codes: Iterable[str], day: dt.date) -> Q:
    """Q on Enterprise: the firm holds one of ``codes`` on ``day``. An IN over the titles of
    those codes (index on code) rather than EXISTS per firm: only a few firms hold each rung."""
    titles = Title.objects.filter(code__in=list(codes)).filter(held_on(day))
    return Q(pk__in=titles.values("enterprise_id"))


def _dims(path: str) -> dict[str, Any]:
    """county, industry section (letter), industry division (2 digits) of the firm at ``path``."""
    code = f"{path}industry_code"
    return {
        "county": F(f"{path}division_code"),
        "section": Coalesce(Substr(code, 1, 1), Value("")),
        "division": Coalesce(Substr(code, 2, 2), Value("")),
    }


class Row(NamedTuple):
    """One RegistryCount row, in the column order of COLUMNS (written with one executemany:
    building model instances for bulk_create took half the refresh)."""

    property: str
    division_code: str
    industry_section: str
    industry_division: str
    subgroup: str
    on: dt.date
    value: int


COLUMNS = Row._fields


def _rows(
    prop: str, on: dt.date, values: Iterable[dict[str, Any]], subgroup: str | None = None
) -> list[Row]:
    """Count rows from grouped values (key "n"; the subgroup from key "subgroup" unless given)."""
    return [
        Row(
            prop,
            v["county"],
            v["section"] or "",
            v["division"] or "",
            v["subgroup"] if subgroup is None else subgroup,
            on,
            v["n"],
        )
        for v in values
        if v["n"]
    ]


def _firms_by_dims(qs: QuerySet) -> QuerySet:
    return qs.values(**_dims("")).annotate(n=Count("pk")).order_by()


def _title_firms(qs: QuerySet, by_code: bool) -> QuerySet:
    """Distinct firms per county × industry (× title code): a firm with the same title at two
    levels counts once."""
    dims = _dims("enterprise__")
    if by_code:
        dims["subgroup"] = F("code")
    return qs.values(**dims).annotate(n=Count("enterprise", distinct=True)).order_by()


def collect_firms(on: dt.date) -> list[Row]:
    return _rows(ladder.FIRMS, on, _firms_by_dims(Enterprise.objects.all()), subgroup="")


def collect_firms_titled(on: dt.date) -> list[Row]:
    held = Title.objects.filter(held_on(on))
    return _rows(ladder.FIRMS_TITLED, on, _title_firms(held, by_code=False), subgroup="")


def _per_point(
    prop: str,
    qs: QuerySet,
    conditions: dict[dt.date, Q],
    by_code: bool,
    subgroup: str | None = None,
) -> list[Row]:
    """One pass over the titles for every growth point: a distinct-firm count per point, each
    with its own condition (COUNT(DISTINCT …) FILTER / CASE on every backend)."""
    dims = _dims("enterprise__")
    if by_code:
        dims["subgroup"] = F("code")
    counts = {
        f"p{i}": Count("enterprise", distinct=True, filter=condition)
        for i, condition in enumerate(conditions.values())
    }
    values = list(qs.values(**dims).annotate(**counts).order_by())
    rows: list[Row] = []
    for i, point in enumerate(conditions):
        rows += _rows(prop, point, ({**v, "n": v[f"p{i}"]} for v in values), subgroup=subgroup)
    return rows


def collect_titles_held(on: dt.date) -> list[Row]:
    """Per title code, and the MIIT first rung under either name, at each growth point."""
    conditions = {point: held_on(point) for point in ladder.points(on)}
    titles = Title.objects.filter(valid_from__lte=on).exclude(status=TitleStatus.REVOKED)
    first = ladder.RUNG_CODES[ladder.MIIT_FIRST]
    return _per_point(ladder.TITLES_HELD, titles, conditions, by_code=True) + _per_point(
        ladder.TITLES_HELD,
        titles.filter(code__in=first),
        conditions,
        by_code=False,
        subgroup=ladder.MIIT_FIRST,
    )


def collect_titles_new(on: dt.date) -> list[Row]:
    """Firms recognised for a title for the first time (no earlier grant of it, revoked grants
    aside) between 1 January and each growth point."""
    points = ladder.points(on)
    conditions = {p: Q(valid_from__range=(ladder.year_start(p), p)) for p in points}
    valid = Title.objects.exclude(status=TitleStatus.REVOKED)
    granted = valid.filter(valid_from__range=(ladder.year_start(points[0]), on))
    same_code = valid.filter(
        enterprise=OuterRef("enterprise"),
        code=OuterRef("code"),
        valid_from__lt=OuterRef("valid_from"),
    )
    first = ladder.RUNG_CODES[ladder.MIIT_FIRST]
    either_name = valid.filter(
        enterprise=OuterRef("enterprise"), code__in=first, valid_from__lt=OuterRef("valid_from")
    )
    return _per_point(
        ladder.TITLES_NEW, granted.exclude(Exists(same_code)), conditions, by_code=True
    ) + _per_point(
        ladder.TITLES_NEW,
        granted.filter(code__in=first).exclude(Exists(either_name)),
        conditions,
        by_code=False,
        subgroup=ladder.MIIT_FIRST,
    )


def collect_conversion(on: dt.date) -> list[Row]:
    """Of the firms on rung N but not N+1 at the end of the year before a point, how many hold
    N+1 at the point (both tracks, every neighbouring pair of rungs). One query per pair of
    rungs, a pair of conditional counts per point."""
    rows: list[Row] = []
    points = ladder.points(on)
    for lower, upper in ladder.STEPS:
        key = ladder.step_key(lower, upper)
        low, up = ladder.RUNG_CODES[lower], ladder.RUNG_CODES[upper]
        counts: dict[str, Count] = {}
        for i, point in enumerate(points):
            before = ladder.previous_year_end(point)
            on_lower = holds(low, before) & ~holds(up, before)
            counts[f"base{i}"] = Count("pk", filter=on_lower)
            counts[f"up{i}"] = Count("pk", filter=on_lower & holds(up, point))
        ever_lower = Title.objects.filter(code__in=low, valid_from__lte=on)
        candidates = Enterprise.objects.filter(pk__in=ever_lower.values("enterprise_id"))
        values = list(candidates.values(**_dims("")).annotate(**counts).order_by())
        for i, point in enumerate(points):
            for prop, name in ((ladder.CONVERSION_BASE, "base"), (ladder.CONVERSION_UP, "up")):
                rows += _rows(
                    prop, point, ({**v, "n": v[f"{name}{i}"]} for v in values), subgroup=key
                )
    return rows


def collect_pool_members(on: dt.date) -> list[Row]:
    current = PoolMembership.objects.filter(joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on)
    )
    dims = {**_dims("enterprise__"), "subgroup": F("pool__code")}
    grouped = current.values(**dims).annotate(n=Count("enterprise", distinct=True)).order_by()
    return _rows(ladder.POOL_MEMBERS, on, grouped)


def expiring(on: dt.date) -> Q:
    """Titles held on ``on`` whose validity ends within EXPIRING_DAYS (both ends included), and
    titles whose validity is over with their re-review still pending (复核中): both need the
    bureau's attention now."""
    last = on + dt.timedelta(days=ladder.EXPIRING_DAYS)
    return held_on(on) & (
        Q(valid_to__gte=on, valid_to__lte=last)
        | Q(valid_to__lt=on, status=TitleStatus.UNDER_REVIEW)
    )


def collect_titles_expiring(on: dt.date) -> list[Row]:
    grouped = _title_firms(Title.objects.filter(expiring(on)), by_code=True)
    return _rows(ladder.TITLES_EXPIRING, on, grouped)


#: property → collector; conversion fills two properties at once
COLLECTORS: dict[str, Callable[[dt.date], list[Row]]] = {
    ladder.FIRMS: collect_firms,
    ladder.FIRMS_TITLED: collect_firms_titled,
    ladder.TITLES_HELD: collect_titles_held,
    ladder.TITLES_NEW: collect_titles_new,
    ladder.POOL_MEMBERS: collect_pool_members,
    ladder.CONVERSION_BASE: collect_conversion,
    ladder.TITLES_EXPIRING: collect_titles_expiring,
}


def collect_all(on: dt.date) -> list[Row]:
    rows: list[Row] = []
    for collect in COLLECTORS.values():
        rows += collect(on)
    return rows
