"""包联: dated officer pairings, visits that open a case in one call, service package items."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.casework import actions
from smeladder.casework.models import Case, LiaisonAssignment, ServicePackageItem, Visit

D = dt.date


def test_pairings_are_dated_changes(world, clock):
    first = actions.assign_liaison(world.zhangdian, world.zd, world.zhangdian, D(2026, 1, 1))
    second = actions.assign_liaison(world.city, world.zd, world.city, D(2026, 7, 1))
    first.refresh_from_db()
    assert first.valid_to == D(2026, 6, 30)
    assert second.valid_to is None
    assert actions.liaison_on(world.zd, D(2026, 3, 1)).officer == world.zhangdian
    assert actions.liaison_on(world.zd, D(2026, 8, 1)).officer == world.city
    assert actions.liaison_on(world.zd, D(2025, 12, 31)) is None
    # one officer, many firms
    actions.assign_liaison(world.city, world.bs, world.city, D(2026, 7, 1))
    assert LiaisonAssignment.objects.filter(officer=world.city, valid_to__isnull=True).count() == 2
    assert AuditEvent.objects.filter(action="casework.assign_liaison").count() == 3


def test_a_pairing_must_stay_in_scope(world, clock):
    with pytest.raises(actions.OutOfScope):
        actions.assign_liaison(world.boshan, world.zd, world.boshan, D(2026, 1, 1))
    with pytest.raises(actions.InvalidInput):
        actions.assign_liaison(world.city, world.zd, world.boshan, D(2026, 1, 1))
    actions.assign_liaison(world.city, world.zd, world.zhangdian, D(2026, 5, 1))
    with pytest.raises(actions.InvalidInput):  # a change cannot predate the current pairing
        actions.assign_liaison(world.city, world.zd, world.city, D(2026, 4, 1))


def test_a_visit_finding_opens_a_case_in_one_call(world, clock):
    visit = actions.log_visit(
        world.zhangdian,
        world.zd,
        visited_on=D(2026, 9, 29),
        findings="企业反映新厂房施工许可迟迟未批",
        people="张店区发改局王科长、企业总经理",
        open_case={"category": "approval", "description": "新厂房施工许可办理进度慢"},
    )
    case = visit.case
    assert (case.channel, case.filed_by, case.department) == (
        "visit",
        world.zhangdian,
        world.zd_dev,
    )
    assert case.description == "新厂房施工许可办理进度慢"
    plain = actions.log_visit(world.zhangdian, world.zd, visited_on=D(2026, 9, 30), findings="正常")
    assert plain.case is None
    assert Visit.objects.count() == 2


def test_a_bad_case_in_a_visit_writes_neither(world, clock):
    with pytest.raises(actions.InvalidInput):
        actions.log_visit(
            world.zhangdian,
            world.zd,
            visited_on=D(2026, 9, 29),
            findings="x",
            open_case={"category": "nonsense"},
        )
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_visits_are_for_officials_in_scope(world, clock):
    with pytest.raises(actions.NotAllowed):
        actions.log_visit(world.firm, world.zd, visited_on=D(2026, 9, 29), findings="x")
    with pytest.raises(actions.OutOfScope):
        actions.log_visit(world.boshan, world.zd, visited_on=D(2026, 9, 29), findings="x")


def test_service_package_items(world, clock):
    item = actions.set_service_item(world.zhangdian, world.zd, "financing_referral", "offered")
    actions.set_service_item(world.zhangdian, world.zd, "financing_referral", "done", "已放款")
    item.refresh_from_db()
    assert (item.status, item.note) == ("done", "已放款")
    assert ServicePackageItem.objects.count() == 1
    with pytest.raises(actions.InvalidInput):
        actions.set_service_item(world.zhangdian, world.zd, "massage", "done")
    with pytest.raises(actions.OutOfScope):
        actions.set_service_item(world.boshan, world.zd, "ip_help", "offered")
    assert set(ServicePackageItem.objects.for_user(world.firm)) == {item}
    assert not ServicePackageItem.objects.for_user(world.firm2).exists()
