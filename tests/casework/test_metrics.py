"""The precomputed metrics agree with a plain Python reading: a hand-checked scenario, and the
demo casework recomputed case by case by a day-by-day walk of the calendar (a different algorithm
from deadlines.compute) and plain counting of the rows."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict

import chinese_calendar
import pytest
from django.utils import timezone

from smeladder.casework import actions
from smeladder.casework.metrics import refresh_metrics
from smeladder.casework.models import OPEN_STATES, Case, CaseMetric, State

from .helpers import file

D = dt.date
ON = D(2026, 10, 9)


def figures(area: str = "", dimension: str = "all", key: str = "") -> dict[str, float | None]:
    return dict(
        CaseMetric.objects.filter(area=area, dimension=dimension, key=key).values_list(
            "property", "value"
        )
    )


def test_a_hand_checked_scenario(world, clock):
    clock.set("2026-09-01")
    a = file(world, category="talent")  # due 9-08
    b = file(world, category="approval")  # due 9-08
    file(world, firm_user=world.bs_firm, category="talent")  # c: 博山, never handled
    e = file(world, category="talent")
    f = file(world, firm_user=world.bs_firm, category="financing")
    clock.set("2026-09-02")
    for case in (a, b, e, f):
        actions.accept(case, world.zhangdian if case.enterprise == world.zd else world.boshan)
        actions.start(case, world.zhangdian if case.enterprise == world.zd else world.boshan)
    actions.wait_for_enterprise(f, world.boshan)  # waiting ever since: not judged
    clock.set("2026-09-03")
    actions.resolve(a, world.zhangdian)  # on time, 2 working days
    actions.rate(a, world.firm, "satisfied")
    clock.set("2026-09-09")
    actions.escalate(e, world.zhangdian)  # 专办: due 9-16
    clock.set("2026-09-10")
    actions.resolve(e, world.zhangdian)  # on time at its level, 7 working days from filing
    clock.set("2026-09-15")
    actions.resolve(b, world.zhangdian)  # late (due 9-08), 10 working days
    actions.rate(b, world.firm, "unsatisfied", "拖得太久")  # reopened: open, due 9-22
    clock.set("2026-09-28")
    file(world, category="financing")  # d: due 10-12, open, not yet judged on 10-09
    clock.set("2026-10-09")
    refresh_metrics(on=ON)

    city = figures()
    assert city["cases"] == 6
    assert city["backlog"] == 4  # b (reopened), c, d, f
    assert city["resolved"] == 2  # a closed by its rating, e resolved
    # judged: a on time, e on time, b late (reopened and past its new due date 9-22),
    # c late (open and overdue since 9-08); d and f not judged
    assert (city["on_time"], city["late"]) == (2, 2)
    assert city["on_time_rate"] == pytest.approx(0.5)
    assert city["median_days"] == pytest.approx(4.5)  # a: 2, e: 7
    assert city["p90_days"] == 7
    assert (city["rated"], city["satisfied"], city["unsatisfied"]) == (2, 1, 1)
    assert city["satisfaction_rate"] == pytest.approx(0.5)
    assert (city["escalations"], city["escalated_cases"]) == (1, 1)

    boshan = figures("370304")
    assert (boshan["cases"], boshan["backlog"], boshan["late"], boshan["on_time"]) == (2, 2, 1, 0)
    assert boshan["median_days"] is None and boshan["on_time_rate"] == 0
    assert figures("3703")["cases"] == 6
    assert figures("370303", "category", "talent")["cases"] == 2
    assert figures("", "department", str(world.city_finance.pk))["cases"] == 3  # c, f, d
    assert figures("", "month", "2026-09")["cases"] == 6

    # scope of the rows: a district official reads only their county's figures
    rows = CaseMetric.objects.for_user(world.boshan)
    assert set(rows.values_list("area", flat=True)) == {"370304"}
    assert not CaseMetric.objects.for_user(world.firm).exists()
    assert set(CaseMetric.objects.for_user(world.city).values_list("area", flat=True)) == {
        "3703",
        "370303",
        "370304",
    }


# --- the demo, recomputed ------------------------------------------------------------------


def local(moment: dt.datetime) -> D:
    return timezone.localtime(moment).date()


def walk(events: list, filed_on: D, on: D) -> bool | None:
    """On time (True), late (False) or not judged (None), by walking the calendar one day at a
    time and spending the deadline's days as working days pass."""
    by_day = defaultdict(list)
    for e in events:
        by_day[local(e.at)].append(e)
    running = False
    days = used = 0
    due = resolved = None
    day = filed_on
    while day <= max([on, *by_day]):
        if running and chinese_calendar.is_workday(day):
            used += 1
            if used == days and due is None:
                due = day
        for e in by_day.get(day, []):
            if e.kind in ("filed", "escalate", "reopen"):
                days, used, due = e.data["deadline_days"], 0, None
                running = running or e.kind != "escalate"  # escalating a paused case
                if e.kind == "reopen":
                    resolved = None
            elif e.kind == "wait":
                running = False
            elif e.kind == "reply":
                running = True
            elif e.kind == "resolve":
                running, resolved = False, day
        day += dt.timedelta(days=1)
    if resolved is not None:
        return due is None or resolved <= due
    return False if running and due is not None and due < on else None


