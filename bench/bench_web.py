"""Web platform under load (issue 4): gunicorn serving the demo city, driven by 20 and 100 clients.

1. A throwaway demo city: ``smeladder migrate``, ``smeladder demo`` (its default size, 5,000 淄博
   firms — ``--sizes`` is ignored by this benchmark: the platform is measured on the city the
   platform ships; the size column shows the number of requests measured), ``demo_accounts``, on
   a SQLite file in a temp dir, production settings (DEBUG off).
2. gunicorn as a subprocess with the shipped configuration (``smeladder/gunicorn_conf.py``: sync
   workers, twice as many as cores — its docstring says why), ``BENCH_WEB_WORKERS`` of them
   (default: the configuration's); ``BENCH_WEB_WORKER_CLASS=gthread`` with ``BENCH_WEB_THREADS``
   and ``BENCH_WEB_KEEPALIVE`` to compare. Static files come from WhiteNoise, inside the same
   Django process, as in production.
3. The load generator in a separate process (``bench/web_load/driver.py``): N threads, one
   keep-alive connection each, closed loop, ``BENCH_WEB_WARMUP`` s (default 5) unmeasured, then
   ``BENCH_WEB_SECONDS`` s (default 20) measured, for each of
   - the baseline: ``GET /static/vendor/htmx-2.0.11/htmx.min.js`` (52 KB, the vendored file every
     page loads) from the same server;
   - 企业画像 ``GET /enterprises/<uscc>/`` signed in as the city official ``zibo_city`` (login form
     with its CSRF token; one session shared by the clients, since signing in costs a password
     hash). The page's outcome lines come from the "assessments" cache (keyed by the content of
     the firm's facts, the date and the rulebooks; files under the data directory, shared by the
     workers), so it is measured twice:
     * cold cache: the cache emptied just before the run, every request a firm not asked for
       before (the city's firms outside the warm set, in turn; if a run asks for more pages than
       there are such firms, the repeats are counted and named in the row);
     * warm cache: 500 other firms in turn, each page asked for once (one client) just before
       the run, so their outcome lines are cached as after any earlier visit that day;
   - ``POST /api/v1/assess?on=2026-05-01&gaps=false`` with token auth, the body one firm's facts
     from docs/examples/standards-worked-examples.jsonl (the six §9 firms in turn; every standard
     in force): results with their checks, no gap search;
   - the same with the API's default ``gaps=true`` (each failing standard's verified smallest
     changes: up to 400 engine evaluations per standard, so seconds per firm);
   at 20 and 100 concurrent clients. Rows: throughput (successful requests finished inside the
   window per second; errors = non-2xx answers, bodies without the expected text, exceptions and
   requests unanswered after 60 s) and p50/p95/p99 latency (nearest rank), each beside the
   static file's figure at the same concurrency, and the server's CPU time per request (master
   and workers, from /proc, over every request of the run, warm-up included) — a figure the
   other processes on the machine hardly change, unlike the latencies; between runs the
   benchmark waits until the server is idle, since a request a client gave up on is still
   computed. The gap-search runs go last, and the very last run has no CPU figure (the server
   is stopped without waiting for it). Goals: p99 ≤ 200 ms at 20
   clients; no errors at 100.

The load generator shares the 2 cores with the server, so every figure — the baseline's most of
all — includes the cost of generating the load."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from bench.web_load.server import (
    HOST,
    ROOT,
    Gunicorn,
    api_token,
    build_city,
    city_env,
    city_firms,
    gunicorn,
    session_login,
)

CLIENTS = (20, 100)
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "20"))
WARMUP = float(os.environ.get("BENCH_WEB_WARMUP", "5"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", 2 * (os.cpu_count() or 1)))
WORKER_CLASS = os.environ.get("BENCH_WEB_WORKER_CLASS", "sync")
THREADS = int(os.environ.get("BENCH_WEB_THREADS", "1" if WORKER_CLASS == "sync" else "4"))
REQUEST_TIMEOUT = 60.0  # seconds, as a proxy's default read timeout: slower is an error
STATIC_PATH = "/static/vendor/htmx-2.0.11/htmx.min.js"
PROFILE_FIRMS = 500
OFFICIAL = "zibo_city"
ON = "2026-05-01"
EXAMPLES = ROOT / "docs/examples/standards-worked-examples.jsonl"
GOAL_P99_MS = 200.0
GOAL_P99_CLIENTS = 20
GOAL_NO_ERRORS_CLIENTS = 100


def _log(message: str) -> None:
    print(f"  [web] {message}", file=sys.stderr, flush=True)


def _requests(port: int, warm: list[str], cold: list[str]) -> dict[str, list[dict[str, Any]]]:
    cookie = session_login(port, OFFICIAL)
    token = api_token(port, OFFICIAL)
    facts = [line for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]

    def profiles(firms: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "method": "GET",
                "path": f"/enterprises/{uscc}/",
                "headers": {"Cookie": cookie},
                "expect": uscc,
            }
            for uscc in firms
        ]

    return {
        "static": [{"method": "GET", "path": STATIC_PATH, "headers": {}, "expect": "htmx"}],
        "profile_cold": profiles(cold),
        "profile": profiles(warm),
        **{
            name: [
                {
                    "method": "POST",
                    "path": f"/api/v1/assess?on={ON}&gaps={gaps}",
                    "headers": {
                        "Authorization": f"Token {token}",
                        "Content-Type": "application/json",
                    },
                    "body": body,
                    "expect": '"standard"',
                }
                for body in facts
            ]
            for name, gaps in (("assess", "false"), ("assess_gaps", "true"))
        },
    }


def _drive(port: int, clients: int, requests: list[dict[str, Any]]) -> dict[str, Any]:
    job = {
        "host": "127.0.0.1",
        "port": port,
        "clients": clients,
        "warmup": WARMUP,
        "seconds": SECONDS,
        "timeout": REQUEST_TIMEOUT,
        "requests": requests,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.web_load.driver"],
        input=json.dumps(job),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WARMUP + SECONDS + 2 * REQUEST_TIMEOUT + 60,
    )
    if done.returncode:
        raise RuntimeError(f"load driver failed:\n{done.stderr[-3000:]}")
    for line in done.stdout.splitlines():
        if line.startswith("WEB-LOAD "):
            return json.loads(line.removeprefix("WEB-LOAD "))
    raise RuntimeError(f"load driver printed no result:\n{done.stdout}\n{done.stderr}")


def _num(value: float | None, unit: str) -> str:
    return f"{value:,.1f} {unit}" if value is not None else "not measured (last run)"


def _describe(name: str, clients: int, r: dict[str, Any]) -> str:
    ms = " / ".join(
        f"{r[k]:,.1f}" if r[k] is not None else "—" for k in ("p50_ms", "p95_ms", "p99_ms")
    )

    def kinds(errors: dict[str, int]) -> str:
        return ", ".join(f"{k} ×{n}" for k, n in errors.items()) or "none"

    return (
        f"{name}, {clients} clients: {r['throughput']:,.1f} req/s, p50/p95/p99 {ms} ms, "
        f"max {r['max_ms'] or 0:,.0f} ms, {r['requests']:,} requests started in the window, "
        f"errors {r['errors']} ({kinds(r['error_kinds'])}; warm-up: "
        f"{kinds(r['warmup_errors'])}), reconnects {r['reconnects']}, in-flight requests "
        f"drained in {r['drained_s']:.1f} s, server idle {_num(r['idle_after_s'], 's')} later; "
        f"CPU per request: server {_num(r['server_cpu_ms'], 'ms')}, load generator "
        f"{r['driver_cpu_ms']:.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


def _rows(
    label: str, clients: int, r: dict[str, Any], base: dict[str, Any]
) -> list[dict[str, Any]]:
    baseline_name = f"static file, {clients} clients"
    errors = f"errors {r['errors']:,} of {r['requests']:,}"
    warmup_errors = sum(r["warmup_errors"].values())
    if warmup_errors:
        errors += f" + {warmup_errors:,} in the warm-up"
    if clients == GOAL_NO_ERRORS_CLIENTS:  # any error at all, warm-up included, misses it
        met = r["errors"] == 0 and warmup_errors == 0
        errors += f" (goal none: {'met' if met else 'MISSED'})"
    if r.get("repeats") and label.startswith("企业画像") and "cold" in label:
        errors += f"; {r['repeats']:,} of {r['all_requests']:,} pages were repeats (warm)"
    rows = [
        {
            "name": f"{label}, {clients} clients: throughput, {errors}",
            "size": r["requests"],
            "value": r["throughput"],
            "unit": "req/s",
            "baseline_name": baseline_name,
            "baseline": base["throughput"],
            "ratio": r["throughput"] / base["throughput"] if base["throughput"] else None,
        }
    ]
    rows.append(
        {
            "name": f"{label}, {clients} clients: server CPU per request (all workers, /proc)",
            "size": r["all_requests"],
            "value": r["server_cpu_ms"],
            "unit": "ms",
            "baseline_name": baseline_name,
            "baseline": base["server_cpu_ms"],
            "ratio": (
                r["server_cpu_ms"] / base["server_cpu_ms"]
                if r["server_cpu_ms"] is not None and base["server_cpu_ms"]
                else None
            ),
        }
    )
    for p in ("p50", "p95", "p99"):
        value, ref = r[f"{p}_ms"], base[f"{p}_ms"]
        name = f"{label}, {clients} clients: {p} latency"
        if p == "p99" and clients == GOAL_P99_CLIENTS:
            met = value is not None and value <= GOAL_P99_MS
            name += f" (goal ≤ {GOAL_P99_MS:g} ms: {'met' if met else 'MISSED'})"
        rows.append(
            {
                "name": name,
                "size": r["requests"],
                "value": value,
                "unit": "ms",
                "baseline_name": baseline_name,
                "baseline": ref,
                "ratio": value / ref if value is not None and ref else None,
            }
        )
    return rows


LABELS = {
    "profile_cold": "企业画像 GET /enterprises/<uscc>/ (city official), cold cache: first visits",
    "profile": "企业画像 GET /enterprises/<uscc>/ (city official), warm cache: 500 firms",
    "assess": "POST /api/v1/assess, gaps=false (token, one firm)",
    "assess_gaps": "POST /api/v1/assess, gaps=true (token, one firm)",
}


def _clear_cache(data_dir: str) -> None:
    """Empty the "assessments" cache (its files; the server recreates the folder)."""
    shutil.rmtree(Path(data_dir) / "cache" / "assessments", ignore_errors=True)


def _prime(port: int, requests: list[dict[str, Any]]) -> None:
    """Ask for each page once, one at a time: their outcome lines are cached afterwards."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        for r in requests:
            conn.request(r["method"], r["path"], headers=r["headers"])
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                raise RuntimeError(f"priming {r['path']}: HTTP {answer.status}")
    finally:
        conn.close()


