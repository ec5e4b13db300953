"""The built-in daily schedule: jobs due from their local time on, each enqueued once a day (the
UNIQUE row decides between two schedulers), today's missed jobs caught up, yesterday's not; a bad
SMELADDER_SCHEDULE refused with a message naming every problem."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.test import override_settings
from django_tasks.backends.immediate import ImmediateBackend

from smeladder.accounts.models import AuditEvent
from smeladder.jobs import actions
from smeladder.jobs.actions import due_jobs, enqueue_due
from smeladder.jobs.checks import schedule_is_valid
from smeladder.jobs.models import ScheduledRun
from smeladder.jobs.schedule import JOBS, current_schedule, load_schedule
from smeladder.jobs.status import last_runs
from smeladder.monitoring.models import FillState

from .conftest import ONLY_REFRESH_AT_10, local

UTC = ZoneInfo("UTC")
ORDER = ["expire_policies", "escalate_cases", "refresh_counts", "refresh_case_metrics"]


def names(jobs) -> list[str]:
    return [j.name for j in jobs]


def rows() -> list[tuple[str, dt.date]]:
    return sorted(ScheduledRun.objects.values_list("job", "day"))


# --- the schedule as data ---------------------------------------------------------------


def test_default_schedule_is_every_job_in_time_order() -> None:
    jobs = load_schedule(None)
    assert names(jobs) == [*ORDER, "push_policies"]
    assert [j.at.strftime("%H:%M") for j in jobs] == ["00:10", "00:30", "01:00", "01:30", "08:30"]
    assert set(names(jobs)) == set(JOBS)
    assert load_schedule("") == load_schedule({}) == jobs  # the environment variable unset


def test_overrides_as_dict_or_string_move_and_turn_off_jobs() -> None:
    as_dict = load_schedule({"push_policies": "00:05", "escalate_cases": None})
    as_text = load_schedule(" push_policies = 0:05 , escalate_cases=off ")
    for jobs in (as_dict, as_text):
        assert names(jobs) == [
            "push_policies",
            "expire_policies",
            "refresh_counts",
            "refresh_case_metrics",
        ]
        assert jobs[0].at == dt.time(0, 5)
    # a tie keeps the listed order: expire before push at the same minute
    tied = load_schedule({"push_policies": "00:10"})
    assert names(tied)[:2] == ["expire_policies", "push_policies"]
    assert load_schedule({"refresh_counts": "23:59"})[-1].at == dt.time(23, 59)


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"refresh_count": "01:00"}, "未知任务 'refresh_count'"),
        ({"push_policies": "24:00"}, "push_policies：时间 '24:00' 无效"),
        ({"push_policies": "8.30"}, "时间 '8.30' 无效"),
        ({"push_policies": "08:60"}, "时间 '08:60' 无效"),
        ({"push_policies": 830}, "时间 830 无效"),
        ("push_policies", "'push_policies' 缺少“=”"),
        ("push_policies=", "push_policies：时间 '' 无效"),  # an empty time is a slip, not "off"
        ("push_policies=09:00,push_policies=off", "'push_policies' 出现两次"),
        (["push_policies", "09:00"], "应为字典或字符串"),
        ("nightly=01:00", "未知任务 'nightly'"),
    ],
)
def test_bad_schedule_is_refused_naming_the_problem(raw, named) -> None:
    with pytest.raises(ImproperlyConfigured) as err:
        load_schedule(raw)
    assert str(err.value).startswith("SMELADDER_SCHEDULE 配置有误")
    assert named in str(err.value)


def test_every_problem_is_named_at_once_and_the_system_check_stops_startup() -> None:
    bad = {"nightly": "01:00", "push_policies": "25:00"}
    with pytest.raises(ImproperlyConfigured) as err:
        load_schedule(bad)
    assert "nightly" in str(err.value) and "25:00" in str(err.value)
    assert schedule_is_valid() == []
    with override_settings(SMELADDER_SCHEDULE=bad):
        [error] = schedule_is_valid()
        assert error.id == "jobs.E001" and "nightly" in error.msg
        with pytest.raises(ImproperlyConfigured):
            current_schedule()


# --- due and enqueued -------------------------------------------------------------------


@override_settings(SMELADDER_SCHEDULE=ONLY_REFRESH_AT_10)
def test_a_job_is_due_from_its_minute_on(db) -> None:
    assert due_jobs(local("2026-06-15", "09:59:59")) == []
    assert enqueue_due(local("2026-06-15", "09:59:59")) == []
    assert names(due_jobs(local("2026-06-15", "10:00:00"))) == ["refresh_counts"]
    # the same moment given in UTC (02:00Z) is 10:00 in China: local time decides
    assert names(due_jobs(dt.datetime(2026, 6, 15, 2, 0, tzinfo=UTC))) == ["refresh_counts"]
    assert due_jobs(dt.datetime(2026, 6, 15, 1, 59, 59, tzinfo=UTC)) == []


@override_settings(SMELADDER_SCHEDULE=ONLY_REFRESH_AT_10)
def test_once_a_day_then_again_the_next_day(db, clock) -> None:
    now = clock.set("2026-06-15", "10:00:00")
    [run] = enqueue_due(now)
    assert (run.job, run.day, run.enqueued_at) == ("refresh_counts", dt.date(2026, 6, 15), now)
    assert run.task_result_id
    # the job ran (immediate backend in tests) for that day
    assert set(FillState.objects.values_list("on", flat=True)) == {dt.date(2026, 6, 15)}
    assert enqueue_due(clock.set("2026-06-15", "10:00:30")) == []
    assert enqueue_due(clock.set("2026-06-15", "23:59:59")) == []
    assert due_jobs(clock.set("2026-06-16", "00:05:00")) == []  # a new day, not its time yet
    assert enqueue_due(clock.now) == []
    [again] = enqueue_due(clock.set("2026-06-16", "10:00:00"))
    assert again.day == dt.date(2026, 6, 16)
    assert rows() == [
        ("refresh_counts", dt.date(2026, 6, 15)),
        ("refresh_counts", dt.date(2026, 6, 16)),
    ]
    assert set(FillState.objects.values_list("on", flat=True)) == {dt.date(2026, 6, 16)}


def test_a_late_start_catches_up_todays_jobs_once_in_order_not_yesterdays(
    db, clock, finished
) -> None:
    # nothing ran yesterday (the box was off); the scheduler starts at 08:29 today
    made = enqueue_due(clock.set("2026-06-15", "08:29:00"))
    assert [r.job for r in made] == ORDER  # in time order: expiry before the counts
    # each ran (immediate backend) for today and succeeded
    assert [(name, status) for name, status, _ in finished] == [
        ("expire_policies_job", "SUCCESSFUL"),
        ("escalate_cases_job", "SUCCESSFUL"),
        ("refresh_counts_job", "SUCCESSFUL"),
        ("refresh_case_metrics_job", "SUCCESSFUL"),
    ]
    assert finished[0][2] == {"on": "2026-06-15", "expired": 0}
    assert finished[1][2]["on"] == "2026-06-15"  # type: ignore[index]
    assert {r.day for r in made} == {dt.date(2026, 6, 15)}
    assert [r.job for r in enqueue_due(clock.set("2026-06-15", "08:30:00"))] == ["push_policies"]
    assert finished[-1] == (
        "push_policies_job",
        "SUCCESSFUL",
        {"on": "2026-06-15", "new": 0, "closing": 0},
    )
    assert enqueue_due(clock.set("2026-06-15", "12:00:00")) == []
    assert ScheduledRun.objects.count() == len(JOBS)
    assert not ScheduledRun.objects.filter(day=dt.date(2026, 6, 14)).exists()


def test_local_day_decides_just_after_midnight_in_china(db) -> None:
    # 16:30 UTC on the 14th is 00:30 on the 15th in Shanghai: the 15th's first two jobs are due
    now = dt.datetime(2026, 6, 14, 16, 30, tzinfo=UTC)
    made = enqueue_due(now)
    assert [(r.job, r.day) for r in made] == [
        ("expire_policies", dt.date(2026, 6, 15)),
        ("escalate_cases", dt.date(2026, 6, 15)),
    ]


def test_each_enqueue_is_audited_as_the_scheduler(db, clock) -> None:
    made = enqueue_due(clock.set("2026-06-15", "00:30:00"))
    events = list(AuditEvent.objects.filter(action="jobs.scheduled_run.enqueue").order_by("id"))
    assert len(events) == len(made) == 2
    first = events[0]
    assert first.actor is None and first.actor_label == "scheduler"
    assert first.object_type == "jobs.ScheduledRun" and first.object_id == str(made[0].pk)
    assert first.changes == {
        "job": "expire_policies",
        "day": "2026-06-15",
        "at": "00:10",
        "task_result_id": made[0].task_result_id,
    }


@override_settings(SMELADDER_SCHEDULE=ONLY_REFRESH_AT_10)
def test_two_schedulers_at_once_enqueue_the_job_once(db, clock) -> None:
    now = clock.set("2026-06-15", "10:00:00")
    # scheduler A has read the due jobs; scheduler B enqueues before A writes
    seen_by_a = due_jobs(now)
    assert names(seen_by_a) == ["refresh_counts"]
    [by_b] = enqueue_due(now)
    with (
        mock.patch.object(actions, "due_jobs", return_value=seen_by_a),
        mock.patch.object(ImmediateBackend, "enqueue") as enqueue,
    ):
        assert enqueue_due(now) == []  # A's insert loses to the UNIQUE row; skipped quietly
    enqueue.assert_not_called()
    assert list(ScheduledRun.objects.values_list("pk", flat=True)) == [by_b.pk]
    assert AuditEvent.objects.filter(action="jobs.scheduled_run.enqueue").count() == 1


def test_the_unique_constraint_itself_refuses_a_second_row(db) -> None:
    at = local("2026-06-15", "10:00:00")
    ScheduledRun.objects.create(job="refresh_counts", day=dt.date(2026, 6, 15), enqueued_at=at)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(job="refresh_counts", day=dt.date(2026, 6, 15), enqueued_at=at)
    ScheduledRun.objects.create(job="refresh_counts", day=dt.date(2026, 6, 16), enqueued_at=at)
    ScheduledRun.objects.create(job="push_policies", day=dt.date(2026, 6, 15), enqueued_at=at)
    assert ScheduledRun.objects.count() == 3


@override_settings(SMELADDER_SCHEDULE=ONLY_REFRESH_AT_10)
def test_a_failed_enqueue_leaves_no_run_so_the_next_check_retries(db, clock) -> None:
    now = clock.set("2026-06-15", "10:00:00")
    with (
        mock.patch.object(ImmediateBackend, "enqueue", side_effect=RuntimeError("queue down")),
        pytest.raises(RuntimeError),
    ):
        enqueue_due(now)
    assert rows() == []
    assert not AuditEvent.objects.filter(action="jobs.scheduled_run.enqueue").exists()
    assert [r.job for r in enqueue_due(clock.set("2026-06-15", "10:00:30"))] == ["refresh_counts"]


# --- last runs --------------------------------------------------------------------------


def test_last_runs_shows_each_jobs_latest_day(db, clock) -> None:
    before = last_runs()
    assert [s.name for s in before] == [*ORDER, "push_policies"]
    assert all(s.last_day is None and s.enqueued_at is None for s in before)
    enqueue_due(clock.set("2026-06-14", "09:00:00"))
    enqueue_due(clock.set("2026-06-15", "00:45:00"))
    status = {s.name: s for s in last_runs()}
    assert status["expire_policies"].last_day == dt.date(2026, 6, 15)
    assert status["escalate_cases"].last_day == dt.date(2026, 6, 15)
    assert status["refresh_counts"].last_day == dt.date(2026, 6, 14)
    assert status["push_policies"].enqueued_at == local("2026-06-14", "09:00:00")
    assert status["push_policies"].task_result_id
    assert status["refresh_counts"].at == dt.time(1, 0)
