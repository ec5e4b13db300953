"""Field-level audit of every registry write (imports, API, forms) and the edit actions forms
use: old → new per value, scope, who may edit what, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.actions import import_enterprises
from smeladder.registry.actions.edits import (
    NotAllowed,
    OutOfScope,
    edit_facts,
    edit_year,
)
from smeladder.registry.interchange.read_json import read_json
from smeladder.registry.interchange.write_json import dumps
from smeladder.registry.models import AnnualFigures, Enterprise, ImportRun, Title
from tests.registry.fixtures import enterprise, make_uscc


def import_records(records: list[dict[str, Any]], **kwargs: Any):
    result = import_enterprises(read_json(dumps(records).encode()), **kwargs)
    assert result.ok, result.errors
    return result


def updates() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="registry.enterprise.update").order_by("id"))


# -- imports: one event per firm, old → new -----------------------------------------------------


def test_create_events_summarise_new_firms(db, make_user):
    admin = make_user("admin1", Role.ADMIN)
    import_records(
        [enterprise(1, annual={"2024": {"revenue": 1}, "2025": {"revenue": 2}}), enterprise(2)],
        actor=admin,
    )
    events = AuditEvent.objects.filter(action="registry.enterprise.create").order_by("id")
    assert [e.object_id for e in events] == [
        str(Enterprise.objects.get(uscc=make_uscc(n)).pk) for n in (1, 2)
    ]
    first = events[0]
    assert first.actor == admin and first.actor_label == "admin1"
    assert first.object_type == "registry.Enterprise"
    assert first.changes == {
        "uscc": make_uscc(1),
        "name": "测试企业1",
        "division_code": "370303",
        "annual": [2024, 2025],
    }
    assert not updates()  # nothing existed before
    assert AuditEvent.objects.filter(action="registry.import").count() == 1


def test_update_records_exactly_the_changed_values(db):
    import_records(
        [
            enterprise(
                1,
                founded_on="2015-03-01",
                listed=False,
                flags={"abnormal_operations_list": False},
                annual={"2024": {"revenue": 1000, "employees": 10}},
                equity_financing={"2024": 5},
                titles=[{"code": "tech_sme", "level": "national", "valid_from": "2025-05-01"}],
                awards=[{"level": "provincial", "year": 2023}],
            )
        ]
    )
    import_records(
        [
            enterprise(
                1,
                name="测试企业1（更名）",
                founded_on="2015-03-01",  # same: not recorded
                listed=None,  # null clears: [False, None]
                flags={"abnormal_operations_list": True},
                annual={
                    "2024": {"revenue": Decimal("1234.56"), "employees": 10},
                    "2025": {"revenue": 2000},
                },
                equity_financing={"2024": None},
                titles=[
                    {
                        "code": "tech_sme",
                        "level": "national",
                        "valid_from": "2025-05-01",
                        "status": "revoked",
                    }
                ],
                awards=[],
            )
        ]
    )
    (event,) = updates()
    assert event.changes == {
        "name": ["测试企业1", "测试企业1（更名）"],
        "listed": [False, None],
        "flags.abnormal_operations_list": [False, True],
        "annual.2024.revenue": ["1000", "1234.56"],
        "annual.2025.revenue": [None, "2000"],
        "equity_financing.2024": ["5", None],
        "titles.tech_sme.national.2025-05-01.status": ["active", "revoked"],
        "awards": [[{"level": "provincial", "year": 2023, "rank": None}], []],
    }
    json.dumps(event.changes)  # JSON-safe as stored


def test_unchanged_reimport_writes_no_firm_event(db):
    record = enterprise(1, annual={"2024": {"revenue": 1}})
    import_records([record])
    import_records([record])
    assert not updates()
    assert AuditEvent.objects.filter(action="registry.enterprise.create").count() == 1
    assert AuditEvent.objects.filter(action="registry.import").count() == 2


def test_new_title_and_deleted_year_are_recorded(db):
    import_records([enterprise(1, annual={"2023": {"revenue": 7, "rd_staff": 2}})])
    import_records(
        [
            enterprise(
                1,
                annual={"2023": None},
                titles=[
                    {
                        "code": "hnte",
                        "level": "national",
                        "valid_from": "2024-11-01",
                        "valid_to": "2027-10-31",
                    }
                ],
            )
        ]
    )
    (event,) = updates()
    assert event.changes["annual.2023.revenue"] == ["7", None]
    assert event.changes["annual.2023.rd_staff"] == [2, None]
    new_title = event.changes["titles.hnte.national.2024-11-01"]
    assert new_title[0] is None
    assert new_title[1]["valid_to"] == "2027-10-31" and new_title[1]["code"] == "hnte"


def test_dry_run_and_rejected_files_write_no_events(db):
    import_records([enterprise(1)])
    before = AuditEvent.objects.count()
    result = import_enterprises(
        read_json(dumps([enterprise(1, name="新名")]).encode()), dry_run=True
    )
    assert result.ok and not result.written
    bad = import_enterprises(read_json(dumps([enterprise(1, digital_level=9)]).encode()))
    assert not bad.ok
    assert AuditEvent.objects.count() == before


def test_many_firms_events_in_chunks(db, django_assert_max_num_queries):
    import_records([enterprise(n) for n in range(1, 1201)])
    assert AuditEvent.objects.filter(action="registry.enterprise.create").count() == 1200
    changed = [enterprise(n, name=f"改名{n}") for n in range(1, 1201)]
    raw = dumps(changed).encode()
    # chunked statements: a fixed handful per 500 firms, not one per firm
    with django_assert_max_num_queries(40):
        import_enterprises(read_json(raw))
    assert len(updates()) == 1200


# -- edit actions -------------------------------------------------------------------------------


@pytest.fixture
def two_firms(db):
    import_records(
        [
            enterprise(1, annual={"2024": {"revenue": 1_000_000, "employees": 12}}),
            {
                "uscc": make_uscc(2, "370304"),
                "name": "博山企业",
                "division_code": "370304",
            },
        ]
    )
    AuditEvent.objects.all().delete()
    ImportRun.objects.all().delete()
    return Enterprise.objects.get(uscc=make_uscc(1)), Enterprise.objects.get(division_code="370304")


@pytest.fixture
def district(make_user):
    return make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")


@pytest.fixture
def city(make_user):
    return make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")


def test_official_edits_facts_audited(two_firms, district):
    own, _ = two_firms
    result = edit_facts(
        district,
        own.uscc,
        {
            "name": "张店新名称有限公司",
            "industry_code": "c3484",
            "founded_on": dt.date(2010, 6, 1),
            "listed": None,
            "flags.serious_dishonesty_list": False,
        },
    )
    assert result.ok and result.changed, result.errors
    own.refresh_from_db()
    assert own.name == "张店新名称有限公司" and own.industry_code == "C3484"
    assert own.founded_on == dt.date(2010, 6, 1) and own.flag_serious_dishonesty_list is False
    (event,) = updates()
    assert event.actor == district and event.object_id == str(own.pk)
    assert event.changes["name"] == ["测试企业1", "张店新名称有限公司"]
    assert event.changes["industry_code"] == [None, "C3484"]
    assert event.changes["founded_on"] == [None, "2010-06-01"]
    assert "listed" not in event.changes  # unknown before and after


def test_importer_checks_come_back_by_path(two_firms, city):
    own, _ = two_firms
    result = edit_facts(city, own.uscc, {"industry_code": "X9999", "division_code": "370399"})
    assert not result.ok
    assert set(result.errors) == {"industry_code", "division_code"}
    assert "GB/T 4754" in result.errors["industry_code"][0]
    assert not updates()
    assert Enterprise.objects.get(pk=own.pk).industry_code is None  # all or nothing


def test_district_official_cannot_move_firm_out(two_firms, district):
    own, _ = two_firms
    result = edit_facts(district, own.uscc, {"division_code": "370304"})
    assert not result.ok and "division_code" in result.errors
    assert "管辖范围" in result.errors["division_code"][0]
    assert Enterprise.objects.get(pk=own.pk).division_code == "370303"
    assert not AuditEvent.objects.exists() and not ImportRun.objects.exists()


def test_city_official_may_move_within_city(two_firms, city):
    own, _ = two_firms
    assert edit_facts(city, own.uscc, {"division_code": "370304"}).ok
    assert Enterprise.objects.get(pk=own.pk).division_code == "370304"
    assert updates()[0].changes["division_code"] == ["370303", "370304"]


def test_other_districts_firm_is_out_of_scope(two_firms, district):
    _, boshan = two_firms
    with pytest.raises(OutOfScope):
        edit_facts(district, boshan.uscc, {"name": "偷改"})
    with pytest.raises(OutOfScope):
        edit_year(district, boshan.uscc, 2025, {"revenue": 1})
    with pytest.raises(OutOfScope):
        edit_facts(district, "91370303MA0000000X", {"name": "不存在"})
    assert Enterprise.objects.get(pk=boshan.pk).name == "博山企业"
    assert not AuditEvent.objects.exists()


def test_edit_year_and_add_year(two_firms, city):
    own, _ = two_firms
    result = edit_year(city, own.uscc, 2024, {"revenue": Decimal("1234567.89"), "employees": None})
    assert result.ok and result.changed
    row = AnnualFigures.objects.get(enterprise=own, year=2024)
    assert row.revenue == Decimal("1234567.89") and row.employees is None
    assert updates()[0].changes == {
        "annual.2024.revenue": ["1000000", "1234567.89"],
        "annual.2024.employees": [12, None],
    }
    taken = edit_year(city, own.uscc, 2024, {"revenue": 5}, adding=True)
    assert taken.errors == {"year": ["2024 年度已有数据，请在年度数据表中编辑该年度。"]}
    added = edit_year(city, own.uscc, 2025, {"revenue": 5, "net_profit": -3}, adding=True)
    assert added.ok
    assert AnnualFigures.objects.get(enterprise=own, year=2025).net_profit == -3


def test_edit_year_bounds_are_the_importers(two_firms, city):
    own, _ = two_firms
    result = edit_year(city, own.uscc, 2024, {"revenue": -1, "employees": 3_000_000_000})
    assert set(result.errors) == {"revenue", "employees"}
    assert "负数" in result.errors["revenue"][0]
    assert AnnualFigures.objects.get(enterprise=own, year=2024).revenue == 1_000_000


def test_enterprise_user_edits_own_figures_only(two_firms, make_user):
    own, boshan = two_firms
    user = make_user("firm", Role.ENTERPRISE, enterprise=own)
    assert edit_year(user, own.uscc, 2024, {"revenue": 2_000_000}).ok
    assert AnnualFigures.objects.get(enterprise=own, year=2024).revenue == 2_000_000
    with pytest.raises(NotAllowed):
        edit_facts(user, own.uscc, {"name": "自己改名"})
    with pytest.raises(OutOfScope):
        edit_year(user, boshan.uscc, 2024, {"revenue": 1})
    assert Enterprise.objects.get(pk=own.pk).name == "测试企业1"
    assert [e.actor for e in updates()] == [user]


def test_partner_may_not_edit(two_firms, make_user):
    own, _ = two_firms
    partner = make_user("bank", Role.PARTNER)
    with pytest.raises(OutOfScope):
        edit_year(partner, own.uscc, 2024, {"revenue": 1})


def test_title_rows_untouched_by_edits(two_firms, city):
    own, _ = two_firms
    Title.objects.create(
        enterprise=own, code="tech_sme", level="national", valid_from=dt.date(2025, 5, 1)
    )
    assert edit_facts(city, own.uscc, {"name": "改名"}).ok
    assert Title.objects.filter(enterprise=own).count() == 1
