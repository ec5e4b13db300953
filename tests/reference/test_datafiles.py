"""The packaged CSVs are consistent with each other and with what the code assumes."""

from __future__ import annotations

import hashlib
from collections import Counter
from importlib.resources import files

import pytest

from smeladder.reference import datafiles


def test_history_in_use_codes_equal_2024_list() -> None:
    current = {r["code"]: r for r in datafiles.current_division_rows()}
    in_use = {r["code"]: r for r in datafiles.division_rows() if r["status"] == "current"}
    assert len(current) == 3213
    assert in_use.keys() == current.keys()
    assert all(in_use[c]["name"] == current[c]["name"] for c in current)
    assert all(in_use[c]["level"] == current[c]["level"] for c in current)


def test_division_rows_shape() -> None:
    rows = datafiles.division_rows()
    assert len(rows) == 6823
    assert len({r["code"] for r in rows}) == 6450
    # (code, since_year) identifies a period: the model's unique constraint relies on it.
    assert len({(r["code"], r["since_year"]) for r in rows}) == 6823
    assert Counter(r["status"] for r in rows) == {"current": 3213, "retired": 3237, "changed": 373}
    assert all((r["until_year"] is None) == (r["status"] == "current") for r in rows)
    assert all(r["since_year"] >= 1981 for r in rows)
    assert all(r["until_year"] is None or r["until_year"] >= r["since_year"] for r in rows)


def test_every_successor_entry_parses() -> None:
    for row in datafiles.division_rows():
        for code, year in datafiles.parse_successors(row["successors"]):
            assert len(code) == 6 and (year is None or 1981 <= year <= 2024)


def test_parse_successors() -> None:
    assert datafiles.parse_successors("") == []
    assert datafiles.parse_successors("130108[2001];130111") == [
        ("130108", 2001),
        ("130111", None),
    ]
    with pytest.raises(ValueError):
        datafiles.parse_successors("13010")


def test_historical_prefecture_resolved_by_name() -> None:
    rows = [r for r in datafiles.division_rows() if r["code"] == "132201"]
    assert {r["prefecture_code"] for r in rows} == {"132200"}  # 邢台地区
    zhangdian = next(r for r in datafiles.division_rows() if r["code"] == "370303")
    assert zhangdian["prefecture_code"] == "370300"
    dongcheng = next(r for r in datafiles.division_rows() if r["code"] == "110101")
    assert dongcheng["prefecture_code"] == ""  # municipality district: no prefecture


def test_industry_tree() -> None:
    rows = datafiles.industry_rows()
    assert Counter(r["level"] for r in rows) == {
        "section": 20,
        "division": 97,
        "group": 473,
        "class": 1382,
    }
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows)
    for row in rows:
        if row["level"] == "section":
            assert row["parent_code"] == "" and row["code"] == row["section"]
        else:
            assert row["parent_code"] in codes
        if row["level"] in {"group", "class"}:
            assert row["code"].startswith(row["parent_code"])
        if row["level"] != "class":
            assert not (row["strategic_emerging"] or row["hightech_mfg"] or row["digital_core"])


def test_sei_map_agrees_with_industry_file() -> None:
    by_code = {r["code"]: r for r in datafiles.industry_rows() if r["level"] == "class"}
    sei = datafiles.read_csv(datafiles.SEI_MAP)
    assert len(sei) == 469
    assert {r["nic_code"] for r in sei} == {
        c for c, r in by_code.items() if r["strategic_emerging"]
    }
    for row in sei:
        cls = by_code[row["nic_code"]]
        assert cls["strategic_partial"] == (row["partial_star"] == "Y")
        assert cls["sei2018_category"] == row["sei2018_category_paths"]


def test_hightech_tree() -> None:
    rows = datafiles.hightech_rows()
    assert Counter(r["level"] for r in rows) == {1: 8, 2: 52, 3: 254}
    codes = {r["code"] for r in rows}
    for row in rows:
        assert len(row["code"]) == {1: 2, 2: 3, 3: 5}[row["level"]]
        assert (row["parent_code"] == "") == (row["level"] == 1)
        if row["parent_code"]:
            assert row["parent_code"] in codes and row["code"].startswith(row["parent_code"])


RAW_SHA256 = {
    # Guard "keep files unchanged": a deliberate update must change this table too.
    "gbt2260_mca_divisions_2024.csv": (
        "6c3b150e837bacaad02ed1eb1222b030747026021de9c80beb7179235adb2a79"
    ),
    "gbt2260_mca_division_history_1981_2024.csv": (
        "e3b69e8e13fcb3151b5cd6a03674f89e043f301f308dcb67283533f1a8239794"
    ),
    "gbt4754_2017_industry_classification.csv": (
        "b263065e7c71c8d9c58a0c0d345b5b204f139c00427d2ec6d473d728de65e139"
    ),
    "sei2018_to_gbt4754_map.csv": (
        "2cfd91272068fe5d2a0193dfd2c29dee2e8d464c7f4b8d83b21f19ee0b9d6e45"
    ),
    "hightech_fields_2016.csv": (
        "5543713430d1687618ba4a2a1af111901bbe62d15007d7d800c2f9b34485baab"
    ),
}


@pytest.mark.parametrize("name", sorted(RAW_SHA256))
def test_packaged_files_unchanged(name: str) -> None:
    data = files("smeladder.reference").joinpath("data", name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == RAW_SHA256[name]
