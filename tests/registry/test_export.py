"""`smeladder export`: deterministic output and round trips through every format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from smeladder.registry.models import Enterprise, Title
from tests.registry.fixtures import RICH_JSON, enterprise, make_uscc, write_json


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def load(path: Path, *args: str) -> None:
    call_command("import", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())


def wipe() -> None:
    Enterprise.objects.all().delete()  # cascades to every child table


@pytest.fixture
def rich(db) -> str:
    load(RICH_JSON)
    return RICH_JSON.read_text(encoding="utf-8")


def test_export_of_rich_fixture_is_the_fixture(rich: str) -> None:
    # The fixture covers every key and is in canonical form: import then export gives it back
    # byte for byte (key order, indent 2, trailing newline, integers for whole amounts).
    assert export() == rich


def test_json_round_trip_is_byte_identical(rich: str, tmp_path: Path) -> None:
    first = export()
    path = tmp_path / "first.json"
    path.write_text(first, encoding="utf-8")
    wipe()
    load(path)
    assert export() == first


def test_jsonl_round_trip(rich: str, tmp_path: Path) -> None:
    lines = export("--format", "jsonl")
    assert len(lines.splitlines()) == 2
    path = tmp_path / "a.jsonl"
    path.write_text(lines, encoding="utf-8")
    wipe()
    load(path)
    assert export() == rich


def test_xlsx_round_trip(rich: str, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    call_command("export", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    wipe()
    load(path)
    assert export() == rich


def test_output_file_and_division_filter(db, tmp_path: Path) -> None:
    records = [enterprise(1), {**enterprise(2), "division_code": "370304"}]
    load(write_json(tmp_path / "in.json", records))
    out = tmp_path / "out.json"
    call_command("export", "--division", "370304", "--output", str(out), stderr=io.StringIO())
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [e["division_code"] for e in exported] == ["370304"]


def test_sorted_by_uscc_and_numbers_are_plain(db, tmp_path: Path) -> None:
    records = [
        enterprise(9, annual={"2025": {"revenue": 100.10, "net_profit": 5}}),
        enterprise(1, main_product={"market_share": 0.5}),
    ]
    load(write_json(tmp_path / "in.json", records))
    text = export()
    assert text.index(make_uscc(1)) < text.index(make_uscc(9))
    assert '"revenue": 100.1,' in text  # not "100.10", not 100.09999999
    assert '"net_profit": 5\n' in text  # not 5.00
    assert '"market_share": 0.5' in text
    assert text.endswith("}\n]\n")
    assert "测试企业" in text  # ensure_ascii=False


def test_empty_registry(db) -> None:
    assert export() == "[]\n"
    assert json.loads(export()) == []


def test_title_status_and_empty_texts(db, tmp_path: Path) -> None:
    title = {"code": "hnte", "level": "national", "valid_from": "2099-01-01"}
    load(write_json(tmp_path / "in.json", [enterprise(1, titles=[title])]))
    assert Title.objects.get().batch == ""
    exported = json.loads(export())[0]["titles"]
    assert exported == [{**title, "status": "active"}]  # no valid_to, no empty batch
