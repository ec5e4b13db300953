"""Policy search (policies/search.py) over N generated support items, next to a LIKE scan.

One subprocess on a throwaway SQLite file (production-like settings, DEBUG off):

1. N published demo items (``smeladder.policies.demo.generate_items(n, seed)``: realistic
   Chinese titles, item names, summaries, conditions and full texts, ≈ 4.5 items a document);
   ``reindex_all`` builds the index (timed).
2. ``QUERIES`` queries of 1–3 words drawn from programme words, benefits and places (those of
   QUERY_WORDS the library contains; the issue's "小巨人 研发 奖励" first), each run by
   ``search(query)`` — total + first page of 20 with snippets, published only — and by the
   baseline: the same words as typed, each required in any of the same six texts with
   ``icontains`` (``LIKE '%…%'``), published only, ``COUNT(*)`` + the first 20 rows by id (no
   ranking, no snippets). p50 and p95 (nearest rank) of wall-clock and of CPU time per query,
   after an untimed warm-up (which also loads jieba's dictionary). The CPU figures tell what the
   work costs when other processes share the 2 cores; the wall-clock ones what a user waits.

The size is a number of policy items, not enterprises: `python -m bench` runs it at 20,000
(bench/__main__.py OWN_DEFAULT_SIZES) unless ``--sizes`` is given; directly:
``python -m bench.bench_policies_search --size 5000``. Goal: p95 ≤ 50 ms at 20,000 items."""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from bench import ROOT, _env

SEED = 2026
DEFAULT_SIZE = 20_000
QUERIES = 300
WARMUP = 20
PAGE = 20
GOAL_P95_MS = 50.0
ON = date(2026, 5, 1)

#: candidate query words (programme words, benefits, places); the run keeps those the generated
#: library contains, so every query can match
QUERY_WORDS = [
    "专精特新",
    "小巨人",
    "单项冠军",
    "瞪羚企业",
    "种子企业",
    "梯度培育",
    "高新技术企业",
    "科技型中小企业",
    "研发",
    "研发费用",
    "研发投入",
    "加计扣除",
    "奖励",
    "补贴",
    "补助",
    "贷款贴息",
    "融资担保",
    "股权融资",
    "上市",
    "人才",
    "安家补贴",
    "高校毕业生",
    "发明专利",
    "知识产权",
    "首台",
    "数字化转型",
    "上云",
    "所得税",
    "增值税",
    "落户",
    "用地",
    "厂房",
    "展会",
    "出口信用保险",
    "标准",
    "绿色低碳",
    "科技创新券",
    "淄博",
    "张店区",
    "临淄区",
]


def queries(count: int, seed: int, words: list[str]) -> list[str]:
    rng = random.Random(seed + 1)
    out = ["小巨人 研发 奖励"]
    while len(out) < count:
        out.append(" ".join(rng.sample(words, rng.choice([1, 2, 2, 3]))))
    return out


def _load(n: int, seed: int) -> None:
    from smeladder.policies.demo import generate_items

    generate_items(n, seed, on=ON)


