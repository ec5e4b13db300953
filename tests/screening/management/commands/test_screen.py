"""`smeladder screen`: summary, recommendation lists as .jsonl and .xlsx, bad options."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from smeladder.screening.actions import recommendation_list
from smeladder.screening.export import HEADERS, HELP_SHEET
from smeladder.screening.models import ScreeningRun
from tests.screening.helpers import city

ON = "2026-05-01"
STANDARDS = ("--standard", "innovative_sme", "--standard", "sme_size")


@pytest.fixture
def firms(db, tmp_path: Path) -> list[dict]:
    return city(tmp_path)


def screen(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("screen", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_summary_in_chinese(firms) -> None:
    out, _ = screen(*STANDARDS, "--on", ON, "--engine", "python")
    run = ScreeningRun.objects.get()
    assert f"筛选批次 #{run.pk}" in out and "企业 8 家" in out
    line = next(x for x in out.splitlines() if "innovative_sme" in x)
    assert "创新型中小企业" in line and "规则集 miit-2022-63-annex1" in line
    counts = {
        k: run.results.filter(standard="innovative_sme", outcome=k).count()
        for k in ("pass", "fail", "undetermined")
    }
    assert f"通过 {counts['pass']}，未通过 {counts['fail']}，待定 {counts['undetermined']}" in line
    assert "中小企业划型（sme_size，规则集 miit-2011-300）" in out


def test_jsonl_lines(firms, tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    screen(
        "--on",
        ON,
        "--standard",
        "innovative_sme",
        "--standard",
        "sme_size",
        "--engine",
        "python",
        "--out",
        str(path),
    )
    run = ScreeningRun.objects.get()
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    want = [
        (r.enterprise.uscc, r.standard)
        for s in ("innovative_sme", "sme_size")
        for r in recommendation_list(run, s)
    ]
    assert [(x["uscc"], x["standard"]) for x in lines] == want
    assert set(lines[0]) == {
        "uscc",
        "name",
        "division_code",
        "standard",
        "rulebook",
        "score",
        "route",
    }
    first = lines[0]
    assert first["rulebook"] == "miit-2022-63-annex1" and first["name"].startswith("筛选测试企业")
    assert isinstance(first["score"], int | float)


def test_xlsx_workbook(firms, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    out, _ = screen(
        *STANDARDS, "--on", ON, "--division", "3703", "--engine", "python", "--out", str(path)
    )
    run = ScreeningRun.objects.get()
    assert run.division_prefix == "3703"
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "推荐名单 – 创新型中小企业",
        "推荐名单 – 中小企业划型",
        HELP_SHEET,
    ]
    ws = wb["推荐名单 – 创新型中小企业"]
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    listed = list(recommendation_list(run, "innovative_sme"))
    assert len(rows) == 1 + len(listed) >= 3
    first = listed[0]
    assert rows[1] == (
        1,
        first.enterprise.uscc,
        first.enterprise.name,
        first.enterprise.division_code,
        "张店区",
        "C3484",
        "miit-2022-63-annex1",
        first.score,
        "评分",
    )
    assert [r[0] for r in rows[1:]] == list(range(1, len(listed) + 1))
    assert all(r[3].startswith("3703") for r in rows[1:])
    help_rows = list(wb[HELP_SHEET].iter_rows(values_only=True))
    flat = [c for r in help_rows for c in r if c is not None]
    assert ON in flat and run.pk in flat and "miit-2022-63-annex1" in flat
    assert "已导出" not in out and "推荐名单" in out


def test_command_exits_non_zero_on_bad_options(firms, tmp_path: Path) -> None:
    for args, message in [
        (["--on", "2026-02-30"], "YYYY-MM-DD"),
        (["--on", ON, "--standard", "nope"], "unknown standard"),
        (["--on", ON, "--division", "37030"], "2, 4 or 6 digits"),
        (["--on", ON, "--engine", "spark"], "engine must be sql or python"),
        (["--on", ON, "--out", str(tmp_path / "list.csv")], ".xlsx or .jsonl"),
        (["--on", ON, "--out", str(tmp_path / "no" / "dir.xlsx")], "does not exist"),
        (["--on", "2022-05-31", "--standard", "innovative_sme"], "no innovative_sme rulebook"),
    ]:
        with pytest.raises(CommandError, match=message) as err:
            screen(*args, "--engine", "python") if "--engine" not in args else screen(*args)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))
    assert not ScreeningRun.objects.exists()


def test_cli_exit_status(tmp_path: Path) -> None:
    # Through the real command-line entry point: argparse and CommandError both exit 1 or 2.
    smeladder = Path(sys.executable).with_name("smeladder")
    for args, message in (
        (["screen"], "--on"),
        (["screen", "--on", "2026-05-01", "--division", "x"], "2, 4 or 6 digits"),
    ):
        proc = subprocess.run(
            [str(smeladder), *args],
            capture_output=True,
            text=True,
            env={
                "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3",
                "DEBUG": "1",
                "PATH": "/usr/bin:/bin",
            },
            check=False,
        )
        assert proc.returncode != 0, proc.stdout + proc.stderr
        assert message in proc.stderr


def test_emit_sql_prints_each_rulebook_and_screens_nothing(firms) -> None:
    out = io.StringIO()
    call_command(
        "screen",
        "--on",
        "2026-03-31",
        "--standard",
        "specialized_sme",
        "--emit-sql",
        "duckdb",
        stdout=out,
    )
    text = out.getvalue()
    assert text.startswith("-- specialized_sme miit-2022-63-annex2 2026-03-31\nSELECT ")
    assert "DOUBLE PRECISION" not in text  # DuckDB spelling
    assert not ScreeningRun.objects.exists()
    with pytest.raises(CommandError, match="未知的 SQL 方言"):
        call_command("screen", "--on", "2026-03-31", "--emit-sql", "oracle", stdout=io.StringIO())
