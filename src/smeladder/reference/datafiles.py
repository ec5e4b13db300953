"""Read the packaged reference CSVs into plain dicts (no Django imports).

Shared by ``lookups`` (in-memory API), the data migration and ``load_reference``, so
the three can never disagree about how a file is interpreted. Each ``*_rows()``
function returns one dict per model row, keyed by model field name.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

DIVISIONS_2024 = "gbt2260_mca_divisions_2024.csv"
DIVISION_HISTORY = "gbt2260_mca_division_history_1981_2024.csv"
INDUSTRY = "gbt4754_2017_industry_classification.csv"
SEI_MAP = "sei2018_to_gbt4754_map.csv"
HIGHTECH_FIELDS = "hightech_fields_2016.csv"

DIVISION_STATUS = {"在用": "current", "变更": "changed", "弃用": "retired"}
DIVISION_LEVEL = {"省级": "province", "地级": "prefecture", "县级": "county"}

# "370303[2003]" = territory passed to 370303 in 2003 while this code stayed in use;
# an undated code is a successor at the moment this code ended.
_SUCCESSOR_RE = re.compile(r"^(\d{6})(?:\[(\d{4})\])?$")


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a packaged CSV; ``utf-8-sig`` because the history file keeps its BOM."""
    text = files("smeladder.reference").joinpath("data", name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines(keepends=True)))


def parse_successors(text: str) -> list[tuple[str, int | None]]:
    """``"130108[2001];130111"`` → ``[("130108", 2001), ("130111", None)]``."""
    result: list[tuple[str, int | None]] = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        match = _SUCCESSOR_RE.match(part)
        if match is None:
            raise ValueError(f"unexpected successor entry {part!r} in {text!r}")
        year = match.group(2)
        result.append((match.group(1), int(year) if year else None))
    return result


@cache
def division_rows() -> tuple[dict[str, Any], ...]:
    """One dict per row of the 1981–2024 history, with 2024 prefecture info merged in."""
    current = {row["code"]: row for row in read_csv(DIVISIONS_2024)}
    history = read_csv(DIVISION_HISTORY)
    # Historical counties only carry their prefecture's *name*; resolve it to a code via
    # the prefecture-level row with the same 4-digit prefix and that name.
    prefecture_names: dict[tuple[str, str], str] = {
        (row["代码"][:4], row["名称"]): row["代码"] for row in history if row["级别"] == "地级"
    }
    rows: list[dict[str, Any]] = []
    for row in history:
        code = row["代码"]
        level = DIVISION_LEVEL[row["级别"]]
        status = DIVISION_STATUS[row["状态"]]
        province_code = code[:2] + "0000"
        origin = "history result.csv"
        if status == "current" and code in current:
            province_code = current[code]["province_code"]
            prefecture_code = current[code]["prefecture_code"]
            origin += "; prefecture from 2024.txt"
        elif level == "prefecture":
            prefecture_code = code
        elif level == "county":
            prefecture_code = prefecture_names.get((code[:4], row["二级行政区"]), "")
            if prefecture_code:
                origin += "; prefecture matched by name"
        else:
            prefecture_code = ""
        rows.append(
            {
                "code": code,
                "name": row["名称"],
                "level": level,
                "province_code": province_code,
                "prefecture_code": prefecture_code,
                "status": status,
                "since_year": int(row["启用时间"]),
                "until_year": int(row["变更/弃用时间"]) if row["变更/弃用时间"] else None,
                "successors": row["新代码"],
                "origin": origin,
            }
        )
    return tuple(rows)


@cache
def current_division_rows() -> tuple[dict[str, str], ...]:
    """The 2024 list as read (code, name, level, province_*, prefecture_*)."""
    return tuple(read_csv(DIVISIONS_2024))


@cache
def industry_rows() -> tuple[dict[str, Any], ...]:
    """One dict per GB/T 4754-2017 node (20 sections, 97/473/1382 divisions/groups/classes)."""
    rows: list[dict[str, Any]] = []
    for row in read_csv(INDUSTRY):
        rows.append(
            {
                "code": row["code"],
                "level": row["level"],
                "name": row["name"],
                "parent_code": row["parent_code"],
                "section": row["section"],
                "description": row["description"],
                "strategic_emerging": bool(row["sei2018_category"]),
                "strategic_partial": row["sei2018_partial"] == "Y",
                "sei2018_category": row["sei2018_category"],
                # Any tag in the catalogue counts, starred (partial) or not.
                "hightech_mfg": bool(row["hightech_mfg2017_category"]),
                "hightech_svc": bool(row["hightech_svc2018_category"]),
                "digital_core": bool(row["digital_core2021_category"]),
            }
        )
    return tuple(rows)


@cache
def hightech_rows() -> tuple[dict[str, Any], ...]:
    """《国家重点支持的高新技术领域》(2016): code, name, level (1–3), parent_code."""
    return tuple(
        {
            "code": row["code"],
            "name": row["name"],
            "level": int(row["level"]),
            "parent_code": row["parent_code"],
        }
        for row in read_csv(HIGHTECH_FIELDS)
    )


def iter_all() -> Iterator[tuple[str, tuple[dict[str, Any], ...]]]:
    """(model name, rows) for every table loaded from the packaged files."""
    yield "Division", division_rows()
    yield "IndustryCode", industry_rows()
    yield "HightechField", hightech_rows()
