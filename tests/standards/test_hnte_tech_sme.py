"""高企 (32号) and 科技型 (115号) rulebooks: what their YAML rule cases cannot express."""

from __future__ import annotations

from datetime import date

import pytest

from smeladder.standards import assess
from smeladder.standards.cases import cases_of
from smeladder.standards.facts_check import check_record
from smeladder.standards.rulebook import NoRulebookInForce, rulebook_for

HNTE = cases_of("hnte")
TECH = cases_of("tech_sme")


@pytest.mark.parametrize("data", [HNTE, TECH], ids=["hnte", "tech_sme"])
def test_case_firms_are_well_formed_facts(data) -> None:
    for firm in data["firms"].values():
        assert check_record(firm) == []


@pytest.mark.parametrize(
    ("standard", "first_day"), [("hnte", date(2016, 1, 1)), ("tech_sme", date(2017, 5, 3))]
)
def test_in_force_from_its_first_day(standard: str, first_day: date) -> None:
    assert rulebook_for(standard, first_day).in_force_from == first_day
    with pytest.raises(NoRulebookInForce):
        rulebook_for(standard, date.fromordinal(first_day.toordinal() - 1))


def test_hnte_results_do_not_depend_on_the_band_edge_setting() -> None:
    for firm in HNTE["firms"].values():
        higher = assess(firm, "hnte", date(2026, 5, 1)).to_dict()
        lower = assess(firm, "hnte", date(2026, 5, 1), band_edge="lower_points").to_dict()
        assert higher == lower
