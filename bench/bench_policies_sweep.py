"""Policy matching (issue 5): the full sweep of every published item × every firm, and one firm
against the whole library.

Size = firms (default 100,000); items = size / 5 (20,000 at the default size; at least 500).
A throwaway SQLite database gets a demo city (`smeladder demo --enterprises N`, seed 2026) and
``generate_items(items, seed=1)`` (the library's generator); then, each in its own process:

1. evaluation: ``sweep.compute(2026-05-01)`` — every item × every firm, set-based
   (policies/sweep.py: registry snapshot, vectorised three-valued evaluation, amounts, facts
   waited on), nothing written: total seconds and pairs per second (items × firms / seconds),
   and how many pairs pass or are undetermined (the rows a full sweep stores), next to
2. the naive per-pair Python loop (``matching.result_for`` on every pair, no index, no
   vectorisation) on a sample of firms × every item, extrapolated to all pairs;
2b. the stored sweep, ``sweep(on)`` with its PolicyMatch rows written, over every item × a
   sample of STORED_FIRMS firms (all firms when there are no more): seconds, rows written per
   second, and the full sweep's time extrapolated from the rows a full sweep stores (writing
   hundreds of millions of rows is what dominates a full sweep of this library);
3. one firm × the whole library: ``match_enterprise(firm, on)`` for 200 firms (facts read from
   the registry included, the library cache warm), p50 / p95, next to the same firms through
   the naive loop over every item (20 firms).

Goals: sweep ≤ 120 s at 20,000 × 100,000; one firm ≤ 200 ms."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026
ON = "2026-05-01"
NAIVE_FIRMS = 20
LATENCY_FIRMS = 200
GOAL_SWEEP_S = 120.0
GOAL_ONE_MS = 200.0

_PRELUDE = """
import json, resource, time
import django
django.setup()
from datetime import date
extra = {}
"""
_EPILOGUE = """
print("BENCH-RESULT " + json.dumps({
    "seconds": seconds,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "extra": extra,
}))
"""


def _env(database_url: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "SMELADDER_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "smeladder.settings.dev",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key",
            "ALLOWED_HOSTS": "localhost",
        }
    )
    return env


def _child(env: dict[str, str], body: str) -> dict[str, Any]:
    script = _PRELUDE + textwrap.dedent(body) + _EPILOGUE
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"benchmark child failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    raise RuntimeError(f"benchmark printed no result:\n{done.stdout}\n{done.stderr}")


def _log(message: str) -> None:
    print(f"  [policies_sweep] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _sqlite(tag: str) -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="smeladder-bench-") as tmp:
        yield _env(f"sqlite:///{tmp}/{tag}.sqlite3", tmp)


def _smeladder(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "smeladder", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


BUILD = """
from smeladder.policies.demo import generate_items
started = time.perf_counter()
written = generate_items({items}, seed=1, on=date.fromisoformat("{on}"))
seconds = time.perf_counter() - started
extra["items"] = written
"""

EVALUATE = """
from smeladder.policies.sweep import SweepStats, compute
stats = SweepStats()
kept = passed = 0
started = time.perf_counter()
for r in compute(date.fromisoformat("{on}"), stats=stats):
    kept += len(r.positions)
    passed += int(r.passed.sum())
