"""Engine behaviour not tied to one rulebook's numbers."""

from __future__ import annotations

import copy
from datetime import date

from smeladder.standards import UNKNOWN, Interval, assess
from smeladder.standards.cases import cases_of

FIRMS = cases_of("innovative_sme")["firms"]
ON = date(2026, 5, 1)


def test_explicit_null_is_not_zero() -> None:
    facts = copy.deepcopy(FIRMS["E1"])
    facts["annual"]["2025"]["rd_expense"] = None
    result = assess(facts, "innovative_sme", ON)
    assert result.outcome == "undetermined"
    assert result.missing == ("annual.2025.rd_expense",)
    assert result.score_range == (70, 90)


def test_zero_denominator_is_undetermined_not_zero() -> None:
    facts = copy.deepcopy(FIRMS["E1"])
    facts["annual"]["2024"]["main_revenue"] = 0
    result = assess(facts, "innovative_sme", ON)
    assert result.check("main_revenue_growth").passed is None
    assert result.missing == ("annual.2024.main_revenue (is 0)",)


def test_title_without_end_date_is_valid() -> None:
    facts = copy.deepcopy(FIRMS["E4"])  # fails on score (35)
    facts["titles"] = [{"code": "hnte", "valid_from": "2024-01-01", "valid_to": None}]
    result = assess(facts, "innovative_sme", ON)
    assert (result.outcome, result.route) == ("pass", "direct")


def test_a_check_explains_what_it_waits_on() -> None:
    facts = copy.deepcopy(FIRMS["E1"])
    del facts["awards"]
    check = assess(facts, "innovative_sme", ON).check("direct_award")
    assert check.passed is None and check.missing == ("awards",)


def test_points_from_an_unknown_number_span_the_check() -> None:
    from smeladder.standards.checks import Context, evaluate_check
    from smeladder.standards.facts import Facts

    definition = {
        "code": "x",
        "max_points": 10,
        "points": {"max": [{"fact": "annual.{L}.revenue"}, 0]},
    }
    got = evaluate_check(definition, Context(Facts({}), ON))
    assert (got.points, got.passed) == (Interval(0, 10), UNKNOWN)
    known = evaluate_check(definition, Context(Facts({"annual": {"2025": {"revenue": 7}}}), ON))
    assert (known.points, known.passed) == (7, True)
