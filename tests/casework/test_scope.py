"""Scope: the firm its own cases, a department what is assigned to it, a district official
their district, the city all. Acting on a case outside one's scope is refused and writes
nothing."""

from __future__ import annotations

import pytest

from smeladder.casework import actions
from smeladder.casework.models import Case, CaseEvent, State

from .helpers import case_in, file


@pytest.fixture
def cases(world, clock):
    zd_case = file(world, category="talent")  # 张店 firm → 张店区人社局
    bs_case = file(world, firm_user=world.bs_firm, category="talent")  # 博山 → city finance
    return zd_case, bs_case


def visible(user):
    return set(Case.objects.for_user(user).values_list("pk", flat=True))


def test_who_sees_what(world, cases):
    zd_case, bs_case = cases
    assert visible(world.firm) == {zd_case.pk}
    assert visible(world.firm2) == set()
    assert visible(world.bs_firm) == {bs_case.pk}
    assert visible(world.zhangdian) == {zd_case.pk}
    assert visible(world.boshan) == {bs_case.pk}
    assert visible(world.city) == {zd_case.pk, bs_case.pk}
    assert visible(world.admin) == {zd_case.pk, bs_case.pk}
    assert visible(world.hr_staff) == {zd_case.pk}
    assert visible(world.finance_staff) == {bs_case.pk}
    assert visible(world.dev_staff) == set()


def test_a_department_member_who_is_also_an_official_sees_both(world, cases):
    zd_case, bs_case = cases
    world.city_finance.members.add(world.zhangdian)
    assert visible(world.zhangdian) == {zd_case.pk, bs_case.pk}
    assert Case.objects.for_user(world.zhangdian).count() == 2  # no duplicate rows


@pytest.mark.parametrize(
    ("who", "call"),
    [
        ("boshan", lambda c, u: actions.accept(c, u)),  # another district's official
        ("dev_staff", lambda c, u: actions.accept(c, u)),  # another department
        ("firm2", lambda c, u: actions.reopen(c, u)),  # another firm
        ("boshan", lambda c, u: actions.escalate(c, u)),
        ("dev_staff", lambda c, u: actions.reassign(c, u, 1, "不归我们")),
        ("firm2", lambda c, u: actions.rate(c, u, "satisfied")),
        ("boshan", lambda c, u: actions.log_follow_up(c, u, "已回访")),
        ("firm2", lambda c, u: actions.add_follower(c, u)),
        ("finance_staff", lambda c, u: actions.wait_for_enterprise(c, u)),
    ],
)
def test_acting_outside_scope_is_refused(world, cases, who, call):
    zd_case, _bs_case = cases
    before = CaseEvent.objects.count()
    with pytest.raises(actions.OutOfScope) as err:
        call(zd_case, getattr(world, who))
    assert "不在您的管辖范围内" in err.value.message
    assert CaseEvent.objects.count() == before
    zd_case.refresh_from_db()
    assert zd_case.state == State.SUBMITTED


def test_filing_for_a_firm_outside_scope(world, clock):
    with pytest.raises(actions.OutOfScope):
        actions.file_case(world.firm, world.zd2, category="talent", description="x")
    with pytest.raises(actions.OutOfScope):
        actions.file_case(world.boshan, world.zd, category="talent", description="x")
    with pytest.raises(actions.OutOfScope):
        actions.file_case(world.hr_staff, world.zd, category="talent", description="x")
    assert not Case.objects.exists()


def test_an_official_files_on_the_firms_behalf(world, clock):
    case = actions.file_case(
        world.zhangdian, world.zd, category="approval", description="环评审批进度慢"
    )
    assert (case.channel, case.filed_by, case.department) == (
        "phone",
        world.zhangdian,
        world.zd_dev,
    )
    # the firm is the requester and is told
    assert case.messages.filter(recipient=world.firm).exists()


def test_a_firm_files_only_through_its_own_channels(world, clock):
    with pytest.raises(actions.InvalidInput):
        actions.file_case(world.firm, world.zd, category="talent", description="x", channel="visit")


def test_district_officials_escalate_in_their_district_only(world, clock):
    case = case_in(world, State.IN_PROGRESS)
    with pytest.raises(actions.NotAllowed):
        actions.escalate(case, world.hr_staff)  # the department does not escalate itself
    actions.escalate(case, world.zhangdian)


def test_an_anonymous_user_sees_and_does_nothing(world, clock):
    from django.contrib.auth.models import AnonymousUser

    case = file(world)
    with pytest.raises(actions.OutOfScope):
        actions.accept(case, AnonymousUser())
    with pytest.raises(actions.NotAllowed):
        actions.file_case(AnonymousUser(), world.zd, category="talent", description="x")
    assert not Case.objects.for_user(AnonymousUser()).exists()


def test_the_platform_acts_as_a_named_system_actor(world, clock):
    # jobs, imports and the demo pass a name, never a user; pages always pass request.user
    case = actions.file_case("热线导入", world.zd, category="talent", description="热线来电")
    assert (case.channel, case.filed_by) == ("hotline", None)
    actions.accept(case, "热线导入")
    event = case.events.last()
    assert (event.actor, event.actor_label) == (None, "热线导入")
    assert case.messages.filter(recipient=world.firm).exists()