seconds = time.perf_counter() - started
extra.update(stats.as_dict())
extra["kept"] = kept
extra["passed"] = passed
"""

STORED = """
from smeladder.registry.models import Enterprise
from smeladder.policies.sweep import sweep
ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
step = max(1, len(ids) // {firms})
sample = ids[::step][:{firms}]
started = time.perf_counter()
stats = sweep(date.fromisoformat("{on}"), enterprise_ids=sample, notify=False)
seconds = time.perf_counter() - started
extra.update(stats)
"""
STORED_FIRMS = 500

NAIVE = """
import random
from smeladder.registry.interchange.export_facts import enterprise_engine_facts
from smeladder.registry.models import Enterprise
from smeladder.standards.facts import Facts
from smeladder.policies.eligibility import published_index
from smeladder.policies.matching import result_for
on = date.fromisoformat("{on}")
items = [i for i in published_index().items if i.current_on(on)]
ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
sample = random.Random(7).sample(ids, min({firms}, len(ids)))
per_firm = []
pairs = 0
started = time.perf_counter()
for pk in sample:
    t0 = time.perf_counter()
    facts = Facts(enterprise_engine_facts(pk))
    for item in items:
        result_for(item, facts, on)
        pairs += 1
    per_firm.append((time.perf_counter() - t0) * 1000)
seconds = time.perf_counter() - started
extra["pairs"] = pairs
extra["per_firm_ms"] = per_firm
"""

LATENCY = """
import random
from smeladder.registry.models import Enterprise
from smeladder.policies.matching import match_enterprise
on = date.fromisoformat("{on}")
ids = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
sample = random.Random(11).sample(ids, min({firms}, len(ids)))
t0 = time.perf_counter()
match_enterprise(sample[0], on)  # loads and indexes the library (cached afterwards)
extra["cold_ms"] = (time.perf_counter() - t0) * 1000
times, found = [], []
started = time.perf_counter()
for pk in sample:
    t0 = time.perf_counter()
    got = match_enterprise(pk, on)
    times.append((time.perf_counter() - t0) * 1000)
    found.append(len(got))
seconds = time.perf_counter() - started
extra["ms"] = times
extra["found"] = found
"""


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _sized(size: int) -> list[dict[str, Any]]:
    items = max(500, size // 5)
    rows: list[dict[str, Any]] = []
    with _sqlite(str(size)) as env:
        started = time.perf_counter()
        _smeladder(env, "migrate", "--no-input", "-v", "0")
        _smeladder(env, "demo", "--enterprises", str(size), "--seed", str(SEED))
        built = _child(env, BUILD.format(items=items, on=ON))
        _log(
            f"demo city of {size:,} firms and {built['extra']['items']:,} items built in "
            f"{time.perf_counter() - started:,.1f} s"
        )
        sweep = _child(env, EVALUATE.format(on=ON))
        x = sweep["extra"]
        pairs = x["items"] * x["enterprises"]
        _log(
            f"evaluation: {x['items']:,} items × {x['enterprises']:,} firms in "
            f"{sweep['seconds']:.2f} s; {x['passed']:,} pass, {x['kept'] - x['passed']:,} "
            f"undetermined ({x['kept'] / max(pairs, 1):.1%} of pairs); "
            f"{x['fallback_items']} items through the per-firm fallback"
        )
        naive = _child(env, NAIVE.format(on=ON, firms=NAIVE_FIRMS))
        naive_rate = naive["extra"]["pairs"] / naive["seconds"]
        naive_total = pairs / naive_rate
        rate = pairs / sweep["seconds"]
        rows.append(
            {
                "name": f"policy matching, all {x['items']:,} items × firms evaluated (total)",
                "size": size,
                "value": sweep["seconds"],
                "unit": "s",
                "baseline_name": f"naive per-pair loop, {NAIVE_FIRMS} firms extrapolated",
                "baseline": naive_total,
                "ratio": naive_total / sweep["seconds"],
                "peak_rss_mb": sweep["peak_rss_mb"],
            }
        )
        rows.append(
            {
                "name": "policy matching evaluated (pairs/s)",
                "size": size,
                "value": rate / 1e6,
                "unit": "M pairs/s",
                "baseline_name": "naive per-pair loop",
                "baseline": naive_rate / 1e6,
                "ratio": rate / naive_rate,
                "peak_rss_mb": sweep["peak_rss_mb"],
            }
        )
        firms = min(STORED_FIRMS, size)
        stored = _child(env, STORED.format(on=ON, firms=firms))
        y = stored["extra"]
        written = y["passed"] + y["undetermined"]
        per_row = y["write_seconds"] / max(written, 1)
        full_estimate = sweep["seconds"] + x["kept"] * per_row
        _log(
            f"stored sweep over {y['enterprises']:,} firms: {stored['seconds']:.2f} s "
            f"(evaluate {y['evaluate_seconds']:.2f} s, write {y['write_seconds']:.2f} s for "
            f"{written:,} rows: {written / max(y['write_seconds'], 1e-9):,.0f} rows/s); "
            f"a full sweep writes {x['kept']:,} rows: ≈ {full_estimate:,.0f} s"
        )
        rows.append(
            {
                "name": f"policy sweep stored, {y['enterprises']:,} firms × all items (total)",
                "size": size,
                "value": stored["seconds"],
                "unit": "s",
                "peak_rss_mb": stored["peak_rss_mb"],
            }
        )
        rows.append(
            {
                "name": "policy sweep stored (matches written/s)",
                "size": size,
                "value": written / max(y["write_seconds"], 1e-9) / 1000,
                "unit": "k rows/s",
                "peak_rss_mb": stored["peak_rss_mb"],
            }
        )
        rows.append(
            {
                "name": f"policy sweep, full (evaluation + {x['kept']:,} rows, estimated)",
                "size": size,
                "value": full_estimate,
                "unit": "s",
                "baseline_name": "naive per-pair loop (evaluation only)",
                "baseline": naive_total,
                "ratio": naive_total / full_estimate,
            }
        )
        verdict = "met" if sweep["seconds"] <= GOAL_SWEEP_S else "MISSED"
        _log(f"evaluation {sweep['seconds']:.1f} s (goal ≤ {GOAL_SWEEP_S:g} s: {verdict})")
        verdict = "met" if full_estimate <= GOAL_SWEEP_S else "MISSED"
        _log(f"full stored sweep ≈ {full_estimate:.0f} s (goal ≤ {GOAL_SWEEP_S:g} s: {verdict})")

        latency = _child(env, LATENCY.format(on=ON, firms=LATENCY_FIRMS))
        ms = latency["extra"]["ms"]
        naive_ms = naive["extra"]["per_firm_ms"]
        for p in (50, 95):
            rows.append(
                {
                    "name": f"match_enterprise, one firm × {x['items']:,} items p{p}",
                    "size": size,
                    "value": _pct(ms, p),
                    "unit": "ms",
                    "baseline_name": f"naive loop over every item p{p}",
                    "baseline": _pct(naive_ms, p),
                    "ratio": _pct(naive_ms, p) / _pct(ms, p),
                    "peak_rss_mb": latency["peak_rss_mb"],
                }
            )
        found = latency["extra"]["found"]
        verdict = "met" if _pct(ms, 95) <= GOAL_ONE_MS else "MISSED"
        _log(
            f"one firm: p50 {_pct(ms, 50):.1f} ms, p95 {_pct(ms, 95):.1f} ms, first call "
            f"{latency['extra']['cold_ms']:.0f} ms (loads the library); items found per firm "
            f"median {_pct(found, 50)} (goal p95 ≤ {GOAL_ONE_MS:g} ms: {verdict})"
        )
    return rows


def run(sizes: list[int]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for size in sizes:
        try:
            results.extend(_sized(size))
        except Exception as err:  # an error row, the other benchmarks still run
            traceback.print_exc()
            name = f"policy sweep: failed ({type(err).__name__})"
            results.append({"name": name, "size": size, "value": None})
    return results


if __name__ == "__main__":
    for result in run([int(a) for a in sys.argv[1:]] or [5_000]):
        print(result)
