"""Working days on the official calendar (chinese_calendar), the years entered from the State
Council's notice beyond it (made-up years here), and a clear refusal where neither knows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from smeladder.accounts.models import AuditEvent
from smeladder.casework.actions import holidays as actions_holidays
from smeladder.casework.actions.errors import InvalidInput, NotAllowed
from smeladder.casework.calendar import (
    CalendarNotCovered,
    add_working_days,
    forget_supplement,
    is_working_day,
    working_days_between,
)
from smeladder.casework.models import HolidayArrangement

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


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_is_an_error_not_a_weekday():
    with pytest.raises(CalendarNotCovered) as err:
        add_working_days(D(2026, 12, 28), 5)  # runs into 2027
    assert "2027" in str(err.value)
    assert "chinese_calendar" in str(err.value)
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2030, 1, 2))


# --- the maintained supplement: years entered from the State Council's notice ---------------
# Made-up years only (2098, 2099): the real arrangement of a year is known once it is published.


@pytest.fixture(autouse=True)
def fresh_supplement() -> Iterator[None]:
    # the calendar keeps what it read in the process; a test's rolled-back rows must not stay
    forget_supplement()
    yield
    forget_supplement()


def made_up(year: int, *, leave_out: str = "", notice: str = "") -> dict[str, Any]:
    """A fictional arrangement in the command's format: each festival a few days off from a
    fixed date, and the Saturday after them worked."""
    starts = {
        "元旦": (1, 1, 3),
        "春节": (2, 2, 8),
        "清明节": (4, 4, 3),
        "劳动节": (5, 1, 5),
        "端午节": (6, 9, 3),
        "中秋节": (9, 15, 3),
        "国庆节": (10, 1, 7),
    }
    festivals = []
    for name, (month, day, length) in starts.items():
        if name == leave_out:
            continue
        first = D(year, month, day)
        last = first + dt.timedelta(days=length - 1)
        saturday = last + dt.timedelta(days=(5 - last.weekday()) % 7 or 7)
        festivals.append(
            {
                "name": name,
                "holidays": [f"{first.isoformat()}..{last.isoformat()}"],
                "workdays": [saturday.isoformat()],
            }
        )
    return {
        "year": year,
        "notice": notice or f"虚构测试〔{year - 1}〕1号",
        "festivals": festivals,
    }


def load(tmp_path: Path, data: Any, *args: str) -> str:
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("load_holidays", str(path), *args, stdout=out)
    return out.getvalue()


def test_a_year_entered_from_the_notice_gives_working_days(db, tmp_path):
    assert "2099 年：" in load(tmp_path, made_up(2099))
    # 国庆节 2099-10-01 (Thursday) .. 10-07 off; Saturday 10-10 worked
    week = "".join("W" if is_working_day(D(2099, 10, d)) else "-" for d in range(1, 13))
    # Thu 8, Fri 9 worked, Sat 10 the make-up day, Sun 11 off, Mon 12 worked
    assert week == "-------WWW-W"
    assert is_working_day(D(2099, 3, 4))  # an ordinary Wednesday
    assert not is_working_day(D(2099, 3, 7))  # an ordinary Saturday
    assert add_working_days(D(2099, 9, 30), 3) == D(2099, 10, 10)  # 8th, 9th, make-up 10th
    assert working_days_between(D(2099, 9, 30), D(2099, 10, 12)) == 4
    with pytest.raises(CalendarNotCovered) as err:  # the year after: nobody knows it
        add_working_days(D(2099, 12, 28), 5)
    assert "2100" in str(err.value) and "load_holidays" in str(err.value)
    record = AuditEvent.objects.get(action="casework.load_holidays")
    assert (record.object_id, record.changes["holidays"], record.changes["workdays"]) == (
        "2099",
        32,
        7,
    )


def test_a_partial_year_is_refused_whole(db, tmp_path):
    with pytest.raises(CommandError) as err:
        load(tmp_path, made_up(2099, leave_out="中秋节"))
    assert "缺少：中秋节" in str(err.value)
    assert not HolidayArrangement.objects.exists()
    with pytest.raises(CalendarNotCovered):
        is_working_day(D(2099, 3, 4))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["festivals"][0]["workdays"].append("2099-03-04"), "应为周六或周日"),
        (lambda d: d["festivals"][0]["holidays"].append("2097-06-01"), "不在 2099 年的安排范围"),
        (lambda d: d["festivals"][1]["holidays"].append("2099-01-02"), "2099-01-02 重复出现"),
        (lambda d: d["festivals"].append({"name": "植树节", "holidays": ["2099-03-12"]}), "植树节"),
        (lambda d: d["festivals"][0]["holidays"].append("2099-13-01"), "不是 YYYY-MM-DD"),
        (lambda d: d.update(notice=" "), "通知文号"),
        (lambda d: d.update(year=2026), "已包含 2026 年"),
    ],
)
def test_a_wrong_day_refuses_the_file(db, tmp_path, change, message):
    data = made_up(2099)
    change(data)
    with pytest.raises(CommandError) as err:
        load(tmp_path, data)
    assert message in str(err.value)
    assert not HolidayArrangement.objects.exists()


def test_check_only_and_reloading_replaces_the_year(db, tmp_path):
    assert "检查通过" in load(tmp_path, made_up(2099), "--check")
    assert not HolidayArrangement.objects.exists()
    load(tmp_path, [made_up(2098), made_up(2099)])
    corrected = made_up(2099, notice="虚构测试〔2098〕2号")
    corrected["festivals"][6]["holidays"] = ["2099-10-01..2099-10-08"]  # one more day off
    load(tmp_path, corrected)
    assert set(HolidayArrangement.objects.filter(year=2099).values_list("notice", flat=True)) == {
        "虚构测试〔2098〕2号"
    }
    assert not is_working_day(D(2099, 10, 8))
    assert HolidayArrangement.objects.filter(year=2098).count() == 39  # the other year stays


def test_a_day_of_the_next_notice_in_december_moves_that_day(db, tmp_path):
    spill = made_up(2099)
    spill["festivals"][0]["workdays"].append("2098-12-27")  # a Saturday worked for New Year
    load(tmp_path, [made_up(2098), spill])
    assert D(2098, 12, 27).weekday() == 5
    assert is_working_day(D(2098, 12, 27))
    assert not is_working_day(D(2098, 12, 28))  # the Sunday after: still a weekend


def test_a_year_typed_in_day_by_day_counts_once_complete(db, world):
    def enter(day: dt.date, kind: str, name: str) -> None:
        actions_holidays.save_day(
            HolidayArrangement(year=2099, day=day, kind=kind, name=name, notice="虚构"), world.city
        )

    enter(D(2099, 1, 1), "holiday", "元旦")
    with pytest.raises(CalendarNotCovered) as err:
        is_working_day(D(2099, 3, 4))
    assert "不完整" in str(err.value) and "春节" in str(err.value)
    for name, day in [
        ("春节", 2),
        ("清明节", 4),
        ("劳动节", 5),
        ("端午节", 6),
        ("国庆节、中秋节", 10),
    ]:
        enter(D(2099, day, 5), "holiday", name)
    assert is_working_day(D(2099, 3, 4))
    assert not is_working_day(D(2099, 10, 5))
    with pytest.raises(NotAllowed):  # a district's official does not set the city's calendar
        actions_holidays.save_day(
            HolidayArrangement(
                year=2099, day=D(2099, 10, 6), kind="holiday", name="国庆节", notice="虚构"
            ),
            world.zhangdian,
        )


def test_lookups_cost_one_query_however_many_days(db, tmp_path, django_assert_max_num_queries):
    load(tmp_path, [made_up(2098), made_up(2099)])
    forget_supplement()
    with django_assert_max_num_queries(1):
        assert working_days_between(D(2098, 1, 1), add_working_days(D(2098, 1, 1), 400)) == 400
    with django_assert_max_num_queries(0):
        for day in range(200):
            is_working_day(D(2099, 1, 1) + dt.timedelta(days=day))
    # the package's own years never read the table
    forget_supplement()
    with django_assert_max_num_queries(0):
        add_working_days(D(2025, 1, 1), 300)


def test_the_admin_enters_a_day_through_the_action(db, client, world):
    from smeladder.accounts.models import User

    boss = User.objects.create_superuser("boss", password="pw-for-tests")
    client.force_login(boss)
    response = client.post(
        "/admin/casework/holidayarrangement/add/",
        {"year": 2099, "day": "2099-01-01", "kind": "holiday", "name": "元旦", "notice": "虚构"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="casework.holiday_day", actor=boss).exists()
    response = client.post(  # a make-up day on a Tuesday, a year the package knows
        "/admin/casework/holidayarrangement/add/",
        {"year": 2026, "day": "2026-03-03", "kind": "workday", "name": "春节", "notice": "虚构"},
    )
    assert response.status_code == 200
    assert "应为周六或周日" in response.content.decode()
    assert "已包含 2026 年" in response.content.decode()
    assert HolidayArrangement.objects.count() == 1
    page = client.get("/admin/casework/holidayarrangement/").content.decode()
    assert "2099 年的安排尚不完整" in page
    from django.contrib.auth.models import Permission

    may_edit = Permission.objects.filter(codename__endswith="_holidayarrangement")
    assert may_edit.count() == 4
    for official in (world.city, world.zhangdian):
        official.is_staff = True
        official.save()
        official.user_permissions.set(may_edit)
    client.force_login(world.city)
    assert client.get("/admin/casework/holidayarrangement/add/").status_code == 200
    # a district's official, even with the permissions, does not set the city's calendar
    client.force_login(world.zhangdian)
    assert client.get("/admin/casework/holidayarrangement/add/").status_code == 403


def test_the_action_checks_a_day_like_the_form(db, world):
    with pytest.raises(InvalidInput) as err:
        actions_holidays.save_day(
            HolidayArrangement(year=2099, day=D(2099, 3, 4), kind="workday", name="春节"),
            world.city,
        )
    assert "应为周六或周日" in str(err.value) and "通知文号" in str(err.value)
    assert not HolidayArrangement.objects.exists()
