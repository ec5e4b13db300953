"""The SQL evaluator writes the same rows as the Python reference (skipped until it exists)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smeladder.screening.actions import start_screening
from smeladder.screening.models import ScreeningResult

from .helpers import city

COLUMNS = ("rulebook", "outcome", "score", "score_lo", "score_hi", "route", "size_class")


def rows(run) -> dict:
    out = {}
    for r in ScreeningResult.objects.filter(run=run):
        values = tuple(
            round(v, 6) if isinstance(v, float) else v for v in (getattr(r, c) for c in COLUMNS)
        )
        # `missing` is the Python engine's explanation; the SQL path leaves it to assess().
        out[r.enterprise_id, r.standard] = values
    return out


@pytest.mark.parametrize("prefix", ["", "370304"])
@pytest.mark.parametrize("on", [dt.date(2026, 5, 1), dt.date(2023, 1, 15)])
def test_sql_rows_equal_python_rows(db, tmp_path: Path, on, prefix) -> None:
    pytest.importorskip("smeladder.screening.evaluate_sql")
    city(tmp_path)
    # Every standard in force (the regional 辽宁 ones write no rows for these 淄博 firms).
    reference = start_screening(on, None, prefix, engine="python")
    sql = start_screening(on, None, prefix, engine="sql")
    assert sql.engine == "sql"
    assert (sql.enterprises, sql.evaluations) == (reference.enterprises, reference.evaluations)
    assert sql.rulebooks == reference.rulebooks
    assert rows(sql) == rows(reference)
