"""Working days on the official Chinese calendar (国务院办公厅 holiday notices: public holidays
and make-up working days), from the pinned `chinese_calendar` package.

The package only knows the years it was released for. A date outside them raises
`CalendarNotCovered` — never a guess from the weekday, because a deadline that silently ignores
next year's Spring Festival would be wrong by a week. Updating the pin is the fix."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class CalendarNotCovered(ValueError):
    """The holiday calendar has no data for this date's year."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        version = getattr(chinese_calendar, "__version__", "")
        super().__init__(
            f"法定节假日日历（chinese_calendar {version}）尚无 {day.year} 年数据，"
            f"无法计算 {day.isoformat()} 是否为工作日；请升级该软件包后再计算办理时限"
        )


@lru_cache(maxsize=8192)
def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # the package's answer for a year it does not cover
        raise CalendarNotCovered(day) from None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date on which the `days`-th working day after `start` falls (`start` itself does not
    count). 0 days: `start`."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += ONE_DAY
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many of a deadline's days have passed from `start` to
    `end`. 0 when `end` is not after `start`."""
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count