def _measure(
    server: Gunicorn,
    name: str,
    clients: int,
    requests: list[dict[str, Any]],
    last: bool,
    data_dir: str,
) -> dict[str, Any]:
    server.wait_idle()
    if name == "profile_cold":
        _clear_cache(data_dir)
    elif name == "profile":
        _prime(server.port, requests)
        server.wait_idle()
    cpu = server.cpu_seconds()
    result = _drive(server.port, clients, requests)
    n = max(result["all_requests"], 1)
    result["driver_cpu_ms"] = result["driver_cpu_s"] * 1000 / n
    # the driver takes the requests in turn: past the end of the list they come round again
    result["repeats"] = max(result["all_requests"] - len(requests), 0)
    result["idle_after_s"] = None
    result["server_cpu_ms"] = None
    if not last:  # the server's CPU per request needs it idle again (and so does the next run)
        result["idle_after_s"] = server.wait_idle()
        result["server_cpu_ms"] = (server.cpu_seconds() - cpu) * 1000 / n
    _log(_describe(name, clients, result))
    if result["errors"] or result["warmup_errors"]:
        _log(f"gunicorn's log ends:\n{server.log_tail() or '(nothing but INFO lines)'}")
    return result


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(f"terminated by signal {signum}")  # so gunicorn and temp dirs are cleaned up


