"""Benchmarks: `python -m bench` (or `make bench`) runs every bench/bench_*.py module.

Each module exposes ``run(sizes: list[int]) -> list[dict]``; each dict has "name", "size",
"value", "unit", "baseline_name", "baseline", "ratio" and optionally "peak_rss_mb". Every
measurement runs in its own subprocess on a throwaway SQLite file (see `measure`), so timings and
peak memory belong to that run alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Prelude of every measured script: Django set up on the throwaway database.
_PRELUDE = """
import json, resource, time
import django
django.setup()
from django.db import connection
"""
#: Epilogue: the script sets `seconds`; peak RSS is the child's own (ru_maxrss is KiB on Linux).
_EPILOGUE = """
print("BENCH-RESULT " + json.dumps({
    "seconds": seconds,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_rss_mb: float


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SMELADDER_DATA_DIR": str(tmp),
            # dev settings with DEBUG off: no query log, as in production
            "DJANGO_SETTINGS_MODULE": "smeladder.settings.dev",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key",
            "ALLOWED_HOSTS": "localhost",
        }
    )
    return env


def measure(body: str, setup: str = "") -> Measurement:
    """Run `body` (which must set `seconds`) in a fresh process on a fresh, migrated SQLite file;
    `setup` runs first in that process, untimed by convention."""
    with tempfile.TemporaryDirectory(prefix="smeladder-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp)
        subprocess.run(
            [sys.executable, "-m", "smeladder", "migrate", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        script = _PRELUDE + textwrap.dedent(setup) + textwrap.dedent(body) + _EPILOGUE
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            data = json.loads(line.removeprefix("BENCH-RESULT "))
            return Measurement(data["seconds"], data["peak_rss_mb"])
    raise RuntimeError(f"benchmark printed no result:\n{done.stdout}\n{done.stderr}")
