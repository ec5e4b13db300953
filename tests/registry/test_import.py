"""`smeladder import`: whole-file validation, all-or-nothing writes, upsert semantics."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smeladder.accounts.models import AuditEvent
from smeladder.registry.actions import import_enterprises
from smeladder.registry.interchange.read_json import read_json
from smeladder.registry.interchange.write_json import dumps
from smeladder.registry.models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    ImportRun,
    MakerChinaResult,
    PlatformScore,
    Title,
)
from tests.registry.fixtures import RICH_JSON, enterprise, make_uscc, write_json

PILOT_USCC = "91350211M00013FA1N"  # real, fails the GB 32100 check digit


def run_import(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> tuple[str, dict[str, int]]:
    """The whole registry: its JSON export plus row counts of every table."""
    out = io.StringIO()
    call_command("export", stdout=out)
    models = (
        Enterprise,
        AnnualFigures,
        EquityFinancing,
        PlatformScore,
        Title,
        Award,
        MakerChinaResult,
        ImportRun,
    )
    return out.getvalue(), {m.__name__: m.objects.count() for m in models}


def import_records(records: list[dict[str, Any]], **kwargs: Any):
    raw = dumps(records).encode()  # Decimal-aware: exact numbers in the file
    return import_enterprises(read_json(raw), **kwargs)


def fields_of(result) -> set[str]:
    return {p.field for p in result.errors}


@pytest.fixture
def existing(db) -> None:
    """Some data already in the registry."""
    code, _, err = run_import(RICH_JSON)
    assert code == 0, err


# -- the must-have test from the issue ---------------------------------------------------------


def test_bad_file_is_rejected_whole_and_every_problem_named(existing, tmp_path: Path) -> None:
    before = snapshot()
    bad_checksum = make_uscc(7)[:-1] + ("A" if make_uscc(7)[-1] != "A" else "B")
    records = [
        enterprise(1, annual={"2025": {"revenue": 1000}}),  # valid on its own
        {"uscc": bad_checksum, "name": "校验位错误", "division_code": "370303"},
        enterprise(2, division_code="379999"),  # unknown division
        enterprise(3, annual={"2025": {"revenue": -5}}),  # negative revenue
        enterprise(4, annual={"2025": {"employees": "abc"}}),  # text in a number field
        enterprise(5),
        enterprise(5, name="重复企业"),  # duplicated enterprise
        enterprise(6, colour="red"),  # unknown key
    ]
    path = write_json(tmp_path / "bad.json", records)
    report = tmp_path / "report.json"
    code, out, err = run_import(path, "--report", str(report))

    assert code != 0
    assert "nothing was written" not in out
    problems = json.loads(report.read_text(encoding="utf-8"))
    named = {(p["location"], p["field"]) for p in problems if p["severity"] == "error"}
    assert ("[1]", "uscc") in named
    assert ("[2]", "division_code") in named
    assert ("[3]", "annual.2025.revenue") in named
    assert ("[4]", "annual.2025.employees") in named
    assert ("[6]", "uscc") in named
    assert ("[7]", "colour") in named
    duplicate = next(p for p in problems if p["location"] == "[6]")
    assert "[5]" in duplicate["reason_en"]  # both locations are named
    for p in problems:
        assert p["reason_zh"] and p["reason_en"]
    # The table on stderr shows every problem, in Chinese and English.
    for text in ("校验位", "379999", "-5", '"abc"', "colour", "duplicate enterprise", "原因"):
        assert text in err
    assert snapshot() == before  # nothing written, not even the valid record [0]
    assert not Enterprise.objects.filter(uscc=make_uscc(1)).exists()


def test_errors_do_not_stop_at_the_first(db) -> None:
    result = import_records(
        [
            enterprise(
                1,
                listed="yes",
                founded_on="2015-13-01",
                digital_level=0,
                flags={"typo": True},
                annual={"2025": {"revenu": 1}, "25": {}},
                titles=[{"code": "nope", "level": "city", "valid_from": "2024-01-01", "x": 1}],
                awards=[{"level": "city", "year": 2024, "note": "?"}],
            )
        ]
    )
    assert not result.written
    assert {
        "listed",
        "founded_on",
        "digital_level",
        "flags.typo",
        "annual.2025.revenu",
        "annual.25",
        "titles[0].code",
        "titles[0].x",
        "awards[0].note",
    } <= fields_of(result)


def test_missing_required_keys(db) -> None:
    result = import_records([{"name": "无代码"}, {"uscc": make_uscc(1), "name": None}])
    assert {("[0]", "uscc"), ("[0]", "division_code"), ("[1]", "name")} <= {
        (p.location, p.field) for p in result.errors
    }


# -- bounds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "field", "ok"),
    [
        ({"annual": {"2025": {"revenue": 0}}}, "annual.2025.revenue", True),
        ({"annual": {"2025": {"revenue": Decimal("-0.01")}}}, "annual.2025.revenue", False),
        ({"annual": {"2025": {"net_profit": -100}}}, "annual.2025.net_profit", True),
        ({"annual": {"2025": {"revenue": Decimal("0.001")}}}, "annual.2025.revenue", False),
        ({"main_product": {"market_share": 1}}, "main_product.market_share", True),
        ({"main_product": {"market_share": 0}}, "main_product.market_share", True),
        ({"main_product": {"market_share": Decimal("1.0001")}}, "main_product.market_share", False),
        ({"digital_level": 0}, "digital_level", False),
        ({"digital_level": 1}, "digital_level", True),
        ({"digital_level": 4}, "digital_level", True),
        ({"digital_level": 5}, "digital_level", False),
        ({"local_feature_points": 0}, "local_feature_points", True),
        ({"local_feature_points": 15}, "local_feature_points", True),
        ({"local_feature_points": 16}, "local_feature_points", False),
        ({"ip": {"class2": -1}}, "ip.class2", False),
        ({"rd_institution": "county"}, "rd_institution", False),
        ({"main_product": {"key_field": "D"}}, "main_product.key_field", False),
        ({"main_product": {"hightech_domain": "401"}}, "main_product.hightech_domain", False),
        ({"main_product": {"hightech_domain": "504"}}, "main_product.hightech_domain", True),
        ({"industry_code": "3484"}, "industry_code", True),
        ({"industry_code": "C348"}, "industry_code", False),
        ({"listed": 1}, "listed", False),
        ({"digital_level": True}, "digital_level", False),
        ({"digital_level": Decimal("2.5")}, "digital_level", False),
        ({"led_standards_since": 22}, "led_standards_since", False),
        ({"platform_score": {"2026": 101}}, "platform_score.2026", False),
        ({"equity_financing": {"2025": -1}}, "equity_financing.2025", False),
        ({"maker_china": [{"year": 2024, "group": "top10"}]}, "maker_china[0].group", False),
    ],
)
def test_bounds_and_kinds(db, facts: dict[str, Any], field: str, ok: bool) -> None:
    result = import_records([enterprise(1, **facts)])
    assert (field not in fields_of(result)) is ok, result.problems
    assert result.written is ok


def test_industry_code_is_normalised(db) -> None:
    import_records([enterprise(1, industry_code="3484")])
    assert Enterprise.objects.get().industry_code == "C3484"


def test_duplicate_year_keys_are_an_error(db, tmp_path: Path) -> None:
    text = (
        f'[{{"uscc": "{make_uscc(1)}", "name": "x", "division_code": "370303", '
        '"annual": {"2024": {}, "2024": {"revenue": 1}}}]'
    )
    result = import_enterprises(read_json(text.encode()))
    assert "annual.2024" in fields_of(result)


def test_duplicate_titles_and_bad_validity(db) -> None:
    title = {"code": "hnte", "level": "national", "valid_from": "2024-01-01"}
    result = import_records(
        [
            enterprise(
                1,
                titles=[
                    title,
                    dict(title),
                    {**title, "valid_from": "2025-01-01", "valid_to": "2024-12-31"},
                ],
            )
        ]
    )
    assert {"titles[1]", "titles[2].valid_to"} <= fields_of(result)


def test_unknown_keys_under_extra_are_kept(db) -> None:
    extra = {"自定义": {"任意": [1, 2]}, "typo_ok": True}
    result = import_records([enterprise(1, extra=extra)])
    assert result.written, result.problems
    assert Enterprise.objects.get().extra == extra


# -- USCC check digit override -----------------------------------------------------------------


def test_checksum_failure_needs_override(db, tmp_path: Path) -> None:
    path = write_json(
        tmp_path / "pilot.json",
        [{"uscc": PILOT_USCC, "name": "试点企业", "division_code": "350211"}],
    )
    code, _, err = run_import(path)
    assert code == 1
    assert "--accept-checksum 91350211M00013FA1N" in err
    assert not Enterprise.objects.exists()

    code, out, err = run_import(path, "--accept-checksum", PILOT_USCC)
    assert code == 0, err
    assert "警告 warning" in err and "accept-checksum" in err
    stored = Enterprise.objects.get()
    assert stored.uscc == PILOT_USCC and stored.uscc_checksum_ok is False

    # Already confirmed in the registry: accepted again without the flag, with a warning.
    code, out, err = run_import(path)
    assert code == 0, err
    assert "confirmed earlier" in err
    assert "1 unchanged" in out


def test_override_is_repeatable_and_unused_one_warns(db) -> None:
    other = make_uscc(3)[:-1] + ("A" if make_uscc(3)[-1] != "A" else "B")
    result = import_records(
        [
            {"uscc": PILOT_USCC, "name": "a", "division_code": "350211"},
            {"uscc": other, "name": "b", "division_code": "370303"},
        ],
        accepted_checksum_failures=[PILOT_USCC, other, make_uscc(9)],
    )
    assert result.written, result.errors
    assert Enterprise.objects.filter(uscc_checksum_ok=False).count() == 2
    assert any("unused" in p.reason_en for p in result.warnings)


# -- divisions -----------------------------------------------------------------------------------


def test_historical_division_is_a_warning_naming_successors(db, tmp_path: Path) -> None:
    # 110103 崇文区 was merged into 110101 东城区 in 2010.
    path = write_json(tmp_path / "old.json", [enterprise(1, division_code="110103")])
    code, _, err = run_import(path)
    assert code == 0, err
    assert "110101" in err and "东城区" in err and "警告 warning" in err
    assert ImportRun.objects.get().warnings[0]["field"] == "division_code"


# -- writing ---------------------------------------------------------------------------------------


def test_reimport_changes_nothing(existing) -> None:
    before = snapshot()
    rows_before = list(Enterprise.objects.values())
    annual_before = list(AnnualFigures.objects.values())
    titles_before = list(Title.objects.values())
    code, out, err = run_import(RICH_JSON)
    assert code == 0, err
    assert "0 created, 0 updated, 2 unchanged" in out
    assert snapshot()[0] == before[0]
    assert list(Enterprise.objects.values()) == rows_before  # not even updated_at moved
    assert list(AnnualFigures.objects.values()) == annual_before
    assert list(Title.objects.values()) == titles_before
    assert ImportRun.objects.count() == 2


def test_import_run_and_audit_event(db, make_user) -> None:
    admin = make_user("admin1", "admin")
    result = import_records([enterprise(1), enterprise(2)], actor=admin, file_name="a.json")
    run = ImportRun.objects.get()
    assert (run.enterprises_created, run.actor, run.format) == (2, admin, "json")
    event = AuditEvent.objects.get(action="registry.import")
    assert event.changes["created"] == 2 and event.object_id == str(result.run_id)


def test_absent_keys_untouched_null_clears(db) -> None:
    import_records(
        [
            enterprise(
                1,
                listed=True,
                digital_level=3,
                flags={"abnormal_operations_list": False},
                annual={"2024": {"revenue": 100, "employees": 10}},
                equity_financing={"2024": 5},
            )
        ]
    )
    result = import_records(
        [
            enterprise(
                1,
                listed=None,
                annual={"2024": {"revenue": 200}},
                equity_financing=None,
            )
        ]
    )
    assert (result.updated, result.created) == (1, 0)
    stored = Enterprise.objects.get()
    assert stored.listed is None  # explicit null: unknown
    assert stored.digital_level == 3  # absent: untouched
    assert stored.flag_abnormal_operations_list is False
    figures = AnnualFigures.objects.get()
    assert (figures.revenue, figures.employees) == (200, 10)
    assert not EquityFinancing.objects.exists()


def test_titles_upsert_and_never_delete(db) -> None:
    old = {
        "code": "tech_sme",
        "level": "national",
        "valid_from": "2020-05-01",
        "valid_to": "2020-12-31",
    }
    new = {"code": "hnte", "level": "national", "valid_from": "2099-01-01"}
    import_records([enterprise(1, titles=[old])])
    assert Title.objects.get().status == "expired"  # derived: valid_to before today
    import_records([enterprise(1, titles=[{**new, "batch": "第1批"}])])
    titles = {t.code: t for t in Title.objects.all()}
    assert set(titles) == {"tech_sme", "hnte"}  # the old title stays as history
    assert titles["hnte"].status == "active"
    import_records([enterprise(1, titles=[{**new, "source_document": "文件"}])])
    updated = Title.objects.get(code="hnte")
    assert (updated.batch, updated.source_document) == ("第1批", "文件")


def test_award_and_maker_lists_are_replaced(db) -> None:
    import_records(
        [
            enterprise(
                1,
                awards=[{"level": "city", "year": 2023}, {"level": "provincial", "year": 2024}],
                maker_china=[{"year": 2023, "group": "top500"}],
            )
        ]
    )
    result = import_records(
        [enterprise(1, awards=[{"level": "national", "year": 2025, "rank": 1}])]
    )
    assert result.updated == 1
    assert list(Award.objects.values_list("level", "year", "rank")) == [("national", 2025, 1)]
    assert MakerChinaResult.objects.count() == 1  # absent: untouched
    import_records([enterprise(1, maker_china=[])])
    assert not MakerChinaResult.objects.exists()


def test_money_is_exact(db) -> None:
    # the largest amount accepted, with cents: exact on every backend, SQLite's REAL included
    big = "9999999999999.99"
    raw = (
        f'[{{"uscc": "{make_uscc(1)}", "name": "x", "division_code": "370303", '
        f'"annual": {{"2025": {{"revenue": {big}, "rd_expense": 0.1}}}}}}]'
    )
    assert import_enterprises(read_json(raw.encode())).written
    figures = AnnualFigures.objects.get()
    assert figures.revenue == Decimal(big)
    assert figures.rd_expense == Decimal("0.10")


def test_dry_run_writes_nothing_but_counts(db, tmp_path: Path) -> None:
    path = write_json(tmp_path / "a.json", [enterprise(1), enterprise(2)])
    code, out, _ = run_import(path, "--dry-run")
    assert code == 0 and "2 created" in out
    assert not Enterprise.objects.exists() and not ImportRun.objects.exists()


def test_jsonl_locations_are_lines(db, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [json.dumps(enterprise(1)), "", json.dumps(enterprise(2, digital_level=9)), "{oops"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run_import(path)
    assert code == 1
    assert "第3行 line 3" in err and "第4行 line 4" in err
    assert not Enterprise.objects.exists()


def test_bulk_import_uses_few_queries(db, django_assert_max_num_queries) -> None:
    records = [
        enterprise(
            n,
            industry_code="C3484",
            annual={str(y): {"revenue": 1000 * n + y, "employees": 50} for y in (2023, 2024, 2025)},
            titles=[{"code": "innovative_sme", "level": "provincial", "valid_from": "2024-05-01"}],
            awards=[{"level": "city", "year": 2024}],
            equity_financing={"2025": 10},
        )
        for n in range(200)
    ]
    # Per-row work would be 200+ queries. The bound is set by SQLite, whose 999-parameter
    # limit makes Django split a bulk insert of the 45-column Enterprise into ~22-row batches
    # (PostgreSQL and MariaDB need about 15 queries here).
    with django_assert_max_num_queries(40):
        result = import_records(records)
    assert result.created == 200
    assert AnnualFigures.objects.count() == 600
    for record in records:
        record["annual"]["2025"]["revenue"] += 1
    with django_assert_max_num_queries(40):
        result = import_records(records)
    assert (result.updated, result.unchanged) == (200, 0)
    assert dt.date(2024, 5, 1) == Title.objects.first().valid_from


def test_format_option_overrides_extension(db, tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text(json.dumps(enterprise(1)) + "\n", encoding="utf-8")
    assert run_import(path)[0] == 1  # cannot tell the format from .txt
    code, out, err = run_import(path, "--format", "jsonl")
    assert code == 0, err
    assert "1 created" in out
