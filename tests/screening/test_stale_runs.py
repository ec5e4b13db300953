"""A run whose worker was stopped stays 排队/进行中 forever unless something marks it: the reaper
fails runs older than the limit (and no others), records why, and runs before a new screening."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from smeladder.accounts.models import AuditEvent
from smeladder.screening.actions import STALE_AFTER, fail_stale_runs
from smeladder.screening.models import Engine, Phase, ScreeningRun, Status

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def _run(status: str, started: dt.datetime) -> ScreeningRun:
    return ScreeningRun.objects.create(
        on=dt.date(2026, 5, 1),
        standards=["sme_size"],
        engine=Engine.SQL,
        status=status,
        phase=Phase.COMPUTING if status == Status.RUNNING else Phase.QUEUED,
        started_at=started,
    )


@pytest.mark.django_db
def test_only_runs_older_than_the_limit_are_failed() -> None:
    old_running = _run(Status.RUNNING, NOW - STALE_AFTER - dt.timedelta(seconds=1))
    old_queued = _run(Status.QUEUED, NOW - dt.timedelta(days=1))
    at_limit = _run(Status.RUNNING, NOW - STALE_AFTER)  # exactly at the limit: not yet stale
    recent = _run(Status.RUNNING, NOW - dt.timedelta(minutes=5))
    done = _run(Status.DONE, NOW - dt.timedelta(days=3))

    assert fail_stale_runs(NOW) == 2

    for run in (old_running, old_queued):
        run.refresh_from_db()
        assert run.status == Status.FAILED
        assert run.phase == Phase.FAILED
        assert run.finished_at == NOW
        assert "中断" in run.error
    for run, status in ((at_limit, Status.RUNNING), (recent, Status.RUNNING), (done, Status.DONE)):
        run.refresh_from_db()
        assert run.status == status
    events = AuditEvent.objects.filter(action="screening.run_interrupted")
    assert sorted(int(e.object_id) for e in events) == sorted([old_running.pk, old_queued.pk])
    assert events.first().changes["status"][1] == Status.FAILED
    # a second pass finds nothing more to do
    assert fail_stale_runs(NOW) == 0


@pytest.mark.django_db
def test_command_takes_the_limit_in_hours() -> None:
    run = _run(Status.RUNNING, timezone.now() - dt.timedelta(minutes=90))
    out = StringIO()
    call_command("fail_stale_screenings", "--hours", "2", stdout=out)
    run.refresh_from_db()
    assert run.status == Status.RUNNING
    call_command("fail_stale_screenings", "--hours", "1", stdout=out)
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert "1 interrupted" in out.getvalue()


@pytest.mark.django_db
def test_a_new_screening_clears_a_stuck_one_first(make_user, tmp_path) -> None:
    from smeladder.accounts.models import Role
    from smeladder.screening.actions import queue_screening

    from .helpers import city

    city(tmp_path)
    official = make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    stuck = _run(Status.RUNNING, timezone.now() - STALE_AFTER - dt.timedelta(minutes=1))
    new = queue_screening(dt.date(2026, 5, 1), ["sme_size"], user=official)
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED
    assert new.status == Status.DONE
