"""Collectors against hand-built registries: each firm and title is there for one rule."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.monitoring import ladder
from smeladder.monitoring.counts import (
    collect_all,
    collect_conversion,
    collect_firms,
    collect_firms_titled,
    collect_pool_members,
    collect_titles_expiring,
    collect_titles_held,
    collect_titles_new,
)
from smeladder.registry.models import Pool

from .registry import firm, member, title, total

ON = dt.date(2026, 6, 15)
Y24, Y25 = dt.date(2024, 12, 31), dt.date(2025, 12, 31)
D = dt.timedelta


def test_growth_points_are_two_year_ends_and_the_date() -> None:
    assert ladder.points(ON) == [Y24, Y25, ON]
    assert ladder.points(dt.date(2026, 12, 31)) == [Y24, Y25, dt.date(2026, 12, 31)]


@pytest.mark.django_db
def test_firms_per_county_and_industry() -> None:
    firm("370303", "C3484")
    firm("370303", "C3484")
    firm("370303", "I6510")
    firm("370304", "C3071")
    firm("370304", None)  # industry unknown: counted, with empty industry
    rows = collect_firms(ON)
    assert total(rows, "firms", ON, county="370303") == 3
    assert total(rows, "firms", ON, county="370304") == 2
    by_industry = {
        (r.division_code, r.industry_section, r.industry_division): r.value for r in rows
    }
    assert by_industry == {
        ("370303", "C", "34"): 2,
        ("370303", "I", "65"): 1,
        ("370304", "C", "30"): 1,
        ("370304", "", ""): 1,
    }


@pytest.mark.django_db
def test_held_on_the_date_boundaries_revoked_and_under_review() -> None:
    ends_today = firm("370303")
    title(ends_today, "specialized_sme", dt.date(2023, 6, 16), ON)  # valid_to == ON: held
    ended_yesterday = firm("370303")
    title(ended_yesterday, "specialized_sme", dt.date(2023, 6, 15), ON - D(1))
    starts_tomorrow = firm("370303")
    title(starts_tomorrow, "specialized_sme", ON + D(1), ON + D(1000))
    revoked = firm("370304")
    title(revoked, "hnte", dt.date(2025, 1, 1), dt.date(2027, 12, 31), status="revoked")
    pending = firm("370304")  # validity over, re-review pending: still held
    title(pending, "little_giant", dt.date(2023, 5, 1), ON - D(30), status="under_review")
    stale = firm("370304")  # status says active but the date is past: the date decides
    title(stale, "hnte", dt.date(2023, 1, 1), ON - D(1), status="active")
    open_ended = firm("370304")
    title(open_ended, "gazelle", dt.date(2022, 1, 1), None, level="city")

    rows = collect_titles_held(ON)
    assert total(rows, "titles_held", ON, "specialized_sme") == 1
    assert total(rows, "titles_held", ON, "hnte") == 0  # revoked and lapsed
    assert total(rows, "titles_held", ON, "little_giant") == 1
    assert total(rows, "titles_held", ON, "gazelle") == 1
    # at the end of 2024: ended_yesterday and ends_today held, the stale 高企 too
    assert total(rows, "titles_held", Y24, "specialized_sme") == 2
    assert total(rows, "titles_held", Y24, "hnte") == 1
    titled = collect_firms_titled(ON)
    assert total(titled, "firms_titled", ON, county="370303") == 1
    assert total(titled, "firms_titled", ON, county="370304") == 2


@pytest.mark.django_db
def test_a_firm_counts_once_per_title_and_once_on_the_first_miit_rung() -> None:
    both = firm()
    # the same title at two levels, and the first rung under both names
    title(both, "specialized_sme", dt.date(2025, 1, 1), dt.date(2027, 12, 31), level="provincial")
    title(both, "specialized_sme", dt.date(2025, 3, 1), dt.date(2028, 2, 28), level="city")
    title(both, "innovative_sme", dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    title(both, "tech_innovative_sme", dt.date(2026, 5, 1), dt.date(2029, 4, 30))
    rows = collect_titles_held(ON)
    assert total(rows, "titles_held", ON, "specialized_sme") == 1
    assert total(rows, "titles_held", ON, "innovative_sme") == 1
    assert total(rows, "titles_held", ON, "tech_innovative_sme") == 1
    assert total(rows, "titles_held", ON, ladder.MIIT_FIRST) == 1


@pytest.mark.django_db
def test_expiring_within_90_days_both_ends_included_and_pending_reviews() -> None:
    cases = {0: True, 1: True, 90: True, 91: False}
    for days in cases:
        title(firm("370303"), "specialized_sme", dt.date(2023, 9, 1), ON + D(days))
    title(firm("370303"), "specialized_sme", dt.date(2023, 9, 1), ON - D(1))  # already over
    revoked = firm("370304")
    title(revoked, "little_giant", dt.date(2023, 9, 1), ON + D(10), status="revoked")
    open_ended = firm("370304")
    title(open_ended, "gazelle", dt.date(2023, 9, 1), None, level="city")
    pending = firm("370304")  # over, re-review pending: due now
    title(pending, "single_champion", dt.date(2023, 5, 1), ON - D(40), status="under_review")
    rows = collect_titles_expiring(ON)
    assert total(rows, "titles_expiring", ON, "specialized_sme") == 3  # today, +1, +90
    assert total(rows, "titles_expiring", ON, "little_giant") == 0
    assert total(rows, "titles_expiring", ON, "single_champion") == 1
    assert total(rows, "titles_expiring", ON, "gazelle") == 0


@pytest.mark.django_db
def test_newly_recognised_counts_first_grants_only() -> None:
    renewed = firm()
    title(renewed, "tech_sme", dt.date(2024, 3, 1), dt.date(2024, 12, 31))
    title(renewed, "tech_sme", dt.date(2025, 3, 1), dt.date(2025, 12, 31))  # a renewal
    title(renewed, "tech_sme", dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    late = firm()
    title(late, "tech_sme", dt.date(2026, 6, 16), dt.date(2026, 12, 31))  # after ON: not yet
    once_revoked = firm()
    title(once_revoked, "tech_sme", dt.date(2024, 5, 1), dt.date(2024, 12, 31), status="revoked")
    title(once_revoked, "tech_sme", dt.date(2025, 5, 1), dt.date(2025, 12, 31))  # first valid one
    renamed = firm()
    title(renamed, "innovative_sme", dt.date(2023, 1, 1), dt.date(2026, 4, 30))
    title(renamed, "tech_innovative_sme", dt.date(2026, 5, 1), dt.date(2029, 4, 30))
    rows = collect_titles_new(ON)
    assert total(rows, "titles_new", Y24, "tech_sme") == 1
    assert total(rows, "titles_new", Y25, "tech_sme") == 1
    assert total(rows, "titles_new", ON, "tech_sme") == 0
    # the first 科技和创新型 title is new by code, but the first rung was reached in 2023
    assert total(rows, "titles_new", ON, "tech_innovative_sme") == 1
    assert total(rows, "titles_new", ON, ladder.MIIT_FIRST) == 0


@pytest.mark.django_db
def test_conversion_between_rungs() -> None:
    climbs = firm()
    title(climbs, "innovative_sme", dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    title(climbs, "specialized_sme", dt.date(2025, 6, 1), dt.date(2028, 5, 31))
    stays = firm("370304")
    title(stays, "innovative_sme", dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    both_already = firm()  # held both at the end of 2024: not a climb in 2025
    title(both_already, "innovative_sme", dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    title(both_already, "specialized_sme", dt.date(2024, 6, 1), dt.date(2027, 5, 31))
    hnte = firm()
    title(hnte, "tech_sme", dt.date(2024, 3, 1), dt.date(2024, 12, 31))
    title(hnte, "hnte", dt.date(2026, 2, 1), dt.date(2029, 1, 31))

    rows = collect_conversion(ON)
    miit = ladder.step_key(ladder.MIIT_FIRST, "specialized_sme")
    assert total(rows, "conversion_base", Y25, miit) == 2  # climbs, stays
    assert total(rows, "conversion_up", Y25, miit) == 1
    assert total(rows, "conversion_up", Y25, miit, county="370304") == 0
    # 2026: climbs and both_already hold 专精特新 at the end of 2025; stays is the base
    assert total(rows, "conversion_base", ON, miit) == 1
    assert total(rows, "conversion_up", ON, miit) == 0
    step_up = ladder.step_key("specialized_sme", "little_giant")
    assert total(rows, "conversion_base", ON, step_up) == 2
    most = ladder.step_key("tech_sme", "hnte")
    assert total(rows, "conversion_base", Y25, most) == 1  # tech_sme held at the end of 2024
    assert total(rows, "conversion_up", Y25, most) == 0
    assert total(rows, "conversion_base", ON, most) == 0  # tech_sme lapsed at the end of 2024


@pytest.mark.django_db
def test_pool_members_on_the_date() -> None:
    seed = Pool.objects.create(code="seed", name="种子库")
    member(firm("370303"), seed, dt.date(2025, 1, 1))
    member(firm("370303"), seed, dt.date(2025, 1, 1), left=ON + D(1))
    member(firm("370304"), seed, dt.date(2025, 1, 1), left=ON)  # left on the date: out
    member(firm("370304"), seed, ON + D(1))  # joins later
    rows = collect_pool_members(ON)
    assert total(rows, "pool_members", ON, "seed", county="370303") == 2
    assert total(rows, "pool_members", ON, "seed", county="370304") == 0


@pytest.mark.django_db
def test_collect_all_makes_distinct_keys(django_assert_max_num_queries) -> None:
    for i in range(6):
        f = firm("370303" if i % 2 else "370304", "C3484" if i % 3 else "M7320")
        title(f, "tech_sme", dt.date(2025, 3, 1), dt.date(2026, 12, 31))
        title(f, "specialized_sme", dt.date(2024, 3, 1), dt.date(2027, 2, 28))
    # set-based: the number of queries does not depend on the number of firms
    with django_assert_max_num_queries(40):
        rows = collect_all(ON)
    keys = [r[:6] for r in rows]
    assert len(keys) == len(set(keys))
    assert all(r.value > 0 for r in rows)
