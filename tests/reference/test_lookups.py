"""lookups.py: pure in-memory API over the packaged CSVs (no database needed)."""

from __future__ import annotations

import dataclasses

import pytest

from smeladder.reference import lookups

ZIBO_COUNTIES = [
    ("370302", "淄川区"),
    ("370303", "张店区"),
    ("370304", "博山区"),
    ("370305", "临淄区"),
    ("370306", "周村区"),
    ("370321", "桓台县"),
    ("370322", "高青县"),
    ("370323", "沂源县"),
]


# --- divisions -----------------------------------------------------------------------


def test_current_division() -> None:
    assert lookups.division_status("370303") == "current"
    assert lookups.division_name("370303") == "张店区"
    assert lookups.division_successors("370303") == []


def test_current_code_with_partial_transfers_has_no_successors() -> None:
    # 桓台县 is still in use although part of it went to 张店区 in 2003 ("370303[2003]").
    assert lookups.division_status("370321") == "current"
    assert lookups.division_successors("370321") == []


def test_reused_code_reports_current_name() -> None:
    # 120110 was 东郊区 1981–1992 and has been 东丽区 since.
    assert lookups.division_status("120110") == "current"
    assert lookups.division_name("120110") == "东丽区"


def test_retired_code_is_historical_with_successors() -> None:
    # 栾城县 became 栾城区 (130111) in 2014; part had gone to 130108 in 2001.
    assert lookups.division_status("130124") == "historical"
    assert lookups.division_name("130124") == "栾城县"
    assert lookups.division_successors("130124") == ["130111", "130108"]


def test_successors_are_deduplicated() -> None:
    # 交河县: "132902[1982];132902"
    assert lookups.division_successors("132925") == ["132902"]


def test_retired_code_without_successor() -> None:
    # 邯郸地区 was abolished in 1993 with no 新代码.
    assert lookups.division_status("132100") == "historical"
    assert lookups.division_name("132100") == "邯郸地区"
    assert lookups.division_successors("132100") == []


def test_historical_name_and_successors_come_from_latest_period() -> None:
    # 132201 was 邢台市 1981–1983 (→ 130502;130503;130504), then 南宫市 1986–1993 (→ 130581).
    assert lookups.division_status("132201") == "historical"
    assert lookups.division_name("132201") == "南宫市"
    assert lookups.division_successors("132201") == ["130581"]


def test_renamed_then_retired_code_does_not_list_itself() -> None:
    # 132426 完县 was renamed 顺平县 in 1993 (新代码 = itself), then retired in 1994.
    assert lookups.division_name("132426") == "顺平县"
    assert lookups.division_successors("132426") == ["130636"]


@pytest.mark.parametrize(
    "code", ["379999", "000000", "37030", "3703030", "", "  ", "abcdef", "３７０３０３"]
)
def test_unknown_or_malformed_division(code: str) -> None:
    assert lookups.division_status(code) is None
    assert lookups.division_name(code) is None
    assert lookups.division_successors(code) == []


def test_non_string_division_input() -> None:
    assert lookups.division_status(370303) is None  # type: ignore[arg-type]
    assert lookups.division_status(None) is None  # type: ignore[arg-type]


def test_whitespace_is_ignored() -> None:
    assert lookups.division_status(" 370303\n") == "current"


def test_special_regions_are_current() -> None:
    assert lookups.division_status("710000") == "current"
    assert lookups.division_name("810000") is not None
    assert lookups.division_name("820000") is not None


def test_counties_of_zibo() -> None:
    # 淄博: 5 districts + 3 counties in the 2024 list.
    assert lookups.counties_of("370300") == ZIBO_COUNTIES


def test_counties_of_returns_a_copy() -> None:
    lookups.counties_of("370300").clear()
    assert len(lookups.counties_of("370300")) == 8


@pytest.mark.parametrize("code", ["370000", "370303", "110000", "379900", "", "3703"])
def test_counties_of_non_prefecture(code: str) -> None:
    # Provinces/municipalities, counties and unknown codes have no prefecture children.
    assert lookups.counties_of(code) == []


# --- industries ----------------------------------------------------------------------


@pytest.mark.parametrize("code", ["C3484", "3484", "c3484", " C3484 "])
def test_normalize_valid_class(code: str) -> None:
    assert lookups.normalize_industry_code(code) == "C3484"


@pytest.mark.parametrize(
    "code",
    [
        "A3484",  # wrong section letter
        "348",  # 中类
        "C348",
        "34",  # 大类
        "C34",
        "C",  # 门类
        "C34840",
        "CC3484",
        "9999",  # not in the standard
        "C 3484",
        "",
        "３４８４",  # full-width digits are not accepted
    ],
)
def test_normalize_rejects(code: str) -> None:
    assert lookups.normalize_industry_code(code) is None
    assert lookups.industry_class(code) is None


def test_normalize_keeps_leading_zero_sections() -> None:
    assert lookups.normalize_industry_code("0111") == "A0111"
    assert lookups.normalize_industry_code("111") is None


def test_industry_class_fields() -> None:
    cls = lookups.industry_class("3484")
    assert cls is not None
    assert (cls.code, cls.name, cls.section, cls.division) == ("C3484", "机械零部件加工", "C", "34")
    assert cls.strategic_emerging and cls.strategic_partial
    assert not cls.hightech_mfg and not cls.hightech_svc
    assert cls.digits == "3484"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cls.name = "x"  # type: ignore[misc]


def test_industry_classes_counts() -> None:
    classes = lookups.industry_classes()
    assert len(classes) == 1382
    assert len({c.code for c in classes}) == 1382
    assert {c.section for c in classes} == set("ABCDEFGHIJKLMNOPQRST")
    assert sum(c.strategic_emerging for c in classes) == 469
    assert sum(c.strategic_partial for c in classes) == 351
    assert all(c.strategic_emerging for c in classes if c.strategic_partial)
    assert sum(c.hightech_mfg for c in classes) == 85
    assert sum(c.hightech_svc for c in classes) == 97


# --- 高新技术领域 ---------------------------------------------------------------------


def test_hightech_field_levels() -> None:
    top = lookups.hightech_field("10")
    assert top is not None and top.name == "电子信息" and top.level == 1 and not top.is_leaf
    mid = lookups.hightech_field("101")
    assert mid is not None and mid.level == 2 and mid.parent_code == "10"
    leaf = lookups.hightech_field("10101")
    assert leaf is not None and leaf.name == "基础软件" and leaf.level == 3
    assert lookups.hightech_field("99") is None


@pytest.mark.parametrize("code", ["504", "505", "706", "10101"])
def test_hightech_leaves(code: str) -> None:
    assert lookups.is_hightech_leaf(code)


@pytest.mark.parametrize("code", ["10", "50", "101", "501", "", "50401", "99999"])
def test_hightech_non_leaves(code: str) -> None:
    assert not lookups.is_hightech_leaf(code)


def test_hightech_leaf_count() -> None:
    from smeladder.reference import datafiles

    leaves = [r["code"] for r in datafiles.hightech_rows() if lookups.is_hightech_leaf(r["code"])]
    assert len(leaves) == 254 + 3