def test_the_demo_against_a_plain_reading(db, clock):
    from smeladder.casework.demo import build_casework_demo
    from smeladder.registry.demo import build

    today = D(2026, 11, 20)
    clock.set(today)
    build(300, seed=7)
    report = build_casework_demo("370300", seed=7, cases=40, today=today)
    assert report.cases == 40
    cases = list(Case.objects.select_related("enterprise").prefetch_related("events", "ratings"))
    verdicts = [walk(list(c.events.all()), local(c.filed_at), today) for c in cases]
    days = [
        len(chinese_calendar.get_workdays(local(c.filed_at) + dt.timedelta(days=1), local(e.at)))
        for c in cases
        if c.state not in OPEN_STATES
        for e in [[e for e in c.events.all() if e.kind == "resolve"][-1]]
    ]
    latest = [max(c.ratings.all(), key=lambda r: (r.rated_at, r.pk), default=None) for c in cases]
    rated = [r.satisfaction for r in latest if r]
    expected = {
        "cases": len(cases),
        "backlog": sum(c.state in OPEN_STATES for c in cases),
        "resolved": sum(c.state not in OPEN_STATES for c in cases),
        "on_time": verdicts.count(True),
        "late": verdicts.count(False),
        "median_days": statistics.median(days),
        "p90_days": sorted(days)[math.ceil(0.9 * len(days)) - 1],
        "rated": len(rated),
        "satisfied": rated.count("satisfied"),
        "unsatisfied": rated.count("unsatisfied"),
        "escalations": sum(e.kind == "escalate" for c in cases for e in c.events.all()),
        "escalated_cases": sum(any(e.kind == "escalate" for e in c.events.all()) for c in cases),
    }
    got = figures()
    assert {p: got[p] for p in expected} == pytest.approx(expected)
    assert got["late"] > 0 and got["on_time"] > 0 and got["rated"] > 0  # a test worth having
    # per county too
    for county in {c.enterprise.division_code for c in cases}:
        mine = [c for c in cases if c.enterprise.division_code == county]
        assert figures(county)["backlog"] == sum(c.state in OPEN_STATES for c in mine)
    # the demo shows every state
    assert {c.state for c in cases} == set(State.values)


def test_the_refresh_command_and_job(world, clock):
    from io import StringIO

    from django.core.management import call_command

    from smeladder.casework.models import CaseMetricRefresh
    from smeladder.casework.tasks import refresh_case_metrics_job

    clock.set("2026-09-29")
    file(world)
    out = StringIO()
    call_command("refresh_case_metrics", stdout=out)
    assert "诉求统计" in out.getvalue()
    assert figures()["backlog"] == 1
    assert refresh_case_metrics_job.enqueue("2026-09-30").return_value["rows"] > 0
    assert CaseMetricRefresh.objects.count() == 2
    assert set(CaseMetric.objects.values_list("on", flat=True)) == {D(2026, 9, 30)}


def test_the_refresh_reads_cases_in_a_fixed_number_of_queries(world, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def refresh_counting(n: int) -> int:
        clock.set("2026-09-01")
        for _ in range(n):
            file(world)
        clock.set("2026-10-09")
        with CaptureQueriesContext(connection) as ctx:
            refresh_metrics(on=ON)
        assert figures()["cases"] == n
        Case.objects.all().delete()
        return len(ctx.captured_queries)

    # cases and their events in one read each (per 2,000 cases), whatever their number
    assert refresh_counting(3) == refresh_counting(12)
