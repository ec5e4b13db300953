"""Firms in two districts of 淄博 (张店 370303, 博山 370304) and users of each role."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from stdnum.cn import uscc as stdnum_uscc

from smeladder.accounts.models import Role
from smeladder.registry.models import AnnualFigures, Enterprise, Title

EXAMPLES = Path(__file__).resolve().parents[2] / "docs/examples/standards-worked-examples.jsonl"
PASSWORD = "pw-for-tests"


def valid_uscc(body17: str) -> str:
    return body17 + stdnum_uscc.calc_check_digit(body17)


@pytest.fixture
def firms(db):
    zhangdian = Enterprise.objects.create(
        uscc=valid_uscc("91370303MA3C0000A"),
        name="淄博张店精密机械有限公司",
        division_code="370303",
        industry_code="C3484",
    )
    boshan = Enterprise.objects.create(
        uscc=valid_uscc("91370304MA3C0000B"),
        name="淄博博山陶瓷有限公司",
        division_code="370304",
        industry_code="C3071",
    )
    for e in (zhangdian, boshan):
        AnnualFigures.objects.create(enterprise=e, year=2025, revenue=12_345_678)
        Title.objects.create(
            enterprise=e, code="tech_sme", level="national", valid_from=dt.date(2025, 5, 1)
        )
    return zhangdian, boshan


@pytest.fixture
def worked_example(db, tmp_path):
    """Firm E1 of standards.md §9 imported through the import command (a real USCC given)."""
    record = json.loads(EXAMPLES.read_text(encoding="utf-8").splitlines()[0])
    record["uscc"] = valid_uscc("91370303MA3CE1E1P")
    assert record["division_code"] == "370303"
    path = tmp_path / "e1.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import", str(path))
    return Enterprise.objects.get(uscc=record["uscc"])


@pytest.fixture
def city(make_user):
    return make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")


@pytest.fixture
def district(make_user):
    return make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def casework_defaults(transactional_db: None) -> None:
    """The default deadline rules that casework's data migration writes. A transactional test
    (every browser test) begins with whatever the previous one's flush left — and a flush
    empties the tables migrations filled — so a test that files a request puts them back."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("smeladder.casework.migrations.0002_default_deadline_rules")
    migration.add_defaults(apps, None)