def run(sizes: list[int]) -> list[dict[str, Any]]:
    del sizes  # the demo city's own size; see the module docstring
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _run()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run() -> list[dict[str, Any]]:
    commit = subprocess.run(
        ["git", "log", "-1", "--oneline"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    _log(f"code at {commit or 'unknown commit'}; load average {os.getloadavg()[0]:.1f}")
    try:
        with tempfile.TemporaryDirectory(prefix="smeladder-bench-web-") as tmp:
            env = city_env(tmp)
            build_city(env)
            firms = city_firms(env, 10**7)  # all of them, shuffled
            warm, cold = firms[:PROFILE_FIRMS], firms[PROFILE_FIRMS:]
            _log(f"demo city built; {len(warm)} firms for the warm runs, {len(cold)} for the cold")
            log = Path(tmp) / "gunicorn.log"
            with gunicorn(env, log, WORKERS, THREADS, STATIC_PATH, WORKER_CLASS) as server:
                _log(
                    f"gunicorn: {server.workers} {server.worker_class} workers × "
                    f"{server.threads} threads, "
                    f"port {server.port}; {WARMUP:g} s warm-up + {SECONDS:g} s measured per run"
                )
                requests = _requests(server.port, warm, cold)
                # the gap search last: its abandoned requests keep the server busy for minutes
                # after the run, which only matters if another run follows
                runs = [(n, c) for c in CLIENTS for n in ("static", *LABELS) if n != "assess_gaps"]
                runs += [("assess_gaps", c) for c in CLIENTS]
                measured = {
                    (name, clients): _measure(
                        server, name, clients, requests[name], i == len(runs) - 1, tmp
                    )
                    for i, (name, clients) in enumerate(runs)
                }
            rows = []
            for name, label in LABELS.items():
                for clients in CLIENTS:
                    rows += _rows(
                        label, clients, measured[name, clients], measured["static", clients]
                    )
            return rows
    except Exception as err:  # report it as a row, as the other benchmarks do
        traceback.print_exc()
        message = (str(err).strip().splitlines() or [type(err).__name__])[-1][:90]
        return [{"name": f"web under load — error: {message}", "size": 0, "value": None}]


if __name__ == "__main__":
    for row in run([]):
        print(row)
