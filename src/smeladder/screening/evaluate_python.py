"""The reference evaluator: every enterprise through the standards engine, one at a time.

Straightforward on purpose — it is what `evaluate_sql` (set-based, inside the database) is
tested against, and the naive baseline of the benchmarks. Rows are the ScreeningResult columns,
filled from `Result` exactly as `Result.to_dict()` reports them: `score_lo`/`score_hi` only when
the score depends on unknown facts (then `score` is NULL), `missing` in the engine's order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from smeladder.registry.interchange.export_facts import iter_facts, registry_facts
from smeladder.registry.models import Enterprise
from smeladder.standards import Facts, NoRulebookInForce, Result, assess

from .models import ScreeningResult, ScreeningRun

#: rows per INSERT and enterprises per id look-up
BATCH = 2000


def result_row(run: ScreeningRun, enterprise_id: int, result: Result) -> ScreeningResult:
    lo, hi = result.score_range if result.score_range is not None else (None, None)
    return ScreeningResult(
        run_id=run.pk,
        enterprise_id=enterprise_id,
        standard=result.standard,
        rulebook=result.rulebook,
        outcome=result.outcome,
        score=result.score,
        score_lo=lo,
        score_hi=hi,
        route=result.route,
        size_class=result.size_class,
        missing=list(result.missing),
    )


def _batches(items: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def evaluate_python(run: ScreeningRun) -> int:
    """Assess every enterprise in the run's area against each of its standards with the
    rulebook in force on ``run.on`` for that firm; store the rows. Returns the rows written. A
    regional standard is skipped for firms outside its region."""
    written = 0
    for batch in _batches(iter_facts(run.division_prefix)):
        ids = dict(
            Enterprise.objects.filter(uscc__in=[f["uscc"] for f in batch]).values_list("uscc", "pk")
        )
        rows: list[ScreeningResult] = []
        for obj in batch:
            facts = Facts(registry_facts(obj))
            for standard in run.standards:
                try:
                    result = assess(facts, standard, run.on)
                except NoRulebookInForce:
                    continue
                rows.append(result_row(run, ids[obj["uscc"]], result))
        ScreeningResult.objects.bulk_create(rows, batch_size=BATCH)
        written += len(rows)
    return written
