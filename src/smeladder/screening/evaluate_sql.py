"""The set-based screening path: each rulebook compiled to one ``INSERT … SELECT`` that runs inside
the database holding the registry (SQLite, PostgreSQL, MariaDB/MySQL), so no enterprise row is
pulled into Python. ``evaluate_python`` is the reference it is tested against, field by field.

The SQL path computes outcome, score (or its range), route and size class; the explanation of one
firm (checks, the facts it waits on, gaps) comes from the Python engine on demand, so ``missing``
is stored empty here.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from smeladder.standards.rulebook import Rulebook, load_rulebooks
from smeladder.standards.sql import DIALECTS, Tables, compile_rulebook, literal, region_filter

from .models import ScreeningResult, ScreeningRun


def registry_tables() -> Tables:
    from smeladder.registry import models as m

    return Tables(
        enterprise=m.Enterprise._meta.db_table,
        annual=m.AnnualFigures._meta.db_table,
        equity=m.EquityFinancing._meta.db_table,
        platform=m.PlatformScore._meta.db_table,
        title=m.Title._meta.db_table,
        award=m.Award._meta.db_table,
        maker_china=m.MakerChinaResult._meta.db_table,
    )


def books_in_force(standard: str, run: ScreeningRun) -> list[Rulebook]:
    return [b for b in load_rulebooks() if b.standard == standard and b.in_force_on(run.on)]


def insert_sql(run: ScreeningRun, book: Rulebook, others: list[Rulebook], tables: Tables) -> str:
    where = region_filter(book, others, run.division_prefix)
    select = compile_rulebook(book, run.on, connection.vendor, tables=tables, where=where).select
    result = ScreeningResult._meta
    columns = [
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
    ]
    quote = connection.ops.quote_name
    return (
        f"INSERT INTO {quote(result.db_table)} ({', '.join(quote(c) for c in columns)}) "
        # No bound parameters: the SELECT holds LIKE '3703%' patterns, and its literals come
        # from packaged rulebooks (quoted by ``literal``), never from user input.
        f"SELECT {int(run.pk)}, s.enterprise_id, {literal(book.standard)}, {literal(book.code)}, "
        f"s.outcome, s.score, s.score_lo, s.score_hi, s.route, s.size_class, '[]' "
        f"FROM ({select}) s"
    )


def evaluate_sql(run: ScreeningRun) -> int:
    """Assess the run's area against each of its standards in the database; returns rows written."""
    tables = registry_tables()
    written = 0
    with connection.cursor() as cursor:
        for standard in run.standards:
            books = books_in_force(standard, run)
            for book in books:
                cursor.execute(insert_sql(run, book, books, tables))
                written += max(cursor.rowcount, 0)
    return written


def emit_sql(on: date, standards: list[str], prefix: str, dialect: str) -> str:
    """The SELECT of every rulebook in force, for running elsewhere (DuckDB, Spark SQL …) over
    tables shaped like the registry's: one statement per rulebook, headed by a comment."""
    if dialect not in DIALECTS:
        raise ValueError(
            f"未知的 SQL 方言 {dialect!r}，可选：{', '.join(sorted(DIALECTS))} / unknown dialect"
        )
    tables = registry_tables()
    out = []
    for standard in standards:
        books = [b for b in load_rulebooks() if b.standard == standard and b.in_force_on(on)]
        for book in books:
            where = region_filter(book, books, prefix)
            sql = compile_rulebook(book, on, dialect, tables=tables, where=where).select
            out.append(f"-- {standard} {book.code} {on.isoformat()}\n{sql};")
    return "\n\n".join(out)
