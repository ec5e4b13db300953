"""Every action from every state: the legal ones move the case and write an event and an audit
record; the others are refused with a Chinese message naming the state, and write nothing."""

from __future__ import annotations

import pytest

from smeladder.accounts.models import AuditEvent
from smeladder.casework import actions
from smeladder.casework.actions.transitions import TRANSITIONS
from smeladder.casework.models import CaseEvent, State

from .helpers import CALLS, case_in

PAIRS = [(kind, state) for kind in CALLS for state in State.values]


@pytest.mark.parametrize(("kind", "state"), PAIRS)
def test_each_action_from_each_state(world, clock, kind, state):
    case = case_in(world, state)
    rule = TRANSITIONS[kind]
    actor = world.firm if rule.who in ("either", "requester") else world.hr_staff
    events = CaseEvent.objects.filter(case=case).count()
    audits = AuditEvent.objects.count()
    if state in rule.sources:
        CALLS[kind](case, actor, "备注")
        case.refresh_from_db()
        assert case.state == rule.target
        event = case.events.last()
        assert (event.kind, event.from_state, event.to_state) == (kind, state, rule.target)
        assert event.actor == actor and event.note == "备注"
        assert AuditEvent.objects.filter(action=f"casework.{kind}", object_id=str(case.pk)).exists()
    else:
        with pytest.raises(actions.IllegalTransition) as err:
            CALLS[kind](case, actor)
        assert str(State(state).label) in err.value.message  # labels are lazy translations
        assert str(rule.label) in err.value.message
        case.refresh_from_db()
        assert case.state == state
        assert CaseEvent.objects.filter(case=case).count() == events
        assert AuditEvent.objects.count() == audits


def test_the_table_covers_the_issue_lifecycle():
    reachable = {t.target for t in TRANSITIONS.values()} | {State.SUBMITTED}
    assert reachable == set(State.values)
    assert TRANSITIONS["wait"].target == State.WAITING
    assert TRANSITIONS["reply"].target == State.IN_PROGRESS


@pytest.mark.parametrize("kind", ["accept", "start", "wait", "resolve"])
def test_the_firm_cannot_do_the_departments_work(world, clock, kind):
    state = next(s for s in State.values if s in TRANSITIONS[kind].sources)
    case = case_in(world, state)
    with pytest.raises(actions.NotAllowed) as err:
        CALLS[kind](case, world.firm)
    assert "只有" in err.value.message


def test_auto_close_is_the_jobs_alone(world, clock):
    from smeladder.casework.actions.transitions import check_allowed

    case = case_in(world, State.RESOLVED)
    with pytest.raises(actions.NotAllowed):
        check_allowed(case, "auto_close", world.zhangdian)
    assert check_allowed(case, "auto_close", "escalate_cases").target == State.CLOSED


def test_an_official_of_the_area_may_handle_a_case_of_another_department(world, clock):
    case = case_in(world, State.SUBMITTED)
    actions.accept(case, world.zhangdian)
    case.refresh_from_db()
    assert case.state == State.ACCEPTED


def test_escalation_and_reassignment_are_refused_on_closed_cases(world, clock):
    case = case_in(world, State.CLOSED)
    with pytest.raises(actions.IllegalTransition) as err:
        actions.escalate(case, world.zhangdian)
    assert "已关闭" in err.value.message
    with pytest.raises(actions.IllegalTransition):
        actions.reassign(case, world.zhangdian, world.zd_dev, "误分")


def test_the_top_of_the_ladder_cannot_be_passed(world, clock):
    case = case_in(world, State.IN_PROGRESS)
    for _ in range(3):
        actions.escalate(case, world.city)
    case.refresh_from_db()
    assert case.level == "leading_group"
    with pytest.raises(actions.IllegalTransition) as err:
        actions.escalate(case, world.city)
    assert "最高层级" in err.value.message


def test_escalation_to_a_level_with_owners_moves_the_case_to_them(world, clock):
    case = case_in(world, State.IN_PROGRESS)
    actions.escalate(case, world.zhangdian, "两周未解决")
    case.refresh_from_db()
    assert (case.level, case.department) == ("special", world.zd_hr)  # no 专办 owner: stays
    actions.escalate(case, world.zhangdian)
    case.refresh_from_db()
    assert (case.level, case.department) == ("task_force", world.task_force)
    event = case.events.filter(kind="escalate").last()
    assert event.data["department"] == [world.zd_hr.pk, world.task_force.pk]
    assert event.data["deadline_days"] == 3


def test_reassignment_needs_a_reason_and_is_logged(world, clock):
    case = case_in(world, State.ACCEPTED)
    with pytest.raises(actions.InvalidInput) as err:
        actions.reassign(case, world.hr_staff, world.zd_dev, "  ")
    assert "理由" in err.value.message
    actions.reassign(case, world.hr_staff, world.zd_dev, "属于项目审批，非用工问题")
    case.refresh_from_db()
    assert case.department == world.zd_dev
    event = case.events.last()
    assert (event.kind, event.note) == ("reassign", "属于项目审批，非用工问题")
    assert event.data["department"] == [world.zd_hr.pk, world.zd_dev.pk]
    # the old department no longer sees it; the new one does
    with pytest.raises(actions.OutOfScope):
        actions.start(case, world.hr_staff)
    actions.start(case, world.dev_staff)
