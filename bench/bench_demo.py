"""Demo-city generation (`smeladder demo`) against a plain executemany of minimal rows.

Both run on a fresh SQLite file in their own process, with the same pragmas, so the ratio is
the cost of generating and writing a realistic city (three years of figures, titles, pools …)
over the floor of inserting the same number of bare enterprise rows into the same table."""

from __future__ import annotations

from typing import Any

from bench import measure

SEED = 2026

DEMO = """
from smeladder.registry.demo import build
started = time.perf_counter()
build({size}, seed={seed})
seconds = time.perf_counter() - started
"""

BASELINE = """
from django.db import transaction
from smeladder.registry.demo.calibration import CREATED_AT
from smeladder.registry.models import Enterprise

size = {size}
qn = connection.ops.quote_name
cols = ["uscc", "uscc_checksum_ok", "name", "division_code", "industry_code", "extra",
        "created_at", "updated_at"]
sql = (f"INSERT INTO {{qn(Enterprise._meta.db_table)}} ({{', '.join(qn(c) for c in cols)}}) "
       f"VALUES ({{', '.join(['%s'] * len(cols))}})")
now = connection.ops.adapt_datetimefield_value(CREATED_AT)
started = time.perf_counter()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA cache_size=-262144")
for start in range(0, size, 50_000):
    rows = [(f"91370303MA{{i:07d}}X", True, f"企业{{i}}", "370303", "", "{{}}", now, now)
            for i in range(start, min(size, start + 50_000))]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
seconds = time.perf_counter() - started
"""


def run(sizes: list[int]) -> list[dict[str, Any]]:
    results = []
    for size in sizes:
        demo = measure(DEMO.format(size=size, seed=SEED))
        base = measure(BASELINE.format(size=size))
        results.append(
            {
                "name": "demo city (smeladder demo)",
                "size": size,
                "value": demo.seconds,
                "unit": "s",
                "baseline_name": "executemany bare rows",
                "baseline": base.seconds,
                "ratio": demo.seconds / base.seconds,
                "peak_rss_mb": demo.peak_rss_mb,
                "baseline_peak_rss_mb": base.peak_rss_mb,
            }
        )
    return results
