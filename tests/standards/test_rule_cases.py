"""Rule cases kept as data beside each rulebook (``rulebooks/<standard>/*.cases.json``).

Expected values are transcribed from standards.md (§9 worked examples, the band tables), not
taken from the engine's output.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest

from smeladder.standards import assess
from smeladder.standards.rulebook import RULEBOOK_DIR

CASE_FILES = sorted(RULEBOOK_DIR.rglob("*.cases.json"))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _remove(facts: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node = facts
    for part in parents:
        node = node[part]
    del node[last]


def _cases() -> list[Any]:
    params = []
    for path in CASE_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(
                pytest.param(
                    data["standard"], data["firms"], case, id=f"{path.stem}:{case['name']}"
                )
            )
    return params


def test_every_rulebook_has_cases() -> None:
    rulebooks = {p for p in RULEBOOK_DIR.rglob("*.json") if not p.name.endswith(".cases.json")}
    with_cases = {p.with_name(p.name.replace(".cases.json", ".json")) for p in CASE_FILES}
    assert rulebooks == with_cases


@pytest.mark.parametrize(("standard", "firms", "case"), _cases())
def test_rule_case(standard: str, firms: dict[str, Any], case: dict[str, Any]) -> None:
    facts = _merge(firms[case["firm"]], case.get("facts", {}))
    for path in case.get("remove", ()):
        _remove(facts, path)
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
