from __future__ import annotations

import pytest

from smeladder.standards.logic import (
    UNKNOWN,
    Interval,
    all_,
    any_,
    at_least,
    compare,
    not_,
)


def test_unknown_refuses_truth_testing() -> None:
    with pytest.raises(TypeError):
        bool(UNKNOWN)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([True, True], True),
        ([True, UNKNOWN], UNKNOWN),
        ([False, UNKNOWN], False),
        ([], True),
    ],
)
def test_all(values: list[object], expected: object) -> None:
    assert all_(values) is expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([False, False], False),
        ([False, UNKNOWN], UNKNOWN),
        ([True, UNKNOWN], True),
    ],
)
def test_any(values: list[object], expected: object) -> None:
    assert any_(values) is expected


def test_not() -> None:
    assert not_(UNKNOWN) is UNKNOWN
    assert not_(True) is False


def test_at_least() -> None:
    assert at_least(2, [True, True, UNKNOWN]) is True
    assert at_least(2, [True, UNKNOWN, False]) is UNKNOWN
    assert at_least(2, [True, False, False]) is False


def test_compare_intervals_decide_only_when_both_ends_agree() -> None:
    assert compare("ge", Interval(60, 80), 60) is True
    assert compare("ge", Interval(40, 59), 60) is False
    assert compare("ge", Interval(50, 70), 60) is UNKNOWN
    assert compare("ge", UNKNOWN, 60) is UNKNOWN
    assert Interval(1, 2) + 3 == Interval(4, 5)


def test_missing_is_never_zero() -> None:
    assert compare("le", UNKNOWN, 0) is UNKNOWN
    assert compare("eq", UNKNOWN, False) is UNKNOWN


def test_null_has_no_order() -> None:
    assert compare("ge", None, 1) is UNKNOWN
    assert compare("eq", None, None) is True
