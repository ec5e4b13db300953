"""Rule cases kept as data beside each rulebook (``rulebooks/<standard>/*.cases.yaml``).

Expected values are transcribed from standards.md (§9 worked examples, the band tables), not
taken from the engine's output.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from smeladder.standards import assess
from smeladder.standards.cases import case_facts, case_files, load_cases, rulebook_path
from smeladder.standards.rulebook import RULEBOOK_DIR

CASE_FILES = case_files()


def _cases() -> list[Any]:
    params = []
    for path in CASE_FILES:
        data = load_cases(path)
        for case in data["cases"]:
            params.append(
                pytest.param(
                    data["standard"], data["firms"], case, id=f"{path.stem}:{case['name']}"
                )
            )
    return params


def test_every_rulebook_has_cases() -> None:
    rulebooks = set(RULEBOOK_DIR.rglob("*.json"))
    assert rulebooks == {rulebook_path(p) for p in CASE_FILES}


@pytest.mark.parametrize(("standard", "firms", "case"), _cases())
def test_rule_case(standard: str, firms: dict[str, Any], case: dict[str, Any]) -> None:
    facts = case_facts(firms, case)
    result = assess(
        facts, standard, date.fromisoformat(case["on"]), band_edge=case.get("band_edge")
    ).to_dict()
    expect = case["expect"]
    for key, value in expect.items():
        if key == "checks":
            continue
        assert result[key] == value, f"{key}: {result[key]!r} != {value!r}"
    checks = {c["code"]: c for c in result["checks"]}
    for code, fields in expect.get("checks", {}).items():
        for key, value in fields.items():
            got = checks[code].get(key)
            assert got == value, f"{code}.{key}: {got!r} != {value!r}"
