"""The differential property test: the SQL path and the Python engine agree, field by field.

Hypothesis draws batches of random enterprises, with facts missing at random and figures drawn
on and around the thresholds the rulebooks use; they go into the registry through the import
action, every rulebook in force is compiled to SQL and run inside the database under test
(SQLite, PostgreSQL or MariaDB), and each row must equal what ``assess`` says for the same firm
read back from the registry.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smeladder.registry.actions import import_enterprises
from smeladder.registry.interchange.export_facts import iter_facts, registry_facts
from smeladder.registry.interchange.records import ReadResult, SourceRecord
from smeladder.registry.models import Enterprise
from smeladder.screening.evaluate_sql import registry_tables
from smeladder.standards.rulebook import load_rulebooks
from smeladder.standards.sql import compile_rulebook
from tests.registry.fixtures import make_uscc

DATES = (dt.date(2023, 6, 15), dt.date(2026, 3, 31), dt.date(2026, 4, 1), dt.date(2026, 11, 30))
YEARS = tuple(range(2019, 2027))
INDUSTRIES = ("C3484", "C3442", "C3011", "I6513", "F5174", "M7520", "A0111", "K7010", "C1610")
DIVISIONS = ("370303", "370304", "210102")
#: ratios the rulebooks test (and their neighbours), so values land exactly on band edges
EDGE_RATIOS = (0, 0.01, 0.02, 0.025, 0.03, 0.04, 0.05, 0.06, 0.1, 0.15, 0.2, 0.3, 0.5, 0.55)
EDGE_RATIOS += (0.6, 0.7, 0.75, 0.8, 0.9, 1)
EDGE_MONEY = (0, 1_000_000, 5_000_000, 10_000_000, 15_000_000, 20_000_000, 50_000_000)
EDGE_MONEY += (100_000_000, 200_000_000, 400_000_000, 1_000_000_000)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A fact that is missing about a quarter of the time (None = leave the key out)."""
    return st.one_of(st.none(), strategy, strategy, strategy)


money = st.one_of(st.sampled_from(EDGE_MONEY), st.integers(0, 2_000_000).map(lambda n: n * 100))
count = st.one_of(
    st.sampled_from((0, 1, 2, 4, 5, 9, 10, 20, 50, 100, 300, 500, 501)), st.integers(0, 1200)
)
flag = st.booleans()
year = st.sampled_from(YEARS)
day = st.dates(dt.date(1995, 1, 1), dt.date(2026, 11, 30))


@st.composite
def annual_year(draw: st.DrawFn) -> dict[str, Any]:
    revenue = draw(money)
    out: dict[str, Any] = {"revenue": revenue}

    def share(key: str) -> None:
        ratio = draw(maybe(st.sampled_from(EDGE_RATIOS)))
        if ratio is not None:
            out[key] = round(revenue * ratio)

    for key in ("main_revenue", "rd_expense", "hightech_revenue", "net_profit", "cost_expense"):
        share(key)
    if "rd_expense" in out and draw(flag):
        out["rd_expense_domestic"] = round(out["rd_expense"] * draw(st.sampled_from(EDGE_RATIOS)))
    assets = draw(maybe(money))
    if assets is not None:
        out["total_assets"] = assets
        ratio = draw(maybe(st.sampled_from(EDGE_RATIOS)))
        if ratio is not None:
            out["total_liabilities"] = round(assets * ratio)
    staff = draw(maybe(count))
    if staff is not None:
        out["employees"] = staff
        for key in ("tech_staff", "rd_staff"):
            ratio = draw(maybe(st.sampled_from(EDGE_RATIOS)))
            if ratio is not None:
                out[key] = round(staff * ratio)
    conversions = draw(maybe(st.integers(0, 8)))
    if conversions is not None:
        out["tech_conversions"] = conversions
    return {k: v for k, v in out.items() if v is not None}


def _put(obj: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        obj[key] = value


@st.composite
def title(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))
    out = {
        "code": draw(
            st.sampled_from(
                ("innovative_sme", "tech_sme", "specialized_sme", "little_giant", "hnte")
            )
        ),
        "level": draw(st.sampled_from(("national", "provincial", "city"))),
        "valid_from": start.isoformat(),
    }
    if draw(flag):
        out["valid_to"] = (
            start + dt.timedelta(days=draw(st.sampled_from((0, 364, 1095))))
        ).isoformat()
    _put(out, "status", draw(maybe(st.sampled_from(("active", "expired", "revoked")))))
    return out


