"""Reading the dashboard: a handful of grouped queries over the precomputed rows (scoped to the
user's area), never over the registry — except the bounded list of titles expiring soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from smeladder.accounts.models import Role
from smeladder.reference.lookups import division_name
from smeladder.registry.models import Pool, Title
from smeladder.registry.models.titles import TitleCode

from . import ladder
from .counts import expiring
from .labels import TRACK_NAMES, industry_name, renewal_label, short, step_label
from .models import FillState, RegistryCount

#: how many titles the expiring table lists (the counts give the totals)
EXPIRING_LIST = 50
#: industries shown in the chart (the rest are summed as 其他)
TOP_INDUSTRIES = 12
#: the rungs shown per county and industry
COLUMN_RUNGS = (
    ladder.MIIT_FIRST,
    TitleCode.SPECIALIZED_SME,
    TitleCode.LITTLE_GIANT,
    TitleCode.TECH_SME,
    TitleCode.HNTE,
)


def can_refresh(user: Any) -> bool:
    """Only the city (and administrators) recount: the rows are the whole city's."""
    return bool(user.is_superuser or user.role in (Role.ADMIN, Role.CITY_OFFICIAL))


@dataclass
class Area:
    """One county or one industry: firms, firms with a title, firms per rung."""

    code: str
    name: str
    firms: int = 0
    titled: int = 0
    rungs: dict[str, int] = field(default_factory=dict)
    expiring: int = 0

    def rung_values(self) -> list[int]:
        return [self.rungs.get(r, 0) for r in COLUMN_RUNGS]


@dataclass
class Dashboard:
    state: str  # "empty" (never filled), "done", "started" (running, or a refresh that failed)
    on: dt.date | None = None
    finished_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    firms: int = 0
    titled: int = 0
    expiring_total: int = 0
    held: dict[str, int] = field(default_factory=dict)
    pyramids: list[dict[str, Any]] = field(default_factory=list)
    districts: list[Area] = field(default_factory=list)
    industries: list[Area] = field(default_factory=list)
    pools: list[tuple[str, int]] = field(default_factory=list)
    points: list[dt.date] = field(default_factory=list)
    growth: list[dict[str, Any]] = field(default_factory=list)
    conversion: list[dict[str, Any]] = field(default_factory=list)
    expiring_by_code: list[dict[str, Any]] = field(default_factory=list)
    expiring_titles: list[Title] = field(default_factory=list)
    expiring_more: bool = False
    expiring_code: str = ""
    today: dt.date | None = None

    @property
    def expiring_code_label(self) -> str:
        return TitleCode(self.expiring_code).label if self.expiring_code else ""

    @property
    def year_labels(self) -> list[str]:
        """2024, 2025, 2026（至11-30）: the years the new recognitions are counted in."""
        out = []
        for p in self.points:
            if (p.month, p.day) == (12, 31):
                out.append(_("%(year)s年") % {"year": p.year})
            else:
                out.append(
                    _("%(year)s年（至%(date)s）") % {"year": p.year, "date": p.strftime("%m-%d")}
                )
        return out

    @property
    def column_labels(self) -> list[str]:
        return [short(r) for r in COLUMN_RUNGS]

    def chart_data(self) -> dict[str, Any]:
        """What dashboard.js draws (the page's tables show the same numbers)."""
        labels = [p.isoformat() for p in self.points]
        return {
            "pyramids": [
                {
                    "id": p["track"],
                    "rungs": [{"name": r["name"], "value": r["value"]} for r in p["rungs"]],
                }
                for p in self.pyramids
            ],
            "districts": _bars(self.districts),
            "industries": _bars(self.industries),
            "growth": {
                "points": labels,
                "years": self.year_labels,
                "held": [{"name": g["name"], "data": g["held"]} for g in self.growth],
                "new": [{"name": g["name"], "data": g["new"]} for g in self.growth],
            },
            "conversion": {
                "steps": [c["name"] for c in self.conversion],
                "series": [
                    {"name": label, "data": [c["rates"][i] for c in self.conversion]}
                    for i, label in enumerate(self.year_labels)
                ],
            },
        }


def _bars(areas: list[Area]) -> dict[str, Any]:
    return {
        "categories": [a.name for a in areas],
        "firms": {"name": _("在库企业"), "data": [a.firms for a in areas]},
        "titled": {"name": _("持有有效称号企业"), "data": [a.titled for a in areas]},
        "rungs": [
            {"name": short(r), "data": [a.rungs.get(r, 0) for a in areas]} for r in COLUMN_RUNGS
        ],
    }


def _fill_state() -> Dashboard:
    states = list(FillState.objects.all())
    if not any(s.on for s in states):
        started = max((s.started_at for s in states if s.started_at), default=None)
        return Dashboard(state="started" if started else "empty", started_at=started)
    done = all(s.state == FillState.State.DONE for s in states)
    return Dashboard(
        state="done" if done else "started",
        on=max(s.on for s in states if s.on),
        finished_at=max((s.finished_at for s in states if s.finished_at), default=None),
        started_at=max((s.started_at for s in states if s.started_at), default=None),
    )


def _areas(values: list[dict[str, Any]], key: Any, name: Any) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for v in values:
        code = key(v)
        area = areas.get(code) or areas.setdefault(code, Area(code, name(v)))
        prop, sub, n = v["property"], v["subgroup"], v["v"] or 0
        if prop == ladder.FIRMS:
            area.firms += n
        elif prop == ladder.FIRMS_TITLED:
            area.titled += n
        elif prop == ladder.TITLES_HELD:
            area.rungs[sub] = area.rungs.get(sub, 0) + n
        elif prop == ladder.TITLES_EXPIRING:
            area.expiring += n
    return areas


