"""The rungs of both tracks as the dashboard counts them, and the properties it stores."""

from __future__ import annotations

import datetime as dt

from smeladder.registry.models.titles import TitleCode

#: the MIIT first rung under either name (科技和创新型 replaced 创新型 on 2026-04-01)
MIIT_FIRST = "miit_first"

#: rung key → the title codes that make it (a firm holds the rung if it holds any of them)
RUNG_CODES: dict[str, tuple[str, ...]] = {
    MIIT_FIRST: (TitleCode.INNOVATIVE_SME, TitleCode.TECH_INNOVATIVE_SME),
    TitleCode.SPECIALIZED_SME: (TitleCode.SPECIALIZED_SME,),
    TitleCode.LITTLE_GIANT: (TitleCode.LITTLE_GIANT,),
    TitleCode.SINGLE_CHAMPION: (TitleCode.SINGLE_CHAMPION,),
    TitleCode.TECH_SME: (TitleCode.TECH_SME,),
    TitleCode.HNTE: (TitleCode.HNTE,),
    TitleCode.GAZELLE: (TitleCode.GAZELLE,),
    TitleCode.UNICORN: (TitleCode.UNICORN,),
}

#: each track's rungs, bottom to top
TRACK_RUNGS: dict[str, tuple[str, ...]] = {
    "miit": (MIIT_FIRST, "specialized_sme", "little_giant", "single_champion"),
    "most": ("tech_sme", "hnte", "gazelle", "unicorn"),
}

#: one climb per pair of neighbouring rungs: "lower>upper"
STEPS: tuple[tuple[str, str], ...] = tuple(
    (rungs[i], rungs[i + 1]) for rungs in TRACK_RUNGS.values() for i in range(len(rungs) - 1)
)


def step_key(lower: str, upper: str) -> str:
    return f"{lower}>{upper}"


# Properties (RegistryCount.property), each refreshed together by refresh_counts.
FIRMS = "firms"  # firms in the registry
FIRMS_TITLED = "firms_titled"  # firms holding at least one valid title
TITLES_HELD = "titles_held"  # firms holding a valid title, per code and MIIT_FIRST, per point
TITLES_NEW = "titles_new"  # firms recognised for the first time in the year up to the point
POOL_MEMBERS = "pool_members"  # current members per pool code
CONVERSION_BASE = "conversion_base"  # firms on the lower rung (not the upper) at the year before
CONVERSION_UP = "conversion_up"  # … of which hold the upper rung at the point
TITLES_EXPIRING = "titles_expiring"  # validity ends within EXPIRING_DAYS, or re-review pending

PROPERTIES: tuple[str, ...] = (
    FIRMS,
    FIRMS_TITLED,
    TITLES_HELD,
    TITLES_NEW,
    POOL_MEMBERS,
    CONVERSION_BASE,
    CONVERSION_UP,
    TITLES_EXPIRING,
)

EXPIRING_DAYS = 90
YEARS = 3


def points(on: dt.date) -> list[dt.date]:
    """The dates of the growth series: the ends of the two previous years, then ``on`` itself
    (the current year so far)."""
    return [dt.date(on.year - k, 12, 31) for k in range(YEARS - 1, 0, -1)] + [on]


def year_start(point: dt.date) -> dt.date:
    return dt.date(point.year, 1, 1)


def previous_year_end(point: dt.date) -> dt.date:
    return dt.date(point.year - 1, 12, 31)
