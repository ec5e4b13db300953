"""The six worked examples of standards.md §9, end to end through ``smeladder assess``.

The firms E1–E6 (§9.1) are in docs/examples/standards-worked-examples.jsonl (money in yuan; the
高企 expert sub-scores §9.6 assumes are given as ``expert_scores``). Expected outcomes and scores
are transcribed from the §9 tables.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smeladder.standards.cli_assess import run

EXAMPLES = Path(__file__).resolve().parents[2] / "docs/examples/standards-worked-examples.jsonl"
FIRMS = ("E1", "E2", "E3", "E4", "E5", "E6")

# standard → per firm (outcome, score or class); None = not compared. From §9.2–§9.7.
ON_2026_05_01 = {
    "sme_size": ["medium", "small", "medium", "medium", "small", "small"],  # §9.2
    "innovative_sme": [
        ("pass", 90),
        ("pass", 70),
        ("pass", 90),
        ("fail", 35),
        ("pass", 90),
        ("pass", 85),
    ],  # §9.3
    "specialized_sme": [
        ("fail", None),
        ("fail", None),
        ("pass", None),
        ("fail", None),
        ("pass", None),
        ("fail", None),
    ],  # §9.4(b)
    "little_giant": [None, None, ("pass", None), None, None, None],  # §9.5
    "single_champion": [None, None, ("fail", None), None, None, None],  # §9.5
    "hnte": [
        ("fail", None),
        ("fail", 50),
        ("pass", 83),
        ("fail", None),
        ("fail", 65),
        ("fail", None),
    ],  # §9.6
    "tech_sme": [
        ("pass", 78),
        ("pass", 88),
        ("pass", 82),
        ("fail", 0),
        ("pass", 100),
        ("fail", 80),
    ],  # §9.7
}
# 63号 Annex 2 (§9.4(a)) applies up to 2026-03-31; E2, E4, E6 are not scored there.
ON_2026_03_31 = {
    "specialized_sme": [("pass", 65), None, ("pass", 87), None, ("fail", 49), None],
    "little_giant": [None, None, ("pass", None), None, None, None],  # §9.5 63号 Annex 3
}


def _results(on: str) -> dict[tuple[str, str], dict]:
    text = EXAMPLES.read_text(encoding="utf-8")
    out = json.loads(run(text, on, None, "json"))
    return {(r["uscc"].split("-")[0], r["standard"]): r for r in out}


@pytest.mark.parametrize(
    ("on", "table"), [("2026-05-01", ON_2026_05_01), ("2026-03-31", ON_2026_03_31)]
)
def test_section_9_outcomes(on: str, table: dict) -> None:
    results = _results(on)
    for standard, row in table.items():
        for firm, want in zip(FIRMS, row, strict=True):
            if want is None:
                continue
            got = results[firm, standard]
            if standard == "sme_size":
                assert (got["outcome"], got["class"]) == ("pass", want), (firm, standard)
                continue
            outcome, score = want
            assert got["outcome"] == outcome, (firm, standard, got["outcome"])
            if score is not None:
                assert got["score"] == score, (firm, standard, got["score"])


def test_the_date_switch_picks_the_rulebooks() -> None:
    before, after = _results("2026-03-31"), _results("2026-04-01")
    assert before["E1", "specialized_sme"]["rulebook"] == "miit-2022-63-annex2"
    assert after["E1", "specialized_sme"]["rulebook"] == "miit-2026-2-annex1"
    # E1 passes 2022 with 65 and fails 2026 on 主营占比; E5 the reverse (§9.4 note).
    assert (
        before["E1", "specialized_sme"]["outcome"],
        after["E1", "specialized_sme"]["outcome"],
    ) == ("pass", "fail")
    assert (
        before["E5", "specialized_sme"]["outcome"],
        after["E5", "specialized_sme"]["outcome"],
    ) == ("fail", "pass")


def test_failures_explain_themselves_and_carry_verified_gaps() -> None:
    r = _results("2026-05-01")["E1", "specialized_sme"]
    failed = {c["code"] for c in r["checks"] if c["passed"] is False}
    assert failed  # the checks that decided it, each with its rule and source
    assert all(c["source"]["document"] and c["rule"] for c in r["checks"])
    assert r["gaps"] and all(g["verified"] for g in r["gaps"])
