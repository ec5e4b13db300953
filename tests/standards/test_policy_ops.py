"""The rule-language additions for support items (title.granted_in, pool, within, size_class,
mul): each on its boundaries in the Python engine, and the SQL path agreeing with it firm by firm
on a registry built to sit on those boundaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection

from smeladder.registry.interchange.export_facts import enterprise_engine_facts
from smeladder.registry.models import AnnualFigures, Enterprise, Pool, PoolMembership, Title
from smeladder.screening.evaluate_sql import registry_tables
from smeladder.standards.checks import Context, RuleError, evaluate
from smeladder.standards.facts import Facts
from smeladder.standards.logic import UNKNOWN
from smeladder.standards.rulebook import expression_problems
from smeladder.standards.sql import select_expression_sql
from tests.registry.fixtures import make_uscc

ON = dt.date(2026, 5, 1)  # 上年度 L = 2025


def ev(expr: Any, facts: dict[str, Any], on: dt.date = ON) -> Any:
    return evaluate(expr, Context(Facts(facts), on))


def title(code: str, valid_from: str, valid_to: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"code": code, "level": "national", "valid_from": valid_from, "valid_to": valid_to, **kw}


# --- Python engine, boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("valid_from", "expected"),
    [
        ("2024-12-31", False),  # the year before L
        ("2025-01-01", True),  # first day of L
        ("2025-12-31", True),  # last day of L
        ("2026-01-01", False),  # this year, not L
    ],
)
def test_title_granted_in_last_year(valid_from: str, expected: bool) -> None:
    expr = {"title": {"codes": ["little_giant"], "granted_in": {"year": "L"}}}
    assert ev(expr, {"titles": [title("little_giant", valid_from)]}).value is expected


def test_title_granted_in_literal_year_and_still_valid() -> None:
    expr = {"title": {"codes": ["hnte"], "granted_in": 2023}}
    assert ev(expr, {"titles": [title("hnte", "2023-06-01")]}).value is True
    # granted in 2023 but expired before the date: not held, so not "newly recognised" either
    assert ev(expr, {"titles": [title("hnte", "2023-06-01", "2026-04-30")]}).value is False
    assert ev(expr, {"titles": [title("hnte", "2023-06-01", "2026-05-01")]}).value is True
    revoked = title("hnte", "2023-06-01", status="revoked")
    assert ev(expr, {"titles": [revoked]}).value is False
    assert ev(expr, {}).value is UNKNOWN
    assert ev(expr, {}).missing == {"titles"}


def test_title_granted_in_needs_a_year() -> None:
    with pytest.raises(RuleError):
        ev({"title": {"codes": ["hnte"], "granted_in": "soon"}}, {"titles": []})


@pytest.mark.parametrize(
    ("joined", "left", "expected"),
    [
        ("2026-05-01", None, True),  # joined on the date
        ("2026-05-02", None, False),  # joins the day after
        ("2020-01-01", "2026-05-01", False),  # left on the date
        ("2020-01-01", "2026-05-02", True),  # leaves the day after
        ("2020-01-01", "2026-04-30", False),
    ],
)
def test_pool_membership_on_the_date(joined: str, left: str | None, expected: bool) -> None:
    facts = {"pools": [{"code": "seed", "joined_on": joined, "left_on": left}]}
    assert ev({"pool": {"codes": ["seed", "listing"]}}, facts).value is expected


def test_pool_other_pool_and_unknown() -> None:
    facts = {"pools": [{"code": "hnte_cultivation", "joined_on": "2020-01-01", "left_on": None}]}
    assert ev({"pool": {"codes": ["seed"]}}, facts).value is False
    assert ev({"pool": {"codes": ["seed"]}}, {"pools": []}).value is False
    got = ev({"pool": {"codes": ["seed"]}}, {})
    assert got.value is UNKNOWN and got.missing == {"pools"}


@pytest.mark.parametrize(
    ("code", "expected"),
    [("370303", True), ("370399", True), ("370403", False), ("3703", True), ("370", False)],
)
def test_within_prefixes(code: str, expected: bool) -> None:
    expr = {"within": [{"fact": "division_code"}, ["3703", "370402"]]}
    assert ev(expr, {"division_code": code}).value is expected


def test_within_unknown_and_empty() -> None:
    expr = {"within": [{"fact": "industry_code"}, ["C"]]}
    got = ev(expr, {})
    assert got.value is UNKNOWN and got.missing == {"industry_code"}
    assert (
        ev({"within": [{"fact": "industry_code"}, []]}, {"industry_code": "C3484"}).value is False
    )


def _sized(employees: int | None, revenue: int | None, industry: str | None = "C3484") -> dict:
    year: dict[str, Any] = {}
    if employees is not None:
        year["employees"] = employees
    if revenue is not None:
        year["revenue"] = revenue
    facts: dict[str, Any] = {"annual": {"2025": year}}
    if industry:
        facts["industry_code"] = industry
    return facts


@pytest.mark.parametrize(
    ("employees", "revenue", "small"),
    [
        (20, 3_000_000, True),  # both floors met exactly: small (工业)
        (19, 3_000_000, False),  # one short: micro
        (20, 2_999_999, False),
        (299, 19_999_999, True),
    ],
)
def test_size_class_industry_floors(employees: int, revenue: int, small: bool) -> None:
    facts = _sized(employees, revenue)
    assert ev({"size_class": ["small"]}, facts).value is small
    assert ev({"size_class": ["micro"]}, facts).value is (not small)
    assert ev({"size_class": ["small", "micro"]}, facts).value is True


def test_size_class_unknown_names_facts() -> None:
    got = ev({"size_class": ["small"]}, _sized(None, 5_000_000))
    assert got.value is UNKNOWN and "annual.2025.employees" in got.missing
    got = ev({"size_class": ["small"]}, _sized(50, 5_000_000, industry=None))
    assert got.value is UNKNOWN and got.missing == {"industry_code"}


def test_mul() -> None:
    facts = {"annual": {"2025": {"rd_expense": 2_500_000}}}
    expr = {"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]}
    assert ev(expr, facts).value == pytest.approx(250_000)
    got = ev(expr, {})
    assert got.value is UNKNOWN and got.missing == {"annual.2025.rd_expense"}
    assert ev({"mul": [2, 3, 4]}, {}).value == 24
    assert ev({"ge": [expr, 250_000]}, facts).value is True
    assert ev({"gt": [expr, 250_000]}, facts).value is False
    with pytest.raises(RuleError):
        ev({"mul": [2]}, {})


def test_validator_accepts_the_additions_and_refuses_bad_shapes() -> None:
    good = {
        "all": [
            {"title": {"codes": ["little_giant"], "granted_in": {"year": "L"}}},
            {"pool": {"codes": ["seed"]}},
            {"within": [{"fact": "division_code"}, ["3703"]]},
            {"size_class": ["small", "micro"]},
            {"ge": [{"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]}, 100]},
        ]
    }
    assert expression_problems(good) == []
    assert expression_problems({}) == []
    assert expression_problems({"all": []}) == []
    assert expression_problems({"pool": {"codes": []}})
    assert expression_problems({"within": [{"fact": "division_code"}, "3703"]})
    assert expression_problems({"size_class": []})
    assert expression_problems({"mul": [1]})
    assert expression_problems({"frobnicate": 1})
    assert expression_problems({"check": "x"})
    assert expression_problems({"title": {"codes": ["hnte"], "granted_in": {"year": "X"}}})
    assert expression_problems({"ge": [1, 2], "le": [1, 2]})


@pytest.mark.parametrize(
    ("prefix", "accepted"),
    [
        ("3703", True),
        ("C", True),  # a 门类
        ("C34", True),  # a 大类 of 4754 (an industry code's letter and digits)
        ("c34", False),  # the registry stores capitals; LIKE and startswith would disagree
        ("C3%", False),  # a LIKE wildcard
        ("37_3", False),
        ("3703'", False),
        ("", False),
        ("CC34", False),
        (3703, False),  # a number, not a code
    ],
)
def test_within_prefix_shapes(prefix: Any, accepted: bool) -> None:
    problems = expression_problems({"within": [{"fact": "industry_code"}, [prefix]]})
    assert (problems == []) is accepted, problems


def test_within_industry_prefix() -> None:
    expr = {"within": [{"fact": "industry_code"}, ["C34", "C39"]]}
    assert ev(expr, {"industry_code": "C3484"}).value is True
    assert ev(expr, {"industry_code": "C3399"}).value is False


# --- the SQL path agrees -------------------------------------------------------------------

EXPRESSIONS = [
    {"title": {"codes": ["little_giant"], "granted_in": {"year": "L"}}},
    {"title": {"codes": ["little_giant", "hnte"], "levels": ["national"], "granted_in": 2023}},
    {"not": {"title": {"codes": ["hnte"], "granted_in": {"year": "L-1"}}}},
    {"pool": {"codes": ["seed"]}},
    {"pool": {"codes": ["seed", "listing"]}},
    {"within": [{"fact": "division_code"}, ["370303", "3704"]]},
    {"within": [{"fact": "industry_code"}, ["C34", "I"]]},
    {"within": [{"fact": "industry_code"}, []]},
    {"size_class": ["small"]},
    {"size_class": ["micro", "medium"]},
    {"ge": [{"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]}, 250_000]},
    {"lt": [{"mul": [{"fact": "annual.{L}.employees"}, 1000]}, {"fact": "annual.{L}.revenue"}]},
    {
        "all": [
            {"within": [{"fact": "division_code"}, ["3703"]]},
            {"any": [{"pool": {"codes": ["seed"]}}, {"size_class": ["small"]}]},
        ]
    },
]

FIRMS: list[dict[str, Any]] = [
    # division, industry, (employees, revenue, rd) for 2025, titles, pools
    {"division": "370303", "industry": "C3484", "year": (20, 3_000_000, 2_500_000)},
    {"division": "370304", "industry": "C3442", "year": (19, 3_000_000, 2_499_999)},
    {"division": "370402", "industry": "I6513", "year": (10, 1_000_000, None)},
    {"division": "210102", "industry": None, "year": (None, 5_000_000, 0)},
    {"division": "370303", "industry": "C3011", "year": None},
    {"division": "370303", "industry": "F5174", "year": (300, 20_000, 1)},
]
TITLES = {
    0: [("little_giant", "2025-01-01", None, "active"), ("hnte", "2024-12-31", None, "active")],
    1: [("little_giant", "2025-12-31", None, "revoked"), ("hnte", "2023-06-01", None, "active")],
    2: [("little_giant", "2026-01-01", None, "active"), ("hnte", "2023-01-01", "2026-04-30", "")],
    5: [("little_giant", "2024-12-31", None, "active")],
}
POOLS = {
    0: [("seed", "2026-05-01", None)],
    1: [("seed", "2020-01-01", "2026-05-01")],
    2: [("listing", "2020-01-01", "2026-05-02"), ("seed", "2026-05-02", None)],
    4: [("seed", "2019-01-01", None)],
}


@pytest.fixture
def registry(db: None) -> list[int]:
    seed = Pool.objects.create(code="seed", name="种子库")
    listing = Pool.objects.create(code="listing", name="上市后备库")
    pools = {"seed": seed, "listing": listing}
    ids = []
    for n, spec in enumerate(FIRMS):
        firm = Enterprise.objects.create(
            uscc=make_uscc(n, spec["division"]),
            name=f"企业{n}",
            division_code=spec["division"],
            industry_code=spec["industry"],
        )
        ids.append(firm.pk)
        if spec["year"] is not None:
            employees, revenue, rd = spec["year"]
            AnnualFigures.objects.create(
                enterprise=firm, year=2025, employees=employees, revenue=revenue, rd_expense=rd
            )
        for code, start, end, status in TITLES.get(n, []):
            Title.objects.create(
                enterprise=firm,
                code=code,
                level="national",
                valid_from=dt.date.fromisoformat(start),
                valid_to=end and dt.date.fromisoformat(end),
                status=status or "active",
            )
        for code, joined, left in POOLS.get(n, []):
            PoolMembership.objects.create(
                pool=pools[code],
                enterprise=firm,
                joined_on=dt.date.fromisoformat(joined),
                left_on=left and dt.date.fromisoformat(left),
            )
    return ids


def _sql_outcomes(expr: Any) -> dict[int, str]:
    sql = select_expression_sql(expr, ON, tables=registry_tables(), dialect=connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT enterprise_id, outcome FROM ({sql}) r")
        return dict(cursor.fetchall())


def _py_outcome(expr: Any, facts: dict[str, Any]) -> str:
    value = ev(expr, facts).value
    return "undetermined" if value is UNKNOWN else ("pass" if value else "fail")


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=[str(i) for i in range(len(EXPRESSIONS))])
def test_sql_path_agrees_with_python(registry: list[int], expr: Any) -> None:
    sql = _sql_outcomes(expr)
    python = {pk: _py_outcome(expr, enterprise_engine_facts(pk)) for pk in registry}
    assert sql == python


def test_the_boundary_firms_give_every_outcome(registry: list[int]) -> None:
    """The registry really sits on the boundaries: each addition passes some firms and fails
    others (an agreement on all-fail would prove nothing)."""
    for expr in EXPRESSIONS[:2] + EXPRESSIONS[3:7] + EXPRESSIONS[8:12]:
        outcomes = set(_sql_outcomes(expr).values())
        assert {"pass", "fail"} <= outcomes, expr
    assert "undetermined" in set(_sql_outcomes({"size_class": ["small"]}).values())
    facts = enterprise_engine_facts(registry[0])
    assert facts["pools"] == [{"code": "seed", "joined_on": "2026-05-01", "left_on": None}]
    assert enterprise_engine_facts(registry[3])["pools"] == []
