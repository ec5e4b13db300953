"""Screenings as background jobs: queue_screening → the django-tasks job → a finished run, the
phases it passed through, a failure recorded with its message, the area limited to the user's
scope, and the 推荐名单 scoped to the downloading user."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.db.models.signals import post_save
from openpyxl import load_workbook

from smeladder.accounts.models import AuditEvent, Role
from smeladder.screening import evaluate_sql
from smeladder.screening.actions import (
    ScreeningInputError,
    ScreeningNotAllowed,
    queue_screening,
    screening_area,
    start_screening,
)
from smeladder.screening.export import write_workbook
from smeladder.screening.models import ScreeningResult, ScreeningRun

from .helpers import city

ON = dt.date(2026, 5, 1)
STANDARDS = ["innovative_sme", "sme_size"]


@pytest.fixture
def firms(db, tmp_path: Path) -> list[dict]:
    return city(tmp_path)


@pytest.fixture
def city_official(make_user):
    return make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")


@pytest.fixture
def zhangdian(make_user):
    return make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")


@pytest.fixture
def saves():
    """Every (status, phase, percent) saved on a run, in order."""
    seen: list[tuple[str, str, int]] = []

    def on_save(sender, instance, **kwargs):
        seen.append((instance.status, instance.phase, instance.percent))

    post_save.connect(on_save, sender=ScreeningRun, weak=False)
    yield seen
    post_save.disconnect(on_save, sender=ScreeningRun)


def test_queued_run_goes_through_every_phase_to_done(firms, city_official, saves) -> None:
    run = queue_screening(ON, STANDARDS, user=city_official)
    assert run.status == "done" and run.phase == "done" and run.percent == 100
    assert run.division_prefix == "3703"  # None = the official's whole area
    assert saves == [
        ("queued", "queued", 0),
        ("running", "queued", 0),
        ("running", "computing", 25),
        ("running", "writing", 50),
        ("done", "done", 100),
    ]
    assert run.enterprises == 7  # the 济南 firm is outside 3703
    assert run.evaluations == ScreeningResult.objects.filter(run=run).count() == 14
    assert run.queued_at <= run.started_at <= run.finished_at
    assert run.created_by == city_official and not run.error
    actions = list(
        AuditEvent.objects.filter(object_type="screening.ScreeningRun", object_id=str(run.pk))
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions == [("screening.queued", city_official.pk), ("screening.run", city_official.pk)]


def test_queued_run_stores_what_the_synchronous_run_stores(firms, city_official) -> None:
    queued = queue_screening(ON, STANDARDS, "3703", user=city_official)
    direct = start_screening(ON, STANDARDS, "3703")

    def rows(run):
        return sorted(
            ScreeningResult.objects.filter(run=run).values_list(
                "enterprise_id", "standard", "rulebook", "outcome", "score", "route", "size_class"
            )
        )

    assert rows(queued) == rows(direct)


def test_python_engine_job(firms, city_official) -> None:
    run = queue_screening(ON, STANDARDS, "370304", user=city_official, engine="python")
    assert run.status == "done" and run.engine == "python"
    assert run.enterprises == 3 and run.evaluations == 6


def test_failure_is_recorded_with_its_message(firms, city_official, monkeypatch) -> None:
    def broken(run, books):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(evaluate_sql, "copy_pass", broken)
    run = queue_screening(ON, STANDARDS, user=city_official)
    assert run.status == "failed" and run.phase == "failed"
    assert run.error == "RuntimeError: 磁盘已满"
    assert run.finished_at is not None and run.evaluations == 0
    assert not ScreeningResult.objects.filter(run=run).exists()
    failed = AuditEvent.objects.get(object_id=str(run.pk), action="screening.run_failed")
    assert failed.changes["error"] == "RuntimeError: 磁盘已满"
    # the pass table was dropped: the next run on this connection works
    monkeypatch.undo()
    assert queue_screening(ON, STANDARDS, user=city_official).status == "done"


def test_failure_in_the_pass(firms, city_official, monkeypatch) -> None:
    monkeypatch.setattr(
        evaluate_sql, "compute_pass", lambda run: (_ for _ in ()).throw(ValueError("坏 SQL"))
    )
    run = queue_screening(ON, STANDARDS, user=city_official)
    assert (run.status, run.error) == ("failed", "ValueError: 坏 SQL")


def test_a_job_delivered_twice_does_nothing_the_second_time(firms, city_official) -> None:
    from smeladder.screening.tasks import run_screening

    run = queue_screening(ON, STANDARDS, user=city_official)
    result = run_screening.enqueue(run.pk)
    assert result.return_value == {"run": run.pk, "status": "done", "evaluations": 14}
    assert ScreeningResult.objects.filter(run=run).count() == 14


def test_bad_input_writes_nothing(firms, city_official) -> None:
    with pytest.raises(ScreeningInputError):
        queue_screening("2026-13-01", STANDARDS, user=city_official)
    with pytest.raises(ScreeningInputError):
        queue_screening(ON, ["no_such_standard"], user=city_official)
    with pytest.raises(ScreeningInputError):
        queue_screening(ON, STANDARDS, "37030", user=city_official)
    with pytest.raises(ScreeningInputError):
        queue_screening(ON, STANDARDS, user=city_official, engine="spark")
    assert not ScreeningRun.objects.exists()


@pytest.mark.parametrize(
    ("prefix", "allowed"),
    [(None, "370303"), ("370303", "370303"), ("3703", None), ("", None), ("370304", None)],
)
def test_district_official_screens_only_their_district(zhangdian, prefix, allowed) -> None:
    if allowed is None:
        with pytest.raises(ScreeningNotAllowed):
            screening_area(zhangdian, prefix)
    else:
        assert screening_area(zhangdian, prefix) == allowed


@pytest.mark.parametrize(
    ("prefix", "allowed"),
    [(None, "3703"), ("3703", "3703"), ("370304", "370304"), ("", None), ("3701", None)],
)
def test_city_official_screens_the_city_or_one_county(city_official, prefix, allowed) -> None:
    if allowed is None:
        with pytest.raises(ScreeningNotAllowed):
            screening_area(city_official, prefix)
    else:
        assert screening_area(city_official, prefix) == allowed


def test_enterprise_users_partners_and_anonymous_may_not_screen(db, make_user) -> None:
    from django.contrib.auth.models import AnonymousUser

    for user in (
        make_user("firm", Role.ENTERPRISE),
        make_user("bank", Role.PARTNER, division_prefix="3703"),
        make_user("nowhere", Role.CITY_OFFICIAL),  # an official without an area
        AnonymousUser(),
    ):
        with pytest.raises(ScreeningNotAllowed):
            screening_area(user, "370303")
    admin = make_user("root", Role.ADMIN)
    assert screening_area(admin, "") == "" and screening_area(admin, "37") == "37"


def test_not_allowed_writes_nothing(firms, zhangdian) -> None:
    with pytest.raises(ScreeningNotAllowed):
        queue_screening(ON, STANDARDS, "3703", user=zhangdian)
    assert not ScreeningRun.objects.exists()


def test_workbook_for_a_district_official_holds_only_their_district(
    firms, city_official, zhangdian
) -> None:
    run = queue_screening(ON, STANDARDS, user=city_official)
    everything, mine = io.BytesIO(), io.BytesIO()
    all_rows = write_workbook(run, everything, user=city_official)
    my_rows = write_workbook(run, mine, user=zhangdian)
    assert 0 < my_rows < all_rows
    mine.seek(0)
    wb = load_workbook(mine, read_only=True)
    divisions = set()
    for ws in wb.worksheets:
        if ws.title == "说明":
            help_rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if len(r) > 1}
            continue
        for row in ws.iter_rows(min_row=2, values_only=True):
            divisions.add(row[3])
    assert divisions == {"370303"}
    assert help_rows["导出范围"].startswith("370303")
    assert help_rows["区划范围"].startswith("3703")
