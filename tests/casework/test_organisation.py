"""City officials edit departments and rules (audited); nobody else does; a rule edit never
moves the deadline of a case already running; the inbox is its reader's alone."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.casework import actions, rules
from smeladder.casework.deadlines import deadline_of
from smeladder.casework.models import CaseMessage, RoutingRule

from .helpers import file


def test_city_officials_edit_routing(world, clock):
    dept = actions.save_department(world.city, name="淄博市科技局", division_prefix="3703")
    rule = actions.set_routing_rule(
        world.city, category="innovation", division_prefix="3703", department=dept
    )
    assert rules.route("innovation", "370303") == dept
    actions.set_routing_rule(
        world.city, category="innovation", division_prefix="3703", department=world.zd_dev
    )
    assert RoutingRule.objects.get(pk=rule.pk).department == world.zd_dev
    audit = AuditEvent.objects.filter(action="casework.set_routing_rule").first()  # newest
    assert audit.changes == {"department": [dept.pk, world.zd_dev.pk]}
    actions.delete_routing_rule(world.city, rule)
    assert rules.route("innovation", "370303") is None


@pytest.mark.parametrize("who", ["zhangdian", "firm", "hr_staff"])
def test_others_do_not_edit_rules(world, clock, who):
    user = getattr(world, who)
    with pytest.raises(actions.NotAllowed):
        actions.set_routing_rule(
            user, category="talent", division_prefix="370303", department=world.zd_dev
        )
    with pytest.raises(actions.NotAllowed):
        actions.set_deadline_rule(user, category="", urgency="normal", level="self", working_days=1)
    with pytest.raises(actions.NotAllowed):
        actions.save_department(user, name="x", division_prefix="370303")


def test_a_city_official_stays_in_the_city(world, clock):
    with pytest.raises(actions.NotAllowed):
        actions.set_routing_rule(
            world.city, category="talent", division_prefix="", department=world.zd_dev
        )
    actions.set_routing_rule(
        world.admin, category="talent", division_prefix="", department=world.zd_dev
    )


def test_a_deadline_rule_edit_does_not_move_running_cases(world, clock):
    clock.set("2026-09-29")
    case = file(world)
    actions.set_deadline_rule(
        world.city, category="", urgency="normal", level="self", working_days=10
    )
    assert deadline_of(case).due_on == dt.date(2026, 10, 12)
    assert file(world).events.get(kind="filed").data["deadline_days"] == 10
    with pytest.raises(actions.InvalidInput):
        actions.set_deadline_rule(
            world.city, category="", urgency="normal", level="self", working_days=0
        )


def test_unsatisfied_rule_and_members(world, clock):
    actions.set_unsatisfied_rule(world.city, category="", outcome="escalate")
    assert rules.unsatisfied_outcome("talent") == "escalate"
    actions.set_members(world.city, world.zd_dev, [world.dev_staff, world.hr_staff])
    assert set(world.zd_dev.members.all()) == {world.dev_staff, world.hr_staff}


def test_mark_read_touches_only_ones_own_messages(world, clock):
    case = file(world)
    actions.accept(case, world.zhangdian)
    mine = CaseMessage.objects.filter(recipient=world.firm)
    others = CaseMessage.objects.exclude(recipient=world.firm)
    assert mine.exists() and others.exists()
    assert actions.mark_read(world.hr_staff, list(mine.values_list("pk", flat=True))) == 0
    assert actions.mark_read(world.firm) == mine.count()
    assert not mine.filter(read_at__isnull=True).exists()
    assert others.filter(read_at__isnull=True).count() == others.count()
