"""A small casework world: firms in 张店 (370303) and 博山 (370304), a city department and a
张店 one with routing rules, officials of each scope, the firms' users and department staff.
The frozen clock they are used with is the `clock` fixture of tests/frozen_clock.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from stdnum.cn import uscc as stdnum_uscc

from smeladder.accounts.models import Role, User
from smeladder.casework.models import Department, RoutingRule
from smeladder.registry.models import Enterprise


def _uscc(body17: str) -> str:
    return body17 + stdnum_uscc.calc_check_digit(body17)


def _user(username: str, role: str, **fields: object) -> User:
    return User.objects.create_user(username=username, password="pw-for-tests", role=role, **fields)


@pytest.fixture
def world(db) -> SimpleNamespace:
    zd = Enterprise.objects.create(
        uscc=_uscc("91370303MA3C0000A"), name="张店诉求测试甲公司", division_code="370303"
    )
    zd2 = Enterprise.objects.create(
        uscc=_uscc("91370303MA3C0000B"), name="张店诉求测试乙公司", division_code="370303"
    )
    bs = Enterprise.objects.create(
        uscc=_uscc("91370304MA3C0000C"), name="博山诉求测试丙公司", division_code="370304"
    )
    city_finance = Department.objects.create(name="淄博市地方金融监管局", division_prefix="3703")
    zd_hr = Department.objects.create(name="张店区人社局", division_prefix="370303")
    zd_dev = Department.objects.create(name="张店区发改局", division_prefix="370303")
    task_force = Department.objects.create(
        name="淄博市企业诉求工作专班", division_prefix="3703", owns_level="task_force"
    )
    RoutingRule.objects.create(category="financing", division_prefix="", department=city_finance)
    RoutingRule.objects.create(category="talent", division_prefix="3703", department=city_finance)
    RoutingRule.objects.create(category="talent", division_prefix="370303", department=zd_hr)
    RoutingRule.objects.create(category="approval", division_prefix="370303", department=zd_dev)

    w = SimpleNamespace(zd=zd, zd2=zd2, bs=bs)
    w.city_finance, w.zd_hr, w.zd_dev, w.task_force = city_finance, zd_hr, zd_dev, task_force
    w.admin = _user("admin", Role.ADMIN)
    w.city = _user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    w.zhangdian = _user("zhangdian", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    w.boshan = _user("boshan", Role.DISTRICT_OFFICIAL, division_prefix="370304")
    w.firm = _user("firm", Role.ENTERPRISE, enterprise=zd, email="firm@example.cn")
    w.firm2 = _user("firm2", Role.ENTERPRISE, enterprise=zd2)
    w.bs_firm = _user("bs_firm", Role.ENTERPRISE, enterprise=bs)
    # department staff have no area of their own: they see what is assigned to their unit
    w.hr_staff = _user("hr_staff", Role.PARTNER)
    w.dev_staff = _user("dev_staff", Role.PARTNER)
    w.finance_staff = _user("finance_staff", Role.PARTNER)
    zd_hr.members.add(w.hr_staff)
    zd_dev.members.add(w.dev_staff)
    city_finance.members.add(w.finance_staff)
    return w
