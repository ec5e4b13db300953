"""The scheduled job (command and task): overdue cases escalate with a 督办 notice, resolved cases
left unconfirmed for 5 working days close, a second run does nothing, paused cases wait."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from smeladder.casework import actions
from smeladder.casework.models import Case, CaseMessage, Level, State, SupervisionNotice
from smeladder.casework.tasks import escalate_cases_job

from .helpers import case_in, file

D = dt.date


def test_a_waiting_case_is_not_escalated(world, clock):
    clock.set("2026-09-29")
    case = case_in(world, State.WAITING)
    clock.set("2026-11-02")
    assert actions.run_escalation().escalated == 0
    case.refresh_from_db()
    assert case.level == Level.SELF


def test_a_case_climbs_one_rung_per_missed_deadline(world, clock):
    clock.set("2026-09-01")
    # due 9-08; 专办 5 days → 9-16; 工作专班 3 → 9-21 (9-20 is a make-up Sunday);
    # 领导小组 3 → 9-28 (9-25, a Friday, is the Mid-Autumn holiday)
    case = file(world)
    clock.set("2026-09-09")
    actions.run_escalation()
    clock.set("2026-09-17")
    actions.run_escalation()
    clock.set("2026-09-22")
    actions.run_escalation()
    case.refresh_from_db()
    assert case.level == Level.LEADING_GROUP
    assert case.department == world.task_force  # the 工作专班 owners took it over
    clock.set("2026-09-28")
    assert actions.run_escalation().notices == 0  # the due day itself
    clock.set("2026-09-29")  # overdue at the top: a notice, no further rung
    summary = actions.run_escalation()
    assert (summary.escalated, summary.notices) == (0, 1)
    # at the top there is no escalation message: the notice itself is sent
    assert CaseMessage.objects.filter(case=case, event__kind="supervise").count() >= 1
    assert SupervisionNotice.objects.filter(case=case).count() == 4
    assert actions.run_escalation().notices == 0


def test_resolved_cases_close_after_five_working_days(world, clock):
    clock.set("2026-09-29")
    case = case_in(world, State.RESOLVED)  # resolved 9-29
    clock.set("2026-10-09")  # 9-30, 10-8, 10-9: three working days
    assert actions.run_escalation().auto_closed == 0
    clock.set("2026-10-12")  # 10-10 (make-up Saturday) and 10-12: five
    assert actions.run_escalation().auto_closed == 1
    case.refresh_from_db()
    assert case.state == State.CLOSED
    event = case.events.last()
    assert (event.kind, event.actor_label) == ("auto_close", "escalate_cases")
    assert CaseMessage.objects.filter(event=event, recipient=world.firm).exists()
    assert actions.run_escalation().auto_closed == 0


def test_the_command_and_the_task(world, clock):
    clock.set("2026-09-01")
    file(world)
    file(world, category="approval")
    with pytest.raises(CommandError) as err:
        call_command("escalate_cases", "--on", "2026-09-09")  # later than today (9-01)
    assert "未来日期" in str(err.value)
    clock.set("2026-09-09")
    out = StringIO()
    call_command("escalate_cases", stdout=out)
    assert "升级 2 件" in out.getvalue()
    assert Case.objects.filter(level=Level.SPECIAL).count() == 2
    result = escalate_cases_job.enqueue("2026-09-09").return_value
    assert result["escalated"] == 0  # idempotent


def test_a_deadline_beyond_the_calendar_is_reported_not_guessed(world, clock):
    clock.set("2026-12-28")
    case = file(world)  # due in 2027, which the pinned calendar does not know
    clock.set("2026-12-31")
    summary = actions.run_escalation()
    assert case.pk in summary.not_computable
    assert "2027" in summary.not_computable[case.pk]
    assert summary.escalated == 0


def test_the_job_costs_a_constant_number_of_queries_per_escalated_case(world, clock):
    """Pinned like Saleor's benchmarks: a change that adds a query per case shows up here (the
    job escalates thousands of cases on a bad day; see bench/bench_casework.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def run(n: int) -> int:
        clock.set("2026-09-01")
        for _ in range(n):
            file(world)
        clock.set("2026-09-09")
        with CaptureQueriesContext(connection) as ctx:
            assert actions.run_escalation().escalated == n
        Case.objects.all().delete()
        return len(ctx.captured_queries)

    two, five = run(2), run(5)
    per_case = (five - two) / 3
    assert per_case == int(per_case) and per_case <= 18
    assert two - 2 * per_case <= 2  # the candidate read: cases and their events
