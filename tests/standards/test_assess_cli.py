"""`smeladder assess FILE --on DATE [--standard CODE …] --format json|table`, without a database.

No test here uses the `db` fixture: pytest-django blocks every database access outside it, so
any query the command made would fail these tests; one test also runs the real console script
with DATABASE_URL pointing at a SQLite file that cannot exist.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smeladder.registry.management.commands.assess import Command
from smeladder.standards.cases import cases_of
from smeladder.standards.cli_assess import read_facts, select_standards, today_in_china
from smeladder.standards.engine import assess_all


def _firms(standard: str) -> dict[str, dict[str, Any]]:
    return cases_of(standard)["firms"]


INNOVATIVE = _firms("innovative_sme")
SIZE = _firms("sme_size")


def _assess(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("assess", str(path), *args, stdout=out)
    return out.getvalue()


def _json(path: Path, *args: str) -> list[dict[str, Any]]:
    return json.loads(_assess(path, "--format", "json", *args))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_needs_no_database_checks() -> None:
    assert Command.requires_system_checks == []
    assert Command.requires_migrations_checks is False


def test_rule_case_through_the_cli(tmp_path: Path) -> None:
    # innovative_sme.cases.yaml "§9.3 E1: 90, pass" on 2026-05-01
    path = _write(tmp_path, "e1.json", json.dumps(INNOVATIVE["E1"], ensure_ascii=False))
    (result,) = _json(path, "--on", "2026-05-01", "--standard", "innovative_sme")
    assert result["uscc"] == "E1-EdgeParts"
    assert result["rulebook"] == "miit-2022-63-annex1"
    assert (result["outcome"], result["score"], result["route"]) == ("pass", 90, "score")
    assert result["missing"] == []
    checks = {c["code"]: c for c in result["checks"]}
    assert (checks["rd_ratio"]["points"], checks["rd_ratio"]["band"]) == (20, "A")


def test_json_elements_are_exactly_the_assessment_results_object(tmp_path: Path) -> None:
    path = _write(tmp_path, "e4.json", json.dumps(INNOVATIVE["E4"], ensure_ascii=False))
    (result,) = _json(path, "--on", "2026-05-01", "--standard", "innovative_sme")
    assert list(result) == [
        "uscc",
        "standard",
        "rulebook",
        "outcome",
        "score",
        "route",
        "class",
        "checks",
        "missing",
        "gaps",
    ]
    assert (result["outcome"], result["score"], result["route"]) == ("fail", 35, None)


def test_default_is_every_standard(tmp_path: Path) -> None:
    path = _write(tmp_path, "e1.json", json.dumps(SIZE["E1"]))
    results = _json(path, "--on", "2026-05-01", "--no-gaps")
    # every standard in force that applies to the firm (regional ones need its division)
    on = date(2026, 5, 1)
    applies = {r.standard for r in assess_all(SIZE["E1"], on)}
    assert {"sme_size", "innovative_sme"} <= applies <= set(select_standards(None, on))
    assert {r["standard"] for r in results} == applies
    size = next(r for r in results if r["standard"] == "sme_size")
    assert (size["outcome"], size["class"]) == ("pass", "medium")


def test_standard_is_repeatable(tmp_path: Path) -> None:
    path = _write(tmp_path, "e1.json", json.dumps(SIZE["E1"]))
    args = ("--on", "2026-05-01", "--standard", "sme_size", "--standard", "innovative_sme")
    assert [r["standard"] for r in _json(path, *args)] == ["sme_size", "innovative_sme"]


def test_array_input(tmp_path: Path) -> None:
    firms = [INNOVATIVE[k] for k in ("E1", "E2", "E4")]
    path = _write(tmp_path, "firms.json", json.dumps(firms, ensure_ascii=False, indent=1))
    results = _json(path, "--on", "2026-05-01", "--standard", "innovative_sme")
    assert [(r["uscc"], r["outcome"], r["score"]) for r in results] == [
        ("E1-EdgeParts", "pass", 90),
        ("E2-CodeSmall", "pass", 70),
        ("E4-TradeCo", "fail", 35),
    ]


def test_json_lines_input(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps(SIZE[k], ensure_ascii=False) for k in ("E1", "E2", "E5"))
    path = _write(tmp_path, "firms.jsonl", lines + "\n\n")
    results = _json(path, "--on", "2026-05-01", "--standard", "sme_size")
    assert [(r["uscc"], r["class"]) for r in results] == [
        ("E1-EdgeParts", "medium"),
        ("E2-CodeSmall", "small"),
        ("E5-AIStart", "small"),
    ]


def test_input_shapes_are_detected() -> None:
    assert read_facts('{"uscc": "a"}') == [{"uscc": "a"}]
    assert read_facts('\ufeff[{"uscc": "a"}, {"uscc": "b"}]') == [{"uscc": "a"}, {"uscc": "b"}]
    assert read_facts('{"uscc": "a"}\n{"uscc": "b"}\n') == [{"uscc": "a"}, {"uscc": "b"}]
    # a pretty-printed single object is one object, not JSON Lines
    assert read_facts('{\n "uscc": "a"\n}\n') == [{"uscc": "a"}]


def test_the_date_picks_the_last_fiscal_year(tmp_path: Path) -> None:
    firm = copy.deepcopy(SIZE["E1"])  # 2025: 300 staff, 2000万 → medium; 2024: 280 → small
    firm["annual"]["2026"] = {"employees": 1000, "revenue": 400_000_000}  # → large
    path = _write(tmp_path, "e1.json", json.dumps(firm))

    def size_on(on: str) -> tuple[str, str | None, list[str]]:
        (r,) = _json(path, "--on", on, "--standard", "sme_size")
        values = {c["code"]: c["value"] for c in r["checks"]}
        return r["outcome"], r["class"], values["medium"]

    assert size_on("2026-03-31")[:2] == ("pass", "medium")  # 上年度 2025
    assert size_on("2026-03-31")[2] == {"employees": 300, "revenue": 20_000_000}
    assert size_on("2027-01-01")[:2] == ("fail", "large")  # 上年度 2026
    assert size_on("2025-12-31")[:2] == ("pass", "small")  # 上年度 2024


def test_a_missing_year_is_reported_as_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "e1.json", json.dumps(SIZE["E1"]))
    (r,) = _json(path, "--on", "2027-06-01", "--standard", "sme_size")
    assert r["outcome"] == "undetermined"
    assert "annual.2026.revenue" in r["missing"]


def test_on_defaults_to_today_in_china(tmp_path: Path) -> None:
    path = _write(tmp_path, "e1.json", json.dumps(SIZE["E1"]))
    default = _json(path, "--standard", "sme_size")
    explicit = _json(path, "--standard", "sme_size", "--on", today_in_china().isoformat())
    assert default == explicit


def test_table_format(tmp_path: Path) -> None:
    firms = [INNOVATIVE["E1"], INNOVATIVE["E4"], {"industry_code": "C3484"}]
    path = _write(tmp_path, "firms.json", json.dumps(firms, ensure_ascii=False))
    text = _assess(path, "--on", "2026-05-01", "--format", "table")
    lines = text.splitlines()
    for header in ("USCC", "标准", "规则集", "结论", "得分", "缺少的事实"):
        assert header in lines[0]
    e1 = [line for line in lines if line.startswith("E1-EdgeParts")]
    assert any("innovative_sme" in line and "通过" in line and " 90 " in line for line in e1)
    assert any("sme_size" in line and "通过（中型）" in line for line in e1)
    e4 = next(line for line in lines if line.startswith("E4-TradeCo") and "innovative" in line)
    assert "未通过" in e4 and " 35 " in e4
    nameless = [line for line in lines if line.startswith("#3")]
    assert any("待定" in line and "annual.2025.employees" in line for line in nameless)


def test_malformed_revenue_exits_naming_uscc_and_field(tmp_path: Path) -> None:
    firm = copy.deepcopy(SIZE["E2"])
    firm["annual"]["2025"]["revenue"] = "九百万"
    path = _write(tmp_path, "bad.json", json.dumps([SIZE["E1"], firm], ensure_ascii=False))
    with pytest.raises(CommandError) as err:
        _assess(path, "--on", "2026-05-01")
    message = str(err.value)
    assert "E2-CodeSmall" in message and "annual.2025.revenue" in message
    assert "E1-EdgeParts" not in message
    assert "营业收入" in message and "revenue" in message


def test_negative_employees_exits_naming_the_position(tmp_path: Path) -> None:
    firm = copy.deepcopy(SIZE["E1"])
    del firm["uscc"]
    firm["annual"]["2024"]["employees"] = -5
    lines = "\n".join(json.dumps(f) for f in (SIZE["E2"], firm))
    path = _write(tmp_path, "bad.jsonl", lines)
    with pytest.raises(CommandError) as err:
        _assess(path, "--on", "2026-05-01")
    message = str(err.value)
    assert "#2" in message and "annual.2024.employees" in message
    assert "不能为负数" in message and "cannot be negative" in message


@pytest.mark.parametrize(
    ("args", "text", "fragment"),
    [
        (("--on", "2026-13-01"), "{}", "--on"),
        (("--standard", "nope"), "{}", "nope"),
        ((), "{not json", "line 1"),
        ((), '{"uscc": "a"}\n{oops}\n', "line 2"),
        ((), "  \n", "empty"),
    ],
)
def test_bad_input_or_options_exit_non_zero(tmp_path: Path, args, text, fragment) -> None:
    path = _write(tmp_path, "in.json", text)
    with pytest.raises(CommandError) as err:
        _assess(path, *args)
    assert fragment in str(err.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        _assess(tmp_path / "absent.json")


def _run_console(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    locked = tmp_path / "locked"
    locked.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smeladder.settings.dev",
        "DATABASE_URL": f"sqlite:///{locked}/absent/smeladder.sqlite3",
    }
    try:
        locked.chmod(0o555)
        return subprocess.run(
            [sys.executable, "-m", "smeladder.cli", "assess", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    finally:
        locked.chmod(0o755)


def test_console_script_runs_without_a_database(tmp_path: Path) -> None:
    path = _write(tmp_path, "e1.json", json.dumps(INNOVATIVE["E1"], ensure_ascii=False))
    done = _run_console(tmp_path, str(path), "--on", "2026-05-01", "--format", "json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    outcomes = {r["standard"]: r["outcome"] for r in results}
    assert (outcomes["innovative_sme"], outcomes["sme_size"]) == ("pass", "pass")
    assert not (tmp_path / "locked" / "absent").exists()


def test_console_script_malformed_exits_non_zero(tmp_path: Path) -> None:
    firm = copy.deepcopy(SIZE["E3"])
    firm["annual"]["2025"]["employees"] = -1
    path = _write(tmp_path, "bad.json", json.dumps(firm, ensure_ascii=False))
    done = _run_console(tmp_path, str(path), "--on", "2026-05-01")
    assert done.returncode != 0
    assert firm["uscc"] in done.stderr and "annual.2025.employees" in done.stderr
    assert done.stdout == ""


def test_json_has_verified_gaps_by_default(tmp_path: Path) -> None:
    path = _write(tmp_path, "e4.json", json.dumps(INNOVATIVE["E4"], ensure_ascii=False))
    (result,) = _json(path, "--on", "2026-05-01", "--standard", "innovative_sme")
    assert result["outcome"] == "fail"
    assert result["gaps"]
    for gap in result["gaps"]:
        assert gap["verified"] is True and gap["outcome_after"] == "pass"
        assert gap["effect"].endswith("创新型中小企业评价通过")
    (quick,) = _json(path, "--on", "2026-05-01", "--standard", "innovative_sme", "--no-gaps")
    assert quick["gaps"] == []
    assert {k: v for k, v in quick.items() if k != "gaps"} == {
        k: v for k, v in result.items() if k != "gaps"
    }


def test_table_lists_gaps_under_the_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "e4.json", json.dumps(INNOVATIVE["E4"], ensure_ascii=False))
    args = ("--on", "2026-05-01", "--standard", "innovative_sme", "--format", "table")
    lines = _assess(path, *args).splitlines()
    row = next(n for n, line in enumerate(lines) if line.startswith("E4-TradeCo"))
    assert lines[row + 1].startswith("    差距 1：")
    assert "创新型中小企业评价通过" in lines[row + 1]
    quiet = _assess(path, *args, "--no-gaps").splitlines()
    assert not any("差距" in line for line in quiet)
    assert len(quiet) == 3
