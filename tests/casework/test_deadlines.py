"""THE issue's test, with a frozen clock: a case filed on 2026-09-29 with a 5-working-day deadline
is due on 2026-10-12 (across the 2026 National Day holiday and the 2026-10-10 make-up Saturday);
pausing for the enterprise moves the due date; the scheduled job escalates the overdue case and
notifies. Plus the due-date rules on hand-built event logs."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import chinese_calendar
import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.casework import actions
from smeladder.casework.deadlines import compute, deadline_of
from smeladder.casework.models import Case, CaseMessage, Level, State, SupervisionNotice
from tests.frozen_clock import at

D = dt.date


def test_the_calendar_facts_this_test_relies_on():
    # checked against the package, not assumed
    assert chinese_calendar.get_holiday_detail(D(2026, 10, 1)) == (True, "National Day")
    assert chinese_calendar.is_workday(D(2026, 10, 10))  # Saturday, make-up day
    assert chinese_calendar.get_workdays(D(2026, 9, 30), D(2026, 10, 12)) == [
        D(2026, 9, 30),
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),
        D(2026, 10, 12),
    ]


def test_filed_on_29_september_is_due_on_12_october(world, clock):
    clock.set("2026-09-29")
    case = actions.file_case(
        world.firm, world.zd, category="talent", description="招聘高级技工困难"
    )
    deadline = deadline_of(case, D(2026, 9, 29))
    assert deadline.days == 5  # the default rule for 自办
    assert deadline.clock == "running"
    assert deadline.due_on == D(2026, 10, 12)
    assert not deadline.overdue(D(2026, 10, 12))
    assert deadline.overdue(D(2026, 10, 13))
    # on the Friday after the holiday, two working days are used (9-30, 10-8, 10-9 → three)
    assert deadline_of(case, D(2026, 10, 9)).used == 3


def test_pausing_for_the_enterprise_moves_the_due_date(world, clock):
    clock.set("2026-09-29")
    case = actions.file_case(
        world.firm, world.zd, category="talent", description="招聘高级技工困难"
    )
    clock.set("2026-09-30")
    actions.accept(case, world.hr_staff)
    actions.start(case, world.hr_staff)
    clock.set("2026-10-08")  # two working days used (9-30, 10-8)
    actions.wait_for_enterprise(case, world.hr_staff, "请补充近三年用工计划")
    paused = deadline_of(case, D(2026, 10, 14))
    assert paused.clock == "paused"
    assert paused.used == 2 and paused.remaining == 3
    assert paused.due_on is None
    assert not paused.overdue(D(2026, 10, 20))  # the clock does not run while paused
    clock.set("2026-10-14")
    actions.enterprise_replied(case, world.firm, "已上传用工计划")
    resumed = deadline_of(case, D(2026, 10, 14))
    # three working days left from 10-14: 10-15, 10-16, 10-19 (10-17/18 weekend)
    assert resumed.due_on == D(2026, 10, 19)
    assert resumed.due_on > D(2026, 10, 12)


def test_the_job_escalates_the_overdue_case_and_notifies(world, clock):
    clock.set("2026-09-29")
    case = actions.file_case(
        world.firm, world.zd, category="talent", description="招聘高级技工困难"
    )
    actions.add_follower(case, world.zhangdian)
    clock.set("2026-10-12", 23)  # the due day itself: not overdue yet
    assert actions.run_escalation().escalated == 0

    clock.set("2026-10-13", 2)
    summary = actions.run_escalation()
    assert (summary.escalated, summary.notices) == (1, 1)
    case.refresh_from_db()
    assert case.level == Level.SPECIAL
    assert case.state == State.SUBMITTED  # escalation changes the level, not the state
    notice = SupervisionNotice.objects.get(case=case)
    assert (notice.level, notice.escalated_to, notice.due_on) == (
        Level.SELF,
        Level.SPECIAL,
        D(2026, 10, 12),
    )
    assert "督办" in notice.text and "2026-10-12" in notice.text
    # 专办 has its own 5 working days from the day of escalation: 10-14 … 10-20
    assert deadline_of(case, D(2026, 10, 13)).due_on == D(2026, 10, 20)
    # the requester, the follower and the department are told
    told = set(
        CaseMessage.objects.filter(case=case, event__kind="escalate").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"firm", "zhangdian", "hr_staff"} <= told
    # one message per person, carrying the 督办 text (not a second one for the notice)
    message = CaseMessage.objects.get(case=case, event__kind="escalate", recipient=world.firm)
    assert "督办" in message.body and "2026-10-12" in message.body
    assert not CaseMessage.objects.filter(case=case, event__kind="supervise").exists()
    assert AuditEvent.objects.filter(action="casework.escalate", object_id=str(case.pk)).exists()

    # idempotent: the same day again changes nothing
    again = actions.run_escalation()
    assert (again.escalated, again.notices) == (0, 0)
    assert Case.objects.get(pk=case.pk).level == Level.SPECIAL


# --- the rules on hand-built logs ---------------------------------------------------------


def _e(kind: str, day: str, **data: object) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, at=at(day), data=data)


def test_resolution_stops_the_clock_and_judges_on_time():
    log = [_e("filed", "2026-09-29", deadline_days=5), _e("resolve", "2026-10-12")]
    d = compute(log)
    assert (d.clock, d.stopped_on, d.on_time) == ("stopped", D(2026, 10, 12), True)
    late = compute([log[0], _e("resolve", "2026-10-13")])
    assert late.on_time is False


def test_escalation_while_waiting_keeps_the_clock_paused():
    log = [
        _e("filed", "2026-09-29", deadline_days=5),
        _e("wait", "2026-09-30"),
        _e("escalate", "2026-10-09", deadline_days=3),
    ]
    d = compute(log)
    assert (d.clock, d.days, d.used, d.due_on) == ("paused", 3, 0, None)
    d = compute([*log, _e("reply", "2026-10-12")])
    assert d.due_on == D(2026, 10, 15)


def test_a_pause_after_the_deadline_passed_keeps_the_missed_date():
    log = [
        _e("filed", "2026-09-29", deadline_days=1),  # due 9-30
        _e("wait", "2026-10-09"),
        _e("reply", "2026-10-20"),
    ]
    d = compute(log)
    assert d.due_on == D(2026, 9, 30)
    assert d.overdue(D(2026, 10, 20))


def test_reopening_gives_a_fresh_deadline():
    log = [
        _e("filed", "2026-09-01", deadline_days=5),
        _e("resolve", "2026-09-03"),
        _e("reopen", "2026-09-29", deadline_days=5),
    ]
    d = compute(log)
    assert (d.clock, d.due_on, d.stopped_on) == ("running", D(2026, 10, 12), None)


@pytest.mark.parametrize("days", [1, 2, 3, 5, 10])
def test_due_date_is_the_nth_working_day_after_filing(days):
    from smeladder.casework.calendar import working_days_between

    d = compute([_e("filed", "2026-09-29", deadline_days=days)])
    assert d.due_on is not None
    assert working_days_between(D(2026, 9, 29), d.due_on) == days
    assert chinese_calendar.is_workday(d.due_on)
