"""Whole queries: one rulebook or all of them as levels of derived tables, per dialect."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlglot

from ..rulebook import Rulebook
from .columns import REGISTRY_TABLES, Tables
from .compiler import _Compiler, _Layout
from .values import (
    Num,
    Value,
    _is_true,
    literal,
    q,
)

#: SQLGlot dialect per database vendor (Django's ``connection.vendor``) and analytic engine
DIALECTS = {
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "duckdb": "duckdb",
    "spark": "spark",
}


@dataclass(frozen=True)
class Compiled:
    """One rulebook as SQL: ``select`` yields one row per enterprise with the columns
    enterprise_id, outcome, score, score_lo, score_hi, route, size_class."""

    rulebook: Rulebook
    on: date
    select: str
    dialect: str


#: keeps each level a separate step, so a check's column is computed once per firm rather than
#: substituted back into every expression that reads it (SQLite and PostgreSQL merge plain
#: subqueries; an OFFSET stops both; MySQL/MariaDB materialise a derived table with a LIMIT)
FENCES = {
    "sqlite": "LIMIT -1 OFFSET 0",
    "postgres": "OFFSET 0",
    "mysql": "LIMIT 18446744073709551615",
    "duckdb": "OFFSET 0",
    "spark": "",
}
_INNER = "sml_inner_"


def _result_columns(parts: dict[str, str], suffix: str = "") -> list[str]:
    ok, lo, hi = parts["ok"], parts["lo"], parts["hi"]
    exact = f"(({lo}) = ({hi}))"
    return [
        f"(CASE WHEN {_is_true(ok)} THEN 'pass' WHEN (({ok}) IS FALSE) THEN 'fail' "
        f"ELSE 'undetermined' END) AS outcome{suffix}",
        f"CAST((CASE WHEN {exact} THEN ({lo}) END) AS DOUBLE PRECISION) AS score{suffix}",
        f"CAST((CASE WHEN NOT {exact} THEN ({lo}) END) AS DOUBLE PRECISION) AS score_lo{suffix}",
        f"CAST((CASE WHEN NOT {exact} THEN ({hi}) END) AS DOUBLE PRECISION) AS score_hi{suffix}",
        f"{parts['route']} AS route{suffix}",
        f"{parts['class']} AS size_class{suffix}",
    ]


def _levels_sql(
    books: Iterable[Rulebook],
    on: date,
    rulebooks: Iterable[Rulebook] | None,
    tables: Tables,
    where: str,
    *,
    suffixes: bool,
) -> list[str]:
    """The query as a list of SELECTs (PostgreSQL syntax), innermost first; each later one
    reads the one before it as ``sml_inner_ s``. Several rulebooks share one layout: each fact
    is read once and a standard another refers to (sme_size) is computed once."""
    known = None if rulebooks is None else tuple(rulebooks)
    layout = _Layout()
    final = ["s.eid AS enterprise_id"] + (["s.division AS division_code"] if suffixes else [])
    for i, book in enumerate(books):
        parts = layout.parts.get(book.code)
        if parts is None:
            parts = _Compiler(book, on, tables, known, book.band_edge, layout).outcome_parts()
        final += _result_columns(parts, f"_{i}" if suffixes else "")
    facts = [f"{raw_sql(raw, value)} AS {name}" for raw, (name, value) in layout.facts.items()]
    base = (
        f"SELECT e.{q('id')} AS eid, e.{q('division_code')} AS division"
        f"{''.join(', ' + f for f in facts)} FROM {q(tables.enterprise)} e"
    )
    base += "".join(" " + layout.joins[k] for k in sorted(layout.joins))
    if where:
        base += f" WHERE {where}"
    out = [base]
    # Each level passes on only what a later level still reads (not s.*): copying every fact
    # and check through every level was a third of the work.
    later: set[str] = set(_REF.findall(" ".join(final)))
    carried: list[set[str]] = []
    for columns in reversed(layout.levels):
        carried.append(set(later))
        for name, sql in columns:
            later.discard(name)
            later |= set(_REF.findall(sql))
    for columns, keep in zip(layout.levels, reversed(carried), strict=True):
        defined = {name for name, _ in columns}
        passed = ["s.eid", "s.division", *(f"s.{n}" for n in sorted(keep - defined))]
        cols = [*passed, *(f"{sql} AS {name}" for name, sql in columns)]
        out.append(f"SELECT {', '.join(cols)} FROM {_INNER} s")
    out.append(f"SELECT {', '.join(final)} FROM {_INNER} s")
    return out


_REF = re.compile(r"\bs\.([fk]\d+)\b")


def raw_sql(raw: str, value: Value) -> str:
    """Level 0 selects each fact once, numbers cast to double."""
    return f"CAST({raw} AS DOUBLE PRECISION)" if isinstance(value, Num) else raw


def _assemble(levels: list[str], dialect: str) -> str:
    target = DIALECTS.get(dialect, dialect)
    fence = FENCES.get(target, "")
    sql = ""
    for level in levels:
        text = transpile(level, target)
        if sql:
            inner = f"({sql} {fence})" if fence else f"({sql})"
            text = text.replace(_INNER, inner, 1)
        sql = text
    return sql


def select_sql(
    book: Rulebook,
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    tables: Tables = REGISTRY_TABLES,
    where: str = "",
    dialect: str = "postgres",
) -> str:
    """One SELECT per firm (``enterprise_id, outcome, score, score_lo, score_hi, route,
    size_class``) in ``dialect``. ``where`` filters the enterprise table ``e``."""
    return _assemble(_levels_sql([book], on, rulebooks, tables, where, suffixes=False), dialect)


def select_many_sql(
    books: Iterable[Rulebook],
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    tables: Tables = REGISTRY_TABLES,
    where: str = "",
    dialect: str = "postgres",
) -> str:
    """Several rulebooks in one pass over the registry: one row per firm with ``enterprise_id,
    division_code`` and, for the i-th rulebook, ``outcome_i, score_i, score_lo_i, score_hi_i,
    route_i, size_class_i``."""
    return _assemble(_levels_sql(books, on, rulebooks, tables, where, suffixes=True), dialect)


def expression_rulebook(expr: Any, code: str = "expression") -> Rulebook:
    """One condition (a support item's eligibility) as a rulebook of one check, so the
    compiler's levels and sharing apply to it unchanged."""
    return Rulebook(
        code=code,
        standard=code,
        title=code,
        document={"title": code, "number": code},
        in_force_from=date.min,
        in_force_to=None,
        sources=(),
        confidence="UNCONFIRMED",
        band_edge="higher_points",
        checks=({"code": "test", "test": expr},),
        routes=({"route": "test", "when": {"check": "test"}},),
    )


def select_expression_sql(
    expr: Any,
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    tables: Tables = REGISTRY_TABLES,
    where: str = "",
    dialect: str = "postgres",
) -> str:
    """One row per firm with ``enterprise_id`` and ``outcome`` (pass / fail / undetermined) of
    one condition, e.g. a support item's eligibility."""
    book = expression_rulebook(expr)
    return select_sql(book, on, rulebooks=rulebooks, tables=tables, where=where, dialect=dialect)


def region_filter(
    book: Rulebook, others: Iterable[Rulebook], prefix: str = "", column: str = ""
) -> str:
    """Which enterprises a rulebook covers: its region (if any), not a more specific regional
    rulebook's of the same standard in force, and the screening's own division prefix.
    ``column`` is the division code's column (default: the enterprise table ``e``)."""
    col = column or f"e.{q('division_code')}"
    conds = []
    if prefix:
        conds.append(f"{col} LIKE {literal(prefix + '%')}")
    if book.region:
        conds.append("(" + " OR ".join(f"{col} LIKE {literal(p + '%')}" for p in book.region) + ")")
    mine = max((len(p) for p in book.region), default=0)
    for other in others:
        if other is book:
            continue
        deeper = [p for p in other.region if len(p) > mine]
        if deeper:
            conds.append(
                "NOT (" + " OR ".join(f"{col} LIKE {literal(p + '%')}" for p in deeper) + ")"
            )
    return " AND ".join(conds)


def transpile(sql: str, dialect: str) -> str:
    target = DIALECTS.get(dialect, dialect)
    if target == "postgres":
        return sql
    return sqlglot.transpile(sql, read="postgres", write=target)[0]


#: compiled SQL by (rulebook object, date, dialect, rulebooks, tables, filter); the value keeps
#: the rulebook objects alive so their ids cannot be reused while cached
_CACHE: dict[tuple[Any, ...], tuple[str, Any]] = {}


def _compiled_cached(
    book: Rulebook,
    on: date,
    dialect: str,
    rulebooks: tuple[Rulebook, ...] | None,
    tables: Tables,
    where: str,
) -> str:
    key = (id(book), on, dialect, None if rulebooks is None else tuple(map(id, rulebooks)))
    key += (tables, where)
    if key not in _CACHE:
        if len(_CACHE) > 512:
            _CACHE.clear()
        sql = select_sql(book, on, rulebooks=rulebooks, tables=tables, where=where, dialect=dialect)
        _CACHE[key] = (sql, (book, rulebooks))
    return _CACHE[key][0]


def compile_rulebook(
    book: Rulebook,
    on: date,
    dialect: str = "postgres",
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    tables: Tables = REGISTRY_TABLES,
    where: str = "",
) -> Compiled:
    books = None if rulebooks is None else tuple(rulebooks)
    sql = _compiled_cached(book, on, dialect, books, tables, where)
    return Compiled(book, on, sql, DIALECTS.get(dialect, dialect))