def _baseline(query: str) -> tuple[int, list[int]]:
    """The same words as typed, each in any of the six texts: LIKE '%word%' over the rows."""
    from django.db.models import Q

    from smeladder.policies.models import SupportItem

    rows = SupportItem.objects.filter(document__status="published")
    for word in query.split():
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(conditions_text__icontains=word)
            | Q(document__title__icontains=word)
            | Q(document__issuer__icontains=word)
            | Q(document__full_text__icontains=word)
        )
    total = rows.count()
    page = list(rows.select_related("document").order_by("id")[:PAGE])
    return total, [item.pk for item in page]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(-(-q * len(ordered) // 1)) - 1))]


def child(n: int, seed: int) -> dict[str, Any]:
    """Runs inside the measured process (Django set up on the throwaway database)."""
    import resource
    import time

    from smeladder.policies.models import SearchTerm, SupportItem
    from smeladder.policies.search import reindex_all, search

    started = time.perf_counter()
    _load(n, seed)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    items, rows = reindex_all()
    index_seconds = time.perf_counter() - started

    indexed = set(SearchTerm.objects.filter(term__in=QUERY_WORDS).values_list("term", flat=True))
    words = [w for w in QUERY_WORDS if w in indexed]
    qs = queries(QUERIES, seed, words)
    for q in qs[:WARMUP]:
        search(q, limit=PAGE)
        _baseline(q)
    timings: dict[str, list[float]] = {"search": [], "like": [], "search_cpu": [], "like_cpu": []}
    found = {"search": 0, "like": 0}
    any_mode = 0
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        page = search(q, limit=PAGE)
        timings["search"].append((time.perf_counter() - t) * 1000)
        timings["search_cpu"].append((time.process_time() - c) * 1000)
        found["search"] += page.total
        any_mode += page.mode == "any"
        t, c = time.perf_counter(), time.process_time()
        total, _ = _baseline(q)
        timings["like"].append((time.perf_counter() - t) * 1000)
        timings["like_cpu"].append((time.process_time() - c) * 1000)
        found["like"] += total
    example = search("小巨人 研发 奖励", limit=3)
    return {
        "items": SupportItem.objects.count(),
        "indexed_items": items,
        "terms": rows,
        "distinct_terms": SearchTerm.objects.values("term").distinct().count(),
        "load_seconds": load_seconds,
        "index_seconds": index_seconds,
        "queries": len(qs),
        "p50": _percentile(timings["search"], 0.50),
        "p95": _percentile(timings["search"], 0.95),
        "like_p50": _percentile(timings["like"], 0.50),
        "like_p95": _percentile(timings["like"], 0.95),
        "cpu_p50": _percentile(timings["search_cpu"], 0.50),
        "cpu_p95": _percentile(timings["search_cpu"], 0.95),
        "like_cpu_p50": _percentile(timings["like_cpu"], 0.50),
        "like_cpu_p95": _percentile(timings["like_cpu"], 0.95),
        "query_words": len(words),
        "mean_hits": found["search"] / len(qs),
        "mean_like_hits": found["like"] / len(qs),
        "any_mode": any_mode,
        "example": {
            "total": example.total,
            "mode": example.mode,
            "top": [(h.document_title, h.item_name, h.snippet_html) for h in example.hits],
        },
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


_SCRIPT = """
import json
import django
django.setup()
from bench.bench_policies_search import child
print("BENCH-RESULT " + json.dumps(child({n}, {seed}), ensure_ascii=False))
"""


def measure_search(n: int, seed: int = SEED) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="smeladder-bench-") as tmp_name:
        env = _env(Path(tmp_name))
        env["DEBUG"] = "0"
        subprocess.run(
            [sys.executable, "-m", "smeladder", "migrate", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_SCRIPT.format(n=n, seed=seed))],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line.removeprefix("BENCH-RESULT "))
    raise RuntimeError(f"benchmark printed no result:\n{done.stdout}\n{done.stderr}")


def run(sizes: list[int]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for size in sizes:
        r = measure_search(size)
        print(
            f"  [policies_search] {r['items']:,} items ({r['indexed_items']:,} indexed), "
            f"{r['terms']:,} index rows, {r['distinct_terms']:,} distinct words, "
            f"{r['query_words']} of {len(QUERY_WORDS)} query words present; load "
            f"{r['load_seconds']:.1f} s, index {r['index_seconds']:.1f} s; {r['queries']} "
            f"queries, mean total {r['mean_hits']:,.0f} (LIKE {r['mean_like_hits']:,.0f}), "
            f"{r['any_mode']} answered by the any-word fallback; "
            f"'小巨人 研发 奖励' → {r['example']['total']} ({r['example']['mode']})",
            file=sys.stderr,
        )
        for stat, label in (
            ("p50", "p50"),
            ("p95", f"p95, goal ≤ {GOAL_P95_MS:g} ms"),
            ("cpu_p50", "CPU p50"),
            ("cpu_p95", "CPU p95"),
        ):
            results.append(
                {
                    "name": f"policy search {label} (SQLite)",
                    "size": r["items"],
                    "value": r[stat],
                    "unit": "ms",
                    "baseline_name": f"LIKE scan {stat.replace('_', ' ')}",
                    "baseline": r[f"like_{stat}"],
                    "ratio": r[stat] / r[f"like_{stat}"],
                    "peak_rss_mb": r["peak_rss_mb"],
                }
            )
        results.append(
            {
                "name": "policy search index build (reindex_all)",
                "size": r["items"],
                "value": r["index_seconds"],
                "unit": "s",
                "peak_rss_mb": r["peak_rss_mb"],
            }
        )
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.bench_policies_search")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="number of items")
    args = parser.parse_args()
    for result in run([args.size]):
        print(result)
