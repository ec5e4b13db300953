"""Working days on the official calendar (chinese_calendar), and a clear refusal beyond it."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.casework.calendar import (
    CalendarNotCovered,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = dt.date


def test_national_day_2026_and_its_make_up_saturday():
    assert not is_working_day(D(2026, 10, 1))
    assert not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))  # Saturday, a make-up working day
    assert not is_working_day(D(2026, 10, 11))  # Sunday


def test_add_working_days_skips_the_holiday():
    # 9-30, 10-8, 10-9, 10-10 (Sat, make-up), 10-12
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)
    assert add_working_days(D(2026, 9, 29), 1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 9, 29), 0) == D(2026, 9, 29)


def test_counting_is_the_inverse_of_adding():
    start = D(2026, 9, 20)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_working_days_between_excludes_the_start_and_includes_the_end():
    assert working_days_between(D(2026, 9, 29), D(2026, 9, 30)) == 1
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert working_days_between(D(2026, 10, 12), D(2026, 10, 1)) == 0


def test_a_year_the_package_does_not_know_is_an_error_not_a_weekday():
    with pytest.raises(CalendarNotCovered) as err:
        add_working_days(D(2026, 12, 28), 5)  # runs into 2027
    assert "2027" in str(err.value)
    assert "chinese_calendar" in str(err.value)
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2030, 1, 2))