@st.composite
def enterprise(draw: st.DrawFn, n: int) -> dict[str, Any]:
    division = draw(st.sampled_from(DIVISIONS))
    obj: dict[str, Any] = {"uscc": make_uscc(n, division), "name": f"差分测试企业{n}"}
    obj["division_code"] = division
    _put(obj, "industry_code", draw(maybe(st.sampled_from(INDUSTRIES))))
    _put(obj, "founded_on", draw(maybe(day.map(dt.date.isoformat))))
    _put(obj, "listed", draw(maybe(flag)))
    _put(obj, "niche_since", draw(maybe(day.map(dt.date.isoformat))))
    flags = {}
    for key in (
        "abnormal_operations_list",
        "serious_dishonesty_list",
        "major_incident_3y",
        "restricted_products",
        "excluded_industry_rd_deduction",
    ):
        _put(flags, key, draw(maybe(st.sampled_from((False, False, False, True)))))
    obj["flags"] = flags
    product: dict[str, Any] = {}
    for key in (
        "strategic_emerging",
        "six_basics_or_key_sector",
        "chain_key_link",
        "leading_position",
    ):
        _put(product, key, draw(maybe(flag)))
    _put(product, "key_field", draw(maybe(st.sampled_from("ABC"))))
    _put(product, "hightech_domain", draw(maybe(st.just("40101"))))
    _put(product, "market_share", draw(maybe(st.sampled_from((0.05, 0.1, 0.12, 0.3)))))
    _put(product, "domestic_rank", draw(maybe(st.integers(1, 12))))
    _put(product, "global_rank", draw(maybe(st.integers(1, 6))))
    obj["main_product"] = product
    quality: dict[str, Any] = {}
    for key in (
        "provincial_quality_award",
        "quality_certification",
        "foreign_product_certification",
        "own_brand",
        "standards_participation",
        "core_business_information_system",
    ):
        _put(quality, key, draw(maybe(flag)))
    obj["quality"] = quality
    _put(obj, "digital_level", draw(maybe(st.integers(1, 4))))
    _put(
        obj,
        "rd_institution",
        draw(maybe(st.sampled_from(("national", "provincial", "city", "below_city", "none")))),
    )
    ip: dict[str, Any] = {}
    class1 = draw(maybe(st.integers(0, 6)))
    if class1 is not None:
        ip["class1"] = class1
        for key in ("class1_high_value", "class1_self_developed", "class1_applied"):
            _put(ip, key, draw(maybe(st.integers(0, class1))))
    _put(ip, "class2", draw(maybe(st.integers(0, 6))))
    obj["ip"] = ip
    _put(obj, "led_standards_since", draw(maybe(year)))
    _put(obj, "local_feature_points", draw(maybe(st.integers(0, 15))))
    obj["annual"] = {
        str(y): draw(annual_year()) for y in draw(st.sets(st.sampled_from(YEARS), max_size=5))
    }
    obj["equity_financing"] = {
        str(y): draw(
            st.sampled_from((0, 5_000_000, 10_000_000, 20_000_000, 60_000_000, 80_000_000))
        )
        for y in draw(st.sets(st.sampled_from(YEARS), max_size=3))
    }
    obj["platform_score"] = {
        str(y): draw(st.sampled_from((45, 50, 55, 60, 65)))
        for y in draw(st.sets(st.sampled_from(YEARS), max_size=2))
    }
    obj["titles"] = draw(
        st.lists(title(), max_size=3, unique_by=lambda t: (t["code"], t["level"], t["valid_from"]))
    )
    obj["awards"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {"level": st.sampled_from(("national", "provincial", "city")), "year": year},
                optional={"rank": st.integers(1, 6)},
            ),
            max_size=2,
            unique_by=lambda a: (a["level"], a["year"], a.get("rank")),
        )
    )
    obj["maker_china"] = draw(
        st.lists(
            st.fixed_dictionaries({"year": year, "group": st.sampled_from(("top500", "top50"))}),
            max_size=1,
        )
    )
    return obj


@st.composite
def batches(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(1, 8))
    return [draw(enterprise(n)) for n in range(1, size + 1)]


def _sql_rows(book: Any, on: dt.date) -> dict[str, tuple[Any, ...]]:
    compiled = compile_rulebook(book, on, connection.vendor, tables=registry_tables())
    uscc = {pk: code for pk, code in Enterprise.objects.values_list("pk", "uscc")}
    with connection.cursor() as cursor:
        cursor.execute(compiled.select)
        rows = cursor.fetchall()
    return {uscc[row[0]]: _plain(row[1:]) for row in rows}


def _plain(values: Any) -> tuple[Any, ...]:
    return tuple(round(float(v), 9) if isinstance(v, int | float) else v for v in values)


def _python_row(facts: dict[str, Any], book: Any, on: dt.date) -> tuple[Any, ...]:
    from smeladder.standards.engine import assess_with

    r = assess_with(book, registry_facts(facts), on)
    lo, hi = r.score_range or (None, None)
    return _plain((r.outcome, r.score, lo, hi, r.route, r.size_class))


@pytest.mark.django_db
@settings(
    max_examples=int(os.environ.get("SMELADDER_DIFF_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(firms=batches())
def test_sql_and_python_agree_field_by_field(firms: list[dict[str, Any]]) -> None:
    Enterprise.objects.all().delete()
    result = import_enterprises(
        ReadResult("json", [SourceRecord(f"[{i}]", f) for i, f in enumerate(firms)])
    )
    assert result.written, [p.as_dict() for p in result.errors]
    stored = {f["uscc"]: f for f in iter_facts()}
    checked = 0
    for book in load_rulebooks():
        for on in DATES:
            if not book.in_force_on(on):
                continue
            sql = _sql_rows(book, on)
            for uscc, facts in stored.items():
                if book.region_match(facts.get("division_code")) is None:
                    continue
                assert sql[uscc] == _python_row(facts, book, on), (book.code, on, uscc)
                checked += 1
    assert checked > 0
