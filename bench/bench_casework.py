"""Casework under load (issue 6): 10,000 open requests, the escalation job and the metrics
refresh, next to a plain count query of the same open cases, all in one process on one throwaway
SQLite file (fresh, migrated), so the figures are comparable.

Setup (untimed): a 2,000-firm demo city, the casework departments and rules of the demo, and
10,000 open cases written in bulk with their `filed` events, filed on working days spread over
the four weeks before the bench's "today" (2026-11-20, a date the pinned holiday calendar covers)
— so about half are overdue. Each department has one member, so every escalation notifies.

Timed, in order:
1. ``run_escalation()`` — escalates every overdue case (督办 notice, event, audit record,
   notifications per recipient), in chunks of 500 with a fixed number of queries each;
2. ``run_escalation()`` again — the idempotent re-run (reads every case, changes nothing);
3. ``refresh_metrics()`` — recomputes and replaces the metrics table;
baseline: ``SELECT COUNT(*)`` of the open cases (best of 5). The sizes of ``python -m bench``
(enterprises) do not apply: the load is the number of open cases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from bench import ROOT, _env

CASES = int(os.environ.get("BENCH_CASEWORK_CASES", "10000"))
FIRMS = 2_000

SCRIPT = """
import datetime as dt, json, random, resource, time
from zoneinfo import ZoneInfo
import django
django.setup()
from django.db import transaction
from smeladder.accounts.models import Role, User
from smeladder.casework import actions
from smeladder.casework.actions.common import clock_at
from smeladder.casework.calendar import add_working_days, is_working_day
from smeladder.casework.demo import _organisation
from smeladder.casework.metrics import refresh_metrics
from smeladder.casework.models import OPEN_STATES, Case, CaseEvent, CaseMessage, Department
from smeladder.casework import rules
from smeladder.registry.demo import build
from smeladder.registry.models import Enterprise

TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 11, 20)
N = {cases}
build({firms}, seed=2026)
rng = random.Random(6)
with transaction.atomic():
    _organisation("370300", "370303")
    filer = User.objects.create(username="bench_official", role=Role.CITY_OFFICIAL,
                                division_prefix="3703")
    for dept in Department.objects.all():
        dept.members.add(User.objects.create(username=f"bench_dept_{{dept.pk}}",
                                             role=Role.PARTNER))
    firms = list(Enterprise.objects.values_list("pk", "division_code"))
    days = [TODAY - dt.timedelta(days=d) for d in range(1, 29)]
    days = [d for d in days if is_working_day(d)]
    categories = ["financing", "land_energy", "talent", "policy", "approval", "innovation",
                  "market", "other"]
    routes = {{(c, code): rules.route(c, code) for c in categories
               for code in {{c for _pk, c in firms}}}}
    deadline = {{c: rules.deadline_days(c, "normal", "self") for c in categories}}
    cases = []
    for i in range(N):
        pk, code = firms[i % len(firms)]
        cat = categories[i % len(categories)]
        at = dt.datetime.combine(rng.choice(days), dt.time(10), TZ)
        cases.append(Case(enterprise_id=pk, category=cat, description="压力测试诉求",
                          channel="phone", filed_by=filer, department=routes[(cat, code)],
                          state="submitted",
                          filed_at=at, updated_at=at))
    Case.objects.bulk_create(cases, batch_size=2000)
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=c, kind="filed", actor=filer, actor_label=filer.username, at=c.filed_at,
                   to_state="submitted", data={{"deadline_days": deadline[c.category]}})
         for c in cases], batch_size=2000)
open_cases = Case.objects.filter(state__in=OPEN_STATES).count()
assert open_cases == N, open_cases

def timed(fn):
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out

with clock_at(dt.datetime.combine(TODAY, dt.time(7), TZ)):
    job_s, first = timed(actions.run_escalation)
    rerun_s, second = timed(actions.run_escalation)
    metrics_s, rows = timed(lambda: refresh_metrics(on=TODAY, actor="bench"))
counts = []
for _ in range(5):
    s, n = timed(lambda: Case.objects.filter(state__in=OPEN_STATES).count())
    counts.append(s)
print("BENCH-RESULT " + json.dumps({{
    "job": job_s, "rerun": rerun_s, "metrics": metrics_s, "count": min(counts),
    "escalated": first.escalated, "notices": first.notices, "rerun_escalated": second.escalated,
    "messages": CaseMessage.objects.count(), "rows": rows,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


def _run_child() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="smeladder-bench-") as tmp_name:
        env = _env(Path(tmp_name))
        subprocess.run(
            [sys.executable, "-m", "smeladder", "migrate", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(SCRIPT.format(cases=CASES, firms=FIRMS))],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise RuntimeError(f"casework bench failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    raise RuntimeError(f"casework bench printed no result:\n{done.stdout}\n{done.stderr}")


def run(sizes: list[int]) -> list[dict[str, Any]]:
    r = _run_child()
    per_case = r["job"] / r["escalated"] * 1000 if r["escalated"] else 0.0
    print(
        f"  [casework] {CASES:,} open cases: escalated {r['escalated']:,} "
        f"({per_case:.1f} ms each), notices {r['notices']:,}, messages {r['messages']:,}, "
        f"re-run escalated {r['rerun_escalated']}, metric rows {r['rows']:,}",
        file=sys.stderr,
    )

    def row(name: str, seconds: float) -> dict[str, Any]:
        return {
            "name": name,
            "size": CASES,
            "value": seconds,
            "unit": "s",
            "baseline_name": "COUNT(*) open cases",
            "baseline": r["count"],
            "ratio": seconds / r["count"] if r["count"] else None,
            "peak_rss_mb": r["peak_rss_mb"],
        }

    return [
        row(f"escalation job ({r['escalated']:,} escalated)", r["job"]),
        row("escalation job re-run (no-op)", r["rerun"]),
        row("casework metrics refresh", r["metrics"]),
    ]


if __name__ == "__main__":
    for result in run([]):
        print(result)
