"""python -m bench [--only NAME] [--sizes 100000[,…]] [--province]

Discovers bench/bench_*.py, runs each module's run(sizes) and prints one table."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
import traceback
from typing import Any

import bench

DEFAULT_SIZES = [100_000]
PROVINCE_SIZE = 1_000_000
#: benchmarks whose size is not a number of enterprises run at their own size unless --sizes
#: is given (policy items: the issue's 20,000)
OWN_DEFAULT_SIZES = {"bench_policies_search": [20_000]}
COLUMNS = ("benchmark", "size", "result", "baseline (same run)", "ratio", "peak RSS")


def discover(only: str | None) -> list[str]:
    names = sorted(
        info.name for info in pkgutil.iter_modules(bench.__path__) if info.name.startswith("bench_")
    )
    if only:
        wanted = only if only.startswith("bench_") else f"bench_{only}"
        names = [n for n in names if n == wanted]
    return names


def _fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:,.2f} s"
    return f"{value:,.4g} {unit}".strip()


def _row(result: dict[str, Any]) -> tuple[str, ...]:
    unit = result.get("unit", "")
    baseline = result.get("baseline")
    ratio = result.get("ratio")
    rss = result.get("peak_rss_mb")
    return (
        str(result["name"]),
        f"{result['size']:,}",
        _fmt_value(result.get("value"), unit),
        f"{result.get('baseline_name', '')}: {_fmt_value(baseline, unit)}"
        if baseline is not None
        else "—",
        f"×{ratio:,.2f}" if ratio is not None else "—",
        f"{rss:,.0f} MB" if rss is not None else "—",
    )


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    right = {1, 2, 4, 5}
    for n, row in enumerate((COLUMNS, *rows)):
        cells = [
            c.rjust(w) if i in right and n else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print(" | ".join(cells).rstrip())
        if n == 0:
            print("-+-".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", help="run one benchmark module, e.g. demo or bench_demo")
    parser.add_argument(
        "--sizes",
        help="comma-separated sizes (default 100000)",
        type=lambda s: [int(x.replace("_", "")) for x in s.split(",") if x.strip()],
    )
    parser.add_argument(
        "--province", action="store_true", help=f"also run at {PROVINCE_SIZE:,} enterprises"
    )
    args = parser.parse_args(argv)
    sizes = list(args.sizes or DEFAULT_SIZES)
    if args.province and PROVINCE_SIZE not in sizes:
        sizes.append(PROVINCE_SIZE)

    modules = discover(args.only)
    if not modules:
        print(f"no benchmark matches {args.only!r}", file=sys.stderr)
        return 2
    rows: list[tuple[str, ...]] = []
    failed = 0
    for name in modules:
        started = time.perf_counter()
        run_sizes = list(args.sizes or OWN_DEFAULT_SIZES.get(name, sizes))
        print(f"running {name} at {', '.join(f'{s:,}' for s in run_sizes)} …", file=sys.stderr)
        try:
            module = importlib.import_module(f"bench.{name}")
            results = module.run(run_sizes)
        except Exception:  # one broken benchmark must not hide the others
            failed += 1
            traceback.print_exc()
            rows.append((name, "—", "failed", "—", "—", "—"))
            continue
        rows.extend(_row(r) for r in results)
        print(f"  {name} took {time.perf_counter() - started:,.0f} s", file=sys.stderr)
    print_table(rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