def build(user: Any, today: dt.date, expiring_code: str = "") -> Dashboard:
    """The dashboard for ``user``; the expiring list only of ``expiring_code`` when it is one."""
    board = _fill_state()
    board.today = today
    board.expiring_code = expiring_code if expiring_code in TitleCode.values else ""
    if board.on is None:
        return board
    on = board.on
    rows = RegistryCount.objects.for_user(user)
    now_props = [ladder.FIRMS, ladder.FIRMS_TITLED, ladder.TITLES_HELD, ladder.TITLES_EXPIRING]

    by_county = list(
        rows.filter(on=on, property__in=[*now_props, ladder.POOL_MEMBERS])
        .values("property", "division_code", "subgroup")
        .annotate(v=Sum("value"))
        .order_by()
    )
    counties = _areas(
        [v for v in by_county if v["property"] != ladder.POOL_MEMBERS],
        key=lambda v: v["division_code"],
        name=lambda v: division_name(v["division_code"]) or v["division_code"],
    )
    board.districts = sorted(counties.values(), key=lambda a: a.code)
    board.firms = sum(a.firms for a in board.districts)
    board.titled = sum(a.titled for a in board.districts)
    board.expiring_total = sum(a.expiring for a in board.districts)
    held: dict[str, int] = defaultdict(int)
    for area in board.districts:
        for code, n in area.rungs.items():
            held[code] += n
    board.held = dict(held)
    board.pyramids = [
        {
            "track": track,
            "name": TRACK_NAMES[track],
            # top rung first, as a pyramid is read
            "rungs": [
                {"key": r, "name": short(r), "value": held.get(r, 0)} for r in reversed(rungs)
            ],
        }
        for track, rungs in ladder.TRACK_RUNGS.items()
    ]
    pooled: dict[str, int] = defaultdict(int)
    for v in by_county:
        if v["property"] == ladder.POOL_MEMBERS:
            pooled[v["subgroup"]] += v["v"] or 0
    names = dict(Pool.objects.filter(code__in=list(pooled)).values_list("code", "name"))
    board.pools = [(names.get(code, code), n) for code, n in sorted(pooled.items())]

    by_industry = (
        rows.filter(on=on, property__in=now_props)
        .values("property", "industry_section", "industry_division", "subgroup")
        .annotate(v=Sum("value"))
        .order_by()
    )
    industries = _areas(
        list(by_industry),
        key=lambda v: v["industry_section"] + v["industry_division"],
        name=lambda v: industry_name(v["industry_section"], v["industry_division"]),
    )
    ranked = sorted(industries.values(), key=lambda a: (-a.firms, a.code))
    board.industries = ranked[:TOP_INDUSTRIES]
    if len(ranked) > TOP_INDUSTRIES:
        rest = Area("", _("其他行业"))
        for area in ranked[TOP_INDUSTRIES:]:
            rest.firms += area.firms
            rest.titled += area.titled
            for code, n in area.rungs.items():
                rest.rungs[code] = rest.rungs.get(code, 0) + n
        board.industries.append(rest)

    series: dict[tuple[str, dt.date, str], int] = {
        (v["property"], v["on"], v["subgroup"]): v["v"] or 0
        for v in rows.filter(
            property__in=[
                ladder.TITLES_HELD,
                ladder.TITLES_NEW,
                ladder.CONVERSION_BASE,
                ladder.CONVERSION_UP,
            ]
        )
        .values("property", "on", "subgroup")
        .annotate(v=Sum("value"))
        .order_by()
    }
    board.points = ladder.points(on)
    board.growth = [
        {
            "key": rung,
            "name": short(rung),
            "held": [series.get((ladder.TITLES_HELD, p, rung), 0) for p in board.points],
            "new": [series.get((ladder.TITLES_NEW, p, rung), 0) for p in board.points],
        }
        for rungs in ladder.TRACK_RUNGS.values()
        for rung in rungs
    ]
    for lower, upper in ladder.STEPS:
        key = ladder.step_key(lower, upper)
        base = [series.get((ladder.CONVERSION_BASE, p, key), 0) for p in board.points]
        up = [series.get((ladder.CONVERSION_UP, p, key), 0) for p in board.points]
        board.conversion.append(
            {
                "key": key,
                "name": step_label(key),
                "cells": list(zip(base, up, strict=True)),
                # percent with one decimal; None when no firm was on the lower rung
                "rates": [
                    round(100 * u / b, 1) if b else None for b, u in zip(base, up, strict=True)
                ],
            }
        )

    expiring_codes: dict[str, int] = defaultdict(int)
    for v in by_county:
        if v["property"] == ladder.TITLES_EXPIRING:
            expiring_codes[v["subgroup"]] += v["v"] or 0
    board.expiring_by_code = [
        {
            "code": code,
            "name": TitleCode(code).label if code in TitleCode.values else code,
            "renewal": renewal_label(code, on),
            "value": expiring_codes[code],
        }
        for code in TitleCode.values
        if expiring_codes.get(code)
    ]
    soon = Title.objects.for_user(user).filter(expiring(today))
    if board.expiring_code:
        soon = soon.filter(code=board.expiring_code)
    titles = list(
        soon.select_related("enterprise")
        .only(
            "code",
            "level",
            "valid_to",
            "status",
            "enterprise__uscc",
            "enterprise__name",
            "enterprise__division_code",
        )
        .order_by("valid_to", "enterprise__name", "code")[: EXPIRING_LIST + 1]
    )
    board.expiring_more = len(titles) > EXPIRING_LIST
    board.expiring_titles = titles[:EXPIRING_LIST]
    for title in board.expiring_titles:
        title.renewal = renewal_label(title.code, today)
        title.division_label = division_name(title.enterprise.division_code) or ""
        title.days_left = (title.valid_to - today).days
        title.overdue = -title.days_left
    return board
