"""`smeladder scheduler`: --once enqueues today's due jobs and (immediate backend in tests) they
run — counts exist, an expired policy is expired; the loop stops cleanly on SIGTERM / SIGINT;
a bad schedule or interval is refused before anything is enqueued."""

from __future__ import annotations

import datetime as dt
import os
import signal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from smeladder.accounts.models import Role
from smeladder.jobs.models import ScheduledRun
from smeladder.monitoring.models import FillState, RegistryCount
from smeladder.policies.actions import approve, save_document, submit
from smeladder.policies.models import PolicyDocument, Status
from tests.monitoring.registry import firm, title
from tests.policies.test_workflow import policy_data

from .conftest import ONLY_REFRESH_AT_10

DAY = dt.date(2026, 6, 15)


def run(*args: str) -> str:
    out = StringIO()
    call_command("scheduler", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_once_runs_the_due_jobs_and_their_effects_are_there(db, clock, make_user, finished) -> None:
    a = firm("370303", "C3484")
    title(a, "specialized_sme", dt.date(2024, 3, 1), dt.date(2027, 2, 28))
    city = make_user("city1", Role.CITY_OFFICIAL, division_prefix="3703")
    city2 = make_user("city2", Role.CITY_OFFICIAL, division_prefix="3703")
    doc = save_document(city, policy_data(expires_on="2026-06-14"))
    submit(city, doc)
    approve(city2, doc)

    clock.set("2026-06-15", "00:59:59")
    out = run("--once")
    assert "schedule: 00:10 expire_policies，00:30 escalate_cases，01:00 refresh_counts" in out
    assert sorted(ScheduledRun.objects.values_list("job", flat=True)) == [
        "escalate_cases",
        "expire_policies",
    ]
    assert PolicyDocument.objects.get(pk=doc.pk).status == Status.EXPIRED  # the job ran
    assert not RegistryCount.objects.exists()  # 01:00 not reached yet

    clock.set("2026-06-15", "01:00:00")
    out = run("--once")
    assert "enqueued: refresh_counts（2026-06-15" in out
    assert RegistryCount.objects.filter(
        property="titles_held", on=DAY, subgroup="specialized_sme"
    ).exists()
    assert set(FillState.objects.values_list("on", flat=True)) == {DAY}

    assert [(name, status) for name, status, _ in finished] == [
        ("expire_policies_job", "SUCCESSFUL"),
        ("escalate_cases_job", "SUCCESSFUL"),
        ("refresh_counts_job", "SUCCESSFUL"),
    ]
    assert finished[0][2] == {"on": "2026-06-15", "expired": 1}
    assert "enqueued" not in run("--once")  # nothing twice on one day
    assert ScheduledRun.objects.count() == 3


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
@override_settings(SMELADDER_SCHEDULE=ONLY_REFRESH_AT_10)
def test_the_loop_checks_every_interval_and_a_signal_stops_it(db, clock, signum) -> None:
    clock.set("2026-06-15", "09:59:59")
    ticks: list[dt.datetime] = []
    before = signal.getsignal(signum)

    from smeladder.jobs.actions import enqueue_due

    def tick(now: dt.datetime) -> list[ScheduledRun]:
        ticks.append(now)
        made = enqueue_due(now)
        clock.set("2026-06-15", "10:00:00")  # time passes between two checks
        if len(ticks) == 3:
            os.kill(os.getpid(), signum)  # as `kill` or Ctrl-C would
        return made

    with mock.patch("smeladder.jobs.management.commands.scheduler.enqueue_due", tick):
        out = run("--interval", "0.01")
    assert len(ticks) == 3  # the signal ended the loop before a fourth check
    assert out.count("enqueued: refresh_counts") == 1
    assert out.rstrip().endswith("scheduler stopped")
    assert signal.getsignal(signum) == before  # handlers given back
    assert ScheduledRun.objects.count() == 1


@override_settings(SMELADDER_SCHEDULE=ONLY_REFRESH_AT_10)
def test_a_failing_check_is_logged_and_the_loop_goes_on(db, clock) -> None:
    clock.set("2026-06-15", "10:00:00")
    calls = 0

    from smeladder.jobs.actions import enqueue_due

    def flaky(now: dt.datetime) -> list[ScheduledRun]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database is locked")
        os.kill(os.getpid(), signal.SIGTERM)
        return enqueue_due(now)

    err = StringIO()
    with mock.patch("smeladder.jobs.management.commands.scheduler.enqueue_due", flaky):
        call_command("scheduler", "--interval", "0.01", stdout=StringIO(), stderr=err)
    assert calls == 2 and "database is locked" in err.getvalue()
    assert ScheduledRun.objects.count() == 1


@pytest.mark.parametrize("interval", ["0", "-5", "soon"])
def test_a_bad_interval_is_refused(db, interval) -> None:
    with pytest.raises(CommandError, match="--interval"):
        run("--interval", interval, "--once")


@override_settings(SMELADDER_SCHEDULE="refresh_counts=25:00")
def test_a_bad_schedule_stops_the_command_before_anything_is_enqueued(db, clock) -> None:
    clock.set("2026-06-15", "12:00:00")
    with pytest.raises(CommandError, match="SMELADDER_SCHEDULE") as err:
        call_command("scheduler", "--once", stdout=StringIO(), skip_checks=False)
    assert "25:00" in str(err.value)
    assert not ScheduledRun.objects.exists()
