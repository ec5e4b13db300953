"""refresh_counts: one transaction, idempotent, audited; a crash leaves the old rows and a visible
STARTED state; the job and the command wrap the same action."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus

from smeladder.accounts.models import AuditEvent, Role
from smeladder.monitoring import actions, ladder
from smeladder.monitoring.actions import refresh_counts
from smeladder.monitoring.models import FillState, RegistryCount
from smeladder.monitoring.tasks import refresh_counts_job

from .registry import firm, title

ON = dt.date(2026, 6, 15)


@pytest.fixture
def registry(db):
    a = firm("370303", "C3484")
    b = firm("370304", "C3071")
    title(a, "specialized_sme", dt.date(2024, 3, 1), dt.date(2027, 2, 28))
    title(b, "hnte", dt.date(2025, 1, 1), ON + dt.timedelta(days=30))
    return a, b


def snapshot() -> list[tuple]:
    return sorted(
        RegistryCount.objects.values_list(
            "property",
            "division_code",
            "industry_section",
            "industry_division",
            "subgroup",
            "on",
            "value",
        )
    )


def held(on: dt.date, code: str) -> int:
    return sum(
        RegistryCount.objects.filter(property="titles_held", on=on, subgroup=code).values_list(
            "value", flat=True
        )
    )


def test_refresh_fills_every_property_and_is_idempotent(registry, make_user) -> None:
    city = make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    summary = refresh_counts(on=ON, actor=city)
    first = snapshot()
    assert summary.rows == len(first) > 0
    assert held(ON, "specialized_sme") == 1 and held(ON, "hnte") == 1
    states = {s.property: s for s in FillState.objects.all()}
    assert set(states) == set(ladder.PROPERTIES)
    assert all(s.state == "done" and s.on == ON and s.finished_at for s in states.values())

    refresh_counts(on=ON, actor=city)
    assert snapshot() == first  # replaced, not appended

    events = list(AuditEvent.objects.filter(action="monitoring.refresh_counts").order_by("id"))
    assert len(events) == 2
    assert events[0].actor == city and events[0].object_id == ON.isoformat()
    assert events[0].changes == {"on": [None, "2026-06-15"], "rows": [0, len(first)]}
    assert events[1].changes == {"on": ["2026-06-15", "2026-06-15"], "rows": [len(first)] * 2}


def test_refresh_follows_the_registry(registry) -> None:
    refresh_counts(on=ON)
    _zhangdian, boshan = registry
    boshan.delete()
    refresh_counts(on=ON)
    assert held(ON, "hnte") == 0
    assert not RegistryCount.objects.filter(division_code="370304").exists()


def test_a_crashed_refresh_keeps_the_old_rows_and_shows_started(registry, monkeypatch) -> None:
    refresh_counts(on=ON)
    before = snapshot()

    def broken(on: dt.date) -> list:
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "collect_all", broken)
    with pytest.raises(RuntimeError):
        refresh_counts(on=ON + dt.timedelta(days=1))
    assert snapshot() == before
    assert set(FillState.objects.values_list("state", flat=True)) == {"started"}
    assert set(FillState.objects.values_list("on", flat=True)) == {ON}  # the rows' date
    assert (
        not AuditEvent.objects.filter(action="monitoring.refresh_counts")
        .exclude(object_id=ON.isoformat())
        .exists()
    )

    monkeypatch.undo()
    refresh_counts(on=ON + dt.timedelta(days=1))  # resumes cleanly
    assert set(FillState.objects.values_list("state", flat=True)) == {"done"}
    assert set(RegistryCount.objects.filter(property="firms").values_list("on", flat=True)) == {
        ON + dt.timedelta(days=1)
    }


def test_the_job_runs_the_refresh_for_its_user(registry, make_user) -> None:
    city = make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    result = refresh_counts_job.enqueue(on="2026-06-15", actor_id=city.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL  # ImmediateBackend in tests
    assert result.return_value == {"on": "2026-06-15", "rows": RegistryCount.objects.count()}
    assert AuditEvent.objects.get(action="monitoring.refresh_counts").actor == city


def test_the_command(registry) -> None:
    out = StringIO()
    call_command("refresh_counts", "--on", "2026-06-15", stdout=out)
    assert "2026-06-15" in out.getvalue() and "titles_held" in out.getvalue()
    assert held(ON, "specialized_sme") == 1
    event = AuditEvent.objects.get(action="monitoring.refresh_counts")
    assert event.actor is None and event.actor_label == "refresh_counts"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("refresh_counts", "--on", "15/06/2026", stdout=StringIO())


def test_the_command_counts_today_by_default(registry) -> None:
    from django.utils import timezone

    call_command("refresh_counts", stdout=StringIO())
    assert FillState.objects.filter(on=timezone.localdate()).count() == len(ladder.PROPERTIES)
