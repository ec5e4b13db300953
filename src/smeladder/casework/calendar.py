"""Working days on the official Chinese calendar (国务院办公厅 holiday notices: public holidays
and make-up working days): the pinned `chinese_calendar` package, and for the years it does not
know yet the arrangement a city admin entered from the State Council's notice
(`HolidayArrangement`, see models/holidays.py).

A date neither knows raises `CalendarNotCovered` — never a guess from the weekday, because a
deadline that silently ignores next year's Spring Festival would be wrong by a week.

Days of the package's years are answered without the table (but for its last December, which
the next year's notice may reach). The entered arrangement is read into memory in one query and
kept for `REFRESH_SECONDS`; the holiday actions drop it at once in their own process. Deadlines
of thousands of cases thus cost no query per day looked up."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar
from chinese_calendar.constants import holidays as PACKAGE_HOLIDAYS

ONE_DAY = dt.timedelta(days=1)
#: how long another process may use an arrangement read before an admin's edit
REFRESH_SECONDS = 60.0
#: the years the pinned package knows (chinese_calendar 1.11.0: 2004–2026)
PACKAGE_YEARS = range(min(PACKAGE_HOLIDAYS).year, max(PACKAGE_HOLIDAYS).year + 1)


class CalendarNotCovered(ValueError):
    """The holiday calendar has no data for this date's year."""

    def __init__(self, day: dt.date, missing: list[str] | None = None) -> None:
        self.day = day
        version = getattr(chinese_calendar, "__version__", "")
        partial = f"（已录入的该年安排不完整，缺少{'、'.join(missing)}）" if missing else ""
        super().__init__(
            f"法定节假日日历（chinese_calendar {version}）尚无 {day.year} 年数据，"
            f"后台也未录入该年的节假日安排{partial}，无法计算 {day.isoformat()} 是否为工作日；"
            f"请按国务院办公厅公布的 {day.year} 年节假日安排通知录入（管理后台或 "
            "smeladder load_holidays）后再计算办理时限"
        )


@dataclass
class Supplement:
    """The entered arrangements, as read at `read_at`."""

    #: day → is it a working day (a holiday or a make-up working day of a complete year)
    days: dict[dt.date, bool] = field(default_factory=dict)
    #: the years whose arrangement is complete (every festival given)
    years: frozenset[int] = frozenset()
    #: incomplete years → the festivals still missing
    partial: dict[int, list[str]] = field(default_factory=dict)
    read_at: float = 0.0
    #: answers given so far (lives and dies with this reading)
    answers: dict[dt.date, bool] = field(default_factory=dict)


_current: Supplement | None = None
_lock = threading.Lock()


def _read() -> Supplement:
    from .models import ArrangedDay, HolidayArrangement
    from .models.holidays import missing_festivals

    by_year: dict[int, list[ArrangedDay]] = {}
    for year, day, kind, name in HolidayArrangement.objects.values_list(
        "year", "day", "kind", "name"
    ):
        by_year.setdefault(year, []).append(ArrangedDay(day, kind, name))
    supplement = Supplement(read_at=time.monotonic())
    complete = set()
    for year, items in by_year.items():
        missing = missing_festivals(items)
        if missing:
            supplement.partial[year] = missing
            continue
        # the package's own years are its business (an updated pin wins over the table)
        if year not in PACKAGE_YEARS:
            complete.add(year)
            for item in items:
                supplement.days[item.day] = item.kind == HolidayArrangement.Kind.WORKDAY
    supplement.years = frozenset(complete)
    return supplement


def supplement() -> Supplement:
    """The entered arrangements, read again when older than REFRESH_SECONDS."""
    global _current
    current = _current
    if current is None or time.monotonic() - current.read_at > REFRESH_SECONDS:
        with _lock:
            current = _current = _read()
    return current


def forget_supplement() -> None:
    """Read the table again on the next lookup (after an edit, in the process that made it)."""
    global _current
    _current = None


@lru_cache(maxsize=8192)
def _package_answer(day: dt.date) -> bool | None:
    """The package's answer; None for a year it does not cover."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def is_working_day(day: dt.date) -> bool:
    if day.year in PACKAGE_YEARS and (day.year, day.month) != (PACKAGE_YEARS[-1], 12):
        # the package's years, without the table: the next year's notice may only move a day
        # of the package's last December (a New Year holiday or its make-up Saturday)
        return bool(_package_answer(day))
    entered = supplement()
    known = entered.answers.get(day)
    if known is not None:
        return known
    answer = entered.days.get(day)  # an arranged day of a year the package does not know
    if answer is None:
        answer = _package_answer(day)
    if answer is None:
        if day.year not in entered.years:
            raise CalendarNotCovered(day, entered.partial.get(day.year))
        answer = day.weekday() < 5  # an ordinary day of an entered year
    entered.answers[day] = answer
    return answer


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
