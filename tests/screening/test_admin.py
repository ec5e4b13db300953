"""The screening back office: read-only and scoped like the registry's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from smeladder.accounts.models import Role
from smeladder.screening.actions import start_screening
from smeladder.screening.models import ScreeningResult

from .helpers import city


@pytest.fixture
def run(db, tmp_path: Path):
    city(tmp_path)
    return start_screening(dt.date(2026, 5, 1), ["sme_size"], engine="python")


def login(make_user, username: str, role: str, **fields) -> Client:
    user = make_user(username, role, is_staff=True, **fields)
    if role == Role.ADMIN:
        user.is_superuser = True
        user.save()
    else:
        from django.contrib.auth.models import Permission

        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="screening", codename__startswith="view_"
            )
        )
    client = Client()
    client.force_login(user)
    return client


def test_district_official_sees_only_own_results(run, make_user) -> None:
    client = login(make_user, "zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    response = client.get("/admin/screening/screeningresult/")
    assert response.status_code == 200
    shown = {r.pk for r in response.context["cl"].result_list}
    assert shown == set(
        ScreeningResult.objects.filter(enterprise__division_code="370303").values_list(
            "pk", flat=True
        )
    )
    other = ScreeningResult.objects.filter(enterprise__division_code="370304").first()
    assert client.get(f"/admin/screening/screeningresult/{other.pk}/change/").status_code in (
        302,
        404,
    )
    assert client.get("/admin/screening/screeningrun/").status_code == 200


def test_read_only_even_for_administrators(run, make_user) -> None:
    client = login(make_user, "root", Role.ADMIN)
    assert client.get("/admin/screening/screeningrun/").status_code == 200
    assert client.get("/admin/screening/screeningrun/add/").status_code == 403
    assert client.post(f"/admin/screening/screeningrun/{run.pk}/delete/").status_code == 403
    page = client.get(f"/admin/screening/screeningrun/{run.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
