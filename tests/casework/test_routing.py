"""Routing rules as data: the most specific prefix covering the firm's division wins."""

from __future__ import annotations

from smeladder.casework import actions, rules
from smeladder.casework.models import Department, RoutingRule

from .helpers import file


def test_the_county_rule_beats_the_city_rule(world, clock):
    assert rules.route("talent", "370303") == world.zd_hr
    assert rules.route("talent", "370304") == world.city_finance  # only the city rule covers 博山
    assert rules.route("financing", "370304") == world.city_finance  # the catch-all ("")
    assert rules.route("market", "370303") is None


def test_filing_routes_automatically(world, clock):
    case = file(world, category="talent")
    assert case.department == world.zd_hr
    filed = case.events.get(kind="filed")
    assert filed.data["department"] == world.zd_hr.pk
    assert filed.data["deadline_days"] == 5


def test_an_unrouted_case_waits_for_an_official(world, clock):
    case = file(world, category="market")
    assert case.department is None
    assert "指派" in case.events.get(kind="filed").note
    actions.reassign(case, world.zhangdian, world.zd_dev, "市场拓展由发改局牵头")
    case.refresh_from_db()
    assert case.department == world.zd_dev


def test_rules_are_editable_data(world, clock):
    newer = Department.objects.create(name="张店区人才办", division_prefix="370303")
    RoutingRule.objects.filter(category="talent", division_prefix="370303").update(department=newer)
    assert file(world, category="talent").department == newer


def test_an_inactive_department_is_not_routed_to(world, clock):
    world.zd_hr.active = False
    world.zd_hr.save()
    assert rules.route("talent", "370303") == world.city_finance


def test_a_category_deadline_rule_beats_the_default(world, clock):
    from smeladder.casework.models import DeadlineRule

    DeadlineRule.objects.create(category="talent", urgency="normal", level="self", working_days=8)
    assert file(world, category="talent").events.get(kind="filed").data["deadline_days"] == 8
    assert file(world, category="financing").events.get(kind="filed").data["deadline_days"] == 5
    assert (
        file(world, category="financing", urgency="urgent")
        .events.get(kind="filed")
        .data["deadline_days"]
        == 2
    )
