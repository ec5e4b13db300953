"""The screening tables: migrations match the models; names the SQL evaluator writes to."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connection

from smeladder.screening.models import ScreeningResult, ScreeningRun


def test_no_missing_migrations(db) -> None:
    out = StringIO()
    call_command("makemigrations", "screening", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_table_and_column_names_are_stable(db) -> None:
    # evaluate_sql writes these with INSERT … SELECT: renaming one breaks it.
    assert ScreeningResult._meta.db_table == "screening_screeningresult"
    assert ScreeningRun._meta.db_table == "screening_screeningrun"
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, "screening_screeningresult"
            )
        }
    assert columns == {
        "id",
        "run_id",
        "enterprise_id",
        "standard",
        "rulebook",
        "outcome",
        "score",
        "score_lo",
        "score_hi",
        "route",
        "size_class",
        "missing",
    }


def test_unique_and_outcome_index_exist(db) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "screening_screeningresult")
    by_columns = {tuple(c["columns"]): c for c in constraints.values()}
    assert by_columns[("enterprise_id", "run_id", "standard")]["unique"]
    assert by_columns[("run_id", "standard", "outcome")]["index"]


def test_results_carry_two_indexes_and_no_database_keys(db) -> None:
    # Bulk screening writes millions of rows: every extra index or key check costs at each run.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "screening_screeningresult")
    indexes = {
        tuple(c["columns"])
        for c in constraints.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    }
    assert indexes == {("enterprise_id", "run_id", "standard"), ("run_id", "standard", "outcome")}
    assert not any(c["foreign_key"] for c in constraints.values())
