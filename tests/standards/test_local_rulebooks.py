"""Provincial rulebooks (辽宁 瞪羚 / 独角兽, region "21") apply only to firms registered there.

The rule cases beside each rulebook cover the thresholds; what a case file cannot say — that a
firm elsewhere gets no rulebook at all — is tested here.
"""

from __future__ import annotations

from datetime import date

import pytest

from smeladder.standards import NoRulebookInForce, assess, assess_all
from smeladder.standards.cases import cases_of

LOCAL = ("gazelle", "unicorn")
ON = date(2026, 5, 1)


def _firm(standard: str, division_code: str | None) -> dict:
    firm = dict(cases_of(standard)["firms"]["E5"])
    if division_code is None:
        firm.pop("division_code", None)
    else:
        firm["division_code"] = division_code
    return firm


@pytest.mark.parametrize("standard", LOCAL)
def test_liaoning_firm_gets_the_liaoning_rulebook(standard: str) -> None:
    result = assess(_firm(standard, "210102"), standard, ON)
    assert result.rulebook == f"liaoning-2021-2-{standard}"


@pytest.mark.parametrize("standard", LOCAL)
@pytest.mark.parametrize("division_code", ["370303", "110101", "2", None])
def test_firm_outside_liaoning_has_no_rulebook(standard: str, division_code: str | None) -> None:
    with pytest.raises(NoRulebookInForce):
        assess(_firm(standard, division_code), standard, ON)


@pytest.mark.parametrize("standard", LOCAL)
def test_not_in_force_before_2021(standard: str) -> None:
    with pytest.raises(NoRulebookInForce):
        assess(_firm(standard, "210102"), standard, date(2020, 12, 31))


def test_assess_all_lists_local_standards_only_for_liaoning_firms() -> None:
    inside = {r.standard for r in assess_all(_firm("gazelle", "210102"), ON)}
    outside = {r.standard for r in assess_all(_firm("gazelle", "370303"), ON)}
    assert set(LOCAL) <= inside
    assert not set(LOCAL) & outside
