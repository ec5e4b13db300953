"""Latency statistics of a load run: nearest-rank percentiles, throughput, error counts.

Pure functions (no Django, no sockets) so they can be tested on their own."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values: the smallest value with at least p % of
    the values at or below it. No interpolation, so p99 is a latency some request really had."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    if not 0 < p <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {p}")
    rank = math.ceil(p / 100 * len(sorted_values))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class Sample:
    """One request: when it started (seconds from the start of the measured window; negative
    during the warm-up), how long it took, and whether it succeeded (a 2xx answer with the
    expected body)."""

    started: float
    seconds: float
    ok: bool


@dataclass(frozen=True)
class Summary:
    requests: int  # started inside the window
    errors: int  # of those, failed: non-2xx answers, unexpected bodies, exceptions
    completed: int  # successful answers that arrived inside the window, whenever they started
    throughput: float  # completed per second of window
    p50_ms: float | None  # latency of the successful requests started inside the window
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None


def summarise(samples: Iterable[Sample], window: float) -> Summary:
    """Throughput counts successful answers that arrived inside the window, including those of
    requests started before it (with slow pages and a closed loop, most are); latency percentiles
    and errors are over the requests started inside it, including those that finished after it,
    so slow tails are not dropped."""
    if window <= 0:
        raise ValueError("window must be positive")
    samples = list(samples)
    inside = [s for s in samples if 0 <= s.started < window]
    good = sorted(s.seconds for s in inside if s.ok)
    completed = sum(1 for s in samples if s.ok and 0 <= s.started + s.seconds <= window)

    def ms(p: float) -> float | None:
        return percentile(good, p) * 1000 if good else None

    return Summary(
        requests=len(inside),
        errors=sum(1 for s in inside if not s.ok),
        completed=completed,
        throughput=completed / window,
        p50_ms=ms(50),
        p95_ms=ms(95),
        p99_ms=ms(99),
        max_ms=good[-1] * 1000 if good else None,
    )
