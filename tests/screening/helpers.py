"""Enterprises for the screening tests, loaded through the registry's import command."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from tests.registry.fixtures import make_uscc

#: firm E1 of the innovative_sme rule cases (standards.md §9.1): passes with 90 points in 2026
BASE: dict[str, Any] = {
    "industry_code": "C3484",
    "founded_on": "2015-03-01",
    "flags": {
        "abnormal_operations_list": False,
        "serious_dishonesty_list": False,
        "major_incident_3y": False,
        "restricted_products": False,
    },
    "annual": {
        "2025": {
            "revenue": 20000000,
            "main_revenue": 14000000,
            "rd_expense": 1000000,
            "total_assets": 30000000,
            "total_liabilities": 16500000,
            "employees": 300,
        },
        "2024": {
            "revenue": 16000000,
            "main_revenue": 12500000,
            "rd_expense": 800000,
            "total_assets": 28000000,
            "total_liabilities": 14000000,
            "employees": 280,
        },
        "2023": {"revenue": 10000000, "main_revenue": 9500000, "rd_expense": 400000},
    },
    "ip": {"class1_high_value": 0, "class1_self_developed": 1, "class1": 1, "class2": 4},
    "main_product": {"strategic_emerging": True},
    "rd_institution": "city",
    "equity_financing": {"2023": 0, "2024": 0, "2025": 0},
}


def firm(n: int, division: str = "370303", **changes: Any) -> dict[str, Any]:
    obj = copy.deepcopy(BASE)
    obj.update(uscc=make_uscc(n, division), name=f"筛选测试企业{n}", division_code=division)
    for path, value in changes.items():
        node = obj
        *parents, last = path.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return obj


def load(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    path = tmp_path / "firms.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    call_command("import", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def city(tmp_path: Path) -> list[dict[str, Any]]:
    """Seven firms in two districts of 淄博 and one in 济南: passes, fails, undetermined."""
    records = [
        firm(1),  # 90 points: pass
        firm(2, annual__2025__rd_expense=200000),  # lower R&D ratio, fewer points
        firm(3, flags__abnormal_operations_list=True),  # excluded: fail
        firm(4, annual__2025__rd_expense=None),  # R&D unknown: score range / undetermined
        firm(5, "370304"),
        firm(6, "370304", ip__class2=0, rd_institution="none"),
        firm(7, "370304", annual=None, ip=None),  # almost nothing known
        firm(8, "370102"),  # 济南
    ]
    load(tmp_path, records)
    return records
