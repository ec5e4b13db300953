"""The web benchmark's statistics (bench/web_load/stats.py): nearest-rank percentiles and what a
measured window counts."""

from __future__ import annotations

import pytest
from bench.web_load.stats import Sample, percentile, summarise


def test_nearest_rank_percentiles_of_1_to_100() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile(values, 0.5) == 1  # the smallest rank is 1, never 0


def test_percentile_rank_boundaries_on_few_values() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    # rank = ceil(p/100 × n): exactly 25 % → rank 1; a hair above → rank 2
    assert percentile(values, 25) == 10
    assert percentile(values, 25.01) == 20
    assert percentile(values, 50) == 20
    assert percentile(values, 50.01) == 30
    assert percentile(values, 99) == 40  # with 4 values, p99 is the maximum
    assert percentile([7.0], 50) == percentile([7.0], 99) == 7


@pytest.mark.parametrize("p", [0, -1, 100.01])
def test_percentile_outside_0_100_is_refused(p: float) -> None:
    with pytest.raises(ValueError):
        percentile([1.0, 2.0], p)


def test_percentile_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


def test_window_counts_answers_inside_it_and_latency_of_requests_started_in_it() -> None:
    samples = [
        Sample(started=-2.0, seconds=1.0, ok=True),  # warm-up, answered before: not counted
        Sample(started=-1.0, seconds=1.5, ok=True),  # warm-up answered at 0.5: throughput only
        Sample(started=0.0, seconds=0.1, ok=True),  # first instant of the window
        Sample(started=1.0, seconds=0.3, ok=True),
        Sample(started=2.0, seconds=0.2, ok=False),  # an error: no latency, no throughput
        Sample(started=9.5, seconds=0.5, ok=True),  # answered exactly at the end: counted
        Sample(started=9.9, seconds=2.0, ok=True),  # answered after: latency only
        Sample(started=10.0, seconds=0.1, ok=True),  # starts at the end: outside
    ]
    s = summarise(samples, window=10.0)
    assert s.requests == 5
    assert s.errors == 1
    assert s.completed == 4  # -1.0+1.5, 0.0, 1.0, 9.5
    assert s.throughput == pytest.approx(0.4)
    # latencies of the 4 successful requests started inside: 100, 300, 500, 2000 ms
    assert s.p50_ms == pytest.approx(300)
    assert s.p95_ms == pytest.approx(2000)
    assert s.p99_ms == pytest.approx(2000)
    assert s.max_ms == pytest.approx(2000)


def test_a_window_of_errors_only_has_no_latency() -> None:
    s = summarise([Sample(0.5, 0.01, False), Sample(1.0, 0.01, False)], window=2.0)
    assert (s.requests, s.errors, s.completed, s.throughput) == (2, 2, 0, 0.0)
    assert s.p50_ms is s.p99_ms is s.max_ms is None
    with pytest.raises(ValueError):
        summarise([], window=0)
