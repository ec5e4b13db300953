"""The same compiled rulebooks on an analytic engine: DuckDB runs them, Spark SQL is emitted.

Every firm of every rule-case file (with each case's facts merged in) is loaded into DuckDB
tables shaped like the registry's; each rulebook in force on the case's date is compiled for
DuckDB, run, and compared with the Python engine on the same facts. No Django, no database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest
import sqlglot

from smeladder.registry.interchange.schema import (
    ANNUAL_FACTS,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    MAKER_CHINA_FACTS,
    TITLE_FACTS,
    TOP_LEVEL_ORDER,
)
from smeladder.standards.cases import case_facts, case_files, load_cases
from smeladder.standards.engine import assess_with
from smeladder.standards.rulebook import load_rulebooks
from smeladder.standards.sql import Tables, compile_rulebook

TABLES = Tables()
LISTS = {
    "titles": (TABLES.title, TITLE_FACTS),
    "awards": (TABLES.award, AWARD_FACTS),
    "maker_china": (TABLES.maker_china, MAKER_CHINA_FACTS),
}
DUCK_TYPES = {"money": "DOUBLE", "ratio": "DOUBLE", "int": "BIGINT", "year": "BIGINT"}
DUCK_TYPES |= {"bool": "BOOLEAN", "date": "DATE", "score": "DOUBLE"}


def _column_type(kind: str) -> str:
    return DUCK_TYPES.get(kind, "VARCHAR")


def _get(facts: dict[str, Any], path: str) -> Any:
    node: Any = facts
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def load(con: duckdb.DuckDBPyConnection, firms: list[dict[str, Any]]) -> None:
    """Registry-shaped tables from facts objects (NULL where a fact is missing)."""
    top = list(ENTERPRISE_FACTS)
    con.execute(
        f'CREATE TABLE "{TABLES.enterprise}" (id BIGINT, '
        + ", ".join(f'"{f.column}" {_column_type(f.kind)}' for f in top)
        + ")"
    )
    con.execute(
        f'CREATE TABLE "{TABLES.annual}" (enterprise_id BIGINT, year BIGINT, '
        + ", ".join(f'"{f.column}" {_column_type(f.kind)}' for f in ANNUAL_FACTS)
        + ")"
    )
    con.execute(
        f'CREATE TABLE "{TABLES.equity}" (enterprise_id BIGINT, year BIGINT, amount DOUBLE)'
    )
    con.execute(
        f'CREATE TABLE "{TABLES.platform}" (enterprise_id BIGINT, year BIGINT, score DOUBLE)'
    )
    for table, facts in LISTS.values():
        con.execute(
            f'CREATE TABLE "{table}" (enterprise_id BIGINT, '
            + ", ".join(f'"{f.column}" {_column_type(f.kind)}' for f in facts)
            + ")"
        )
    for pk, firm in enumerate(firms, start=1):
        row = [pk, *(_get(firm, f.path) for f in top)]
        con.execute(f'INSERT INTO "{TABLES.enterprise}" VALUES ({", ".join("?" * len(row))})', row)
        for year, figures in (firm.get("annual") or {}).items():
            values = [pk, int(year), *(figures.get(f.key) for f in ANNUAL_FACTS)]
            marks = ", ".join("?" * len(values))
            con.execute(f'INSERT INTO "{TABLES.annual}" VALUES ({marks})', values)
        for key, table in (
            ("equity_financing", TABLES.equity),
            ("platform_score", TABLES.platform),
        ):
            for year, amount in (firm.get(key) or {}).items():
                con.execute(f'INSERT INTO "{table}" VALUES (?, ?, ?)', [pk, int(year), amount])
        for key, (table, facts) in LISTS.items():
            for item in firm.get(key) or []:
                # the registry stores a title's status, "active" unless said otherwise
                values = [
                    pk,
                    *(item.get(f.key, "active" if f.key == "status" else None) for f in facts),
                ]
                marks = ", ".join("?" * len(values))
                con.execute(f'INSERT INTO "{table}" VALUES ({marks})', values)


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    return value


def _registry_view(firm: dict[str, Any]) -> dict[str, Any]:
    """What the registry would hold: only the facts it has columns for (no expert scores or
    valuations); an explicit null is stored as NULL, i.e. unknown (a
    title's open ``valid_to`` inside the lists stays), and the lists are complete records."""
    out = {k: v for k, v in _drop_nulls(firm).items() if k in TOP_LEVEL_ORDER}
    for key in LISTS:
        out.setdefault(key, [])
    return out


def _firms_and_dates() -> list[tuple[dict[str, Any], dt.date]]:
    seen: set[str] = set()
    out = []
    for path in case_files():
        data = load_cases(path)
        for case in data["cases"]:
            facts = _registry_view(case_facts(data["firms"], case))
            key = repr((sorted(facts.items()), case["on"]))
            if key in seen:
                continue
            seen.add(key)
            out.append((facts, dt.date.fromisoformat(case["on"])))
    return out


def _plain(values: Any) -> tuple[Any, ...]:
    return tuple(round(float(v), 9) if isinstance(v, int | float) else v for v in values)


def test_duckdb_runs_every_rulebook_like_the_python_engine() -> None:
    pairs = _firms_and_dates()
    by_date: dict[dt.date, list[dict[str, Any]]] = {}
    for facts, on in pairs:
        by_date.setdefault(on, []).append(facts)
    books = load_rulebooks()
    compared = 0
    for on, firms in sorted(by_date.items()):
        con = duckdb.connect()
        load(con, firms)
        for book in books:
            if not book.in_force_on(on):
                continue
            rows = con.execute(compile_rulebook(book, on, "duckdb").select).fetchall()
            got = {row[0]: _plain(row[1:]) for row in rows}
            for pk, facts in enumerate(firms, start=1):
                if book.region_match(facts.get("division_code")) is None:
                    continue
                r = assess_with(book, facts, on)
                lo, hi = r.score_range or (None, None)
                want = _plain((r.outcome, r.score, lo, hi, r.route, r.size_class))
                assert got[pk] == want, (book.code, on, facts.get("uscc"))
                compared += 1
        con.close()
    assert compared > 500


@pytest.mark.parametrize("book", load_rulebooks(), ids=lambda b: b.code)
def test_spark_sql_is_emitted_and_parses(book: Any) -> None:
    on = max(book.in_force_from, dt.date(2026, 5, 1))
    sql = compile_rulebook(book, on, "spark").select
    parsed = sqlglot.parse_one(sql, read="spark")
    assert parsed.find(sqlglot.exp.Select) is not None
    assert "DOUBLE PRECISION" not in sql  # spelled the Spark way


def test_points_from_an_unknown_number_agree() -> None:
    from smeladder.standards.rulebook import parse_rulebook

    book = parse_rulebook(
        {
            "code": "test-unknown-points",
            "standard": "test_points",
            "title": "test",
            "document": {"title": "t", "number": "n"},
            "in_force": {"from": "2020-01-01"},
            "sources": ["test"],
            "confidence": "C1",
            "score": ["revenue_points"],
            "routes": [{"route": "score", "when": {"check": "enough"}}],
            "checks": [
                {
                    "code": "revenue_points",
                    "label": "营业收入（万元，封顶10分）",
                    "rule": "r",
                    "source": {"document": "n", "article": "a"},
                    "confidence": "C1",
                    "max_points": 10,
                    "points": {"min": [{"ratio": [{"fact": "annual.{L}.revenue"}, 10000]}, 10]},
                },
                {
                    "code": "enough",
                    "label": "得分不低于5分",
                    "rule": "r",
                    "source": {"document": "n", "article": "a"},
                    "confidence": "C1",
                    "test": {"ge": [{"points": ["revenue_points"]}, 5]},
                },
            ],
        }
    )
    on = dt.date(2026, 5, 1)
    firms = [
        {"uscc": "A", "annual": {"2025": {"revenue": 70000}}},
        {"uscc": "B", "annual": {"2025": {"revenue": 20000}}},
        {"uscc": "C", "annual": {"2024": {"revenue": 20000}}},
    ]
    con = duckdb.connect()
    load(con, [_registry_view(f) for f in firms])
    rows = con.execute(compile_rulebook(book, on, "duckdb", rulebooks=[book]).select).fetchall()
    got = {row[0]: _plain(row[1:]) for row in rows}
    for pk, firm in enumerate(firms, start=1):
        r = assess_with(book, _registry_view(firm), on)
        lo, hi = r.score_range or (None, None)
        assert got[pk] == _plain((r.outcome, r.score, lo, hi, r.route, r.size_class))
    assert [got[i][0] for i in (1, 2, 3)] == ["pass", "fail", "undetermined"]
