"""The set-based collectors agree, row for row, with a plain Python reading of the same rules
over a synthetic demo city (every title code, status, pool and county the demo makes)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from smeladder.monitoring import ladder
from smeladder.monitoring.counts import collect_all
from smeladder.registry.models import Enterprise, PoolMembership, Title

# the demo city "is" on 2026-10-31; 2026-12-31 makes the last point a year end too
DATES = [dt.date(2026, 10, 31), dt.date(2026, 12, 31), dt.date(2026, 1, 1)]


def held(t: Any, day: dt.date) -> bool:
    return (
        t.status != "revoked"
        and t.valid_from <= day
        and (t.valid_to is None or t.valid_to >= day or t.status == "under_review")
    )


def reference(on: dt.date) -> Counter:
    firms = {e.pk: e for e in Enterprise.objects.all()}
    titles = list(Title.objects.all())

    def dims(pk: int) -> tuple[str, str, str]:
        code = firms[pk].industry_code or ""
        return firms[pk].division_code, code[:1], code[1:3]

    out: Counter = Counter()

    def add(prop: str, day: dt.date, subgroup: str, pks: set[int]) -> None:
        for pk in pks:
            out[(prop, *dims(pk), subgroup, day)] += 1

    def holders(codes: tuple[str, ...], day: dt.date) -> set[int]:
        return {t.enterprise_id for t in titles if t.code in codes and held(t, day)}

    add(ladder.FIRMS, on, "", set(firms))
    add(ladder.FIRMS_TITLED, on, "", {t.enterprise_id for t in titles if held(t, on)})
    groups = {code: (code,) for code in {t.code for t in titles}}
    groups[ladder.MIIT_FIRST] = ladder.RUNG_CODES[ladder.MIIT_FIRST]
    first_grant: dict[tuple[str, int], dt.date] = {}
    for key, codes in groups.items():
        for t in titles:
            if t.code in codes and t.status != "revoked":
                seen = first_grant.get((key, t.enterprise_id))
                if seen is None or t.valid_from < seen:
                    first_grant[(key, t.enterprise_id)] = t.valid_from
    for point in ladder.points(on):
        start = dt.date(point.year, 1, 1)
        for key, codes in groups.items():
            add(ladder.TITLES_HELD, point, key, holders(codes, point))
            new = {pk for (k, pk), day in first_grant.items() if k == key and start <= day <= point}
            add(ladder.TITLES_NEW, point, key, new)
        before = dt.date(point.year - 1, 12, 31)
        for lower, upper in ladder.STEPS:
            low, up = ladder.RUNG_CODES[lower], ladder.RUNG_CODES[upper]
            base = holders(low, before) - holders(up, before)
            step = ladder.step_key(lower, upper)
            add(ladder.CONVERSION_BASE, point, step, base)
            add(ladder.CONVERSION_UP, point, step, base & holders(up, point))
    pools: dict[str, set[int]] = defaultdict(set)
    for m in PoolMembership.objects.select_related("pool"):
        if m.joined_on <= on and (m.left_on is None or m.left_on > on):
            pools[m.pool.code].add(m.enterprise_id)
    for code, pks in pools.items():
        add(ladder.POOL_MEMBERS, on, code, pks)
    last = on + dt.timedelta(days=ladder.EXPIRING_DAYS)
    for code in groups:
        if code == ladder.MIIT_FIRST:
            continue
        soon = {
            t.enterprise_id
            for t in titles
            if t.code == code
            and held(t, on)
            and t.valid_to
            and (on <= t.valid_to <= last or (t.valid_to < on and t.status == "under_review"))
        }
        add(ladder.TITLES_EXPIRING, on, code, soon)
    return out


@pytest.fixture(scope="module")
def demo_city(module_transaction) -> None:
    """One 600-firm demo city for every date (built once, rolled back after the module)."""
    call_command("demo", enterprises=600, seed=7, stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("on", DATES, ids=str)
def test_collectors_match_python(demo_city: None, on: dt.date) -> None:
    assert Title.objects.values("status").distinct().count() >= 3  # active, expired, …
    rows = Counter()
    for r in collect_all(on):
        key = (r.property, r.division_code, r.industry_section, r.industry_division)
        rows[(*key, r.subgroup, r.on)] += r.value
    expected = reference(on)
    assert rows == expected
    assert sum(v for k, v in rows.items() if k[0] == ladder.CONVERSION_UP) > 0
    if on.month > 1:  # this small city has no title ending in the first 90 days of 2026
        assert sum(v for k, v in rows.items() if k[0] == ladder.TITLES_EXPIRING) > 0
