"""The 办理规则 page: a city official edits departments, members, routing, deadline and
unsatisfied rules through the casework actions (audited, and a newly filed case follows the new
routing); bad input shows the action's Chinese message and writes nothing; district officials
read only, other roles get 403; a city official of another city cannot touch 淄博's rules."""

from __future__ import annotations

from typing import Any

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.casework import actions
from smeladder.casework.models import (
    DeadlineRule,
    Department,
    RoutingRule,
    UnsatisfiedRule,
)

from .conftest import client_for

URL = "/cases/rules/"


def state() -> list[Any]:
    return [
        list(Department.objects.order_by("pk").values_list("name", "division_prefix", "active")),
        list(Department.members.through.objects.order_by("pk").values_list("user")),
        list(RoutingRule.objects.order_by("pk").values_list("category", "division_prefix")),
        list(DeadlineRule.objects.order_by("pk").values_list("category", "working_days")),
        list(UnsatisfiedRule.objects.order_by("pk").values_list("category", "outcome")),
        AuditEvent.objects.count(),
    ]


@pytest.fixture
def city(make_user: Any) -> Any:
    return make_user("rules_city", Role.CITY_OFFICIAL, division_prefix="3703")


@pytest.fixture
def boshan_rules(db: Any) -> Department:
    dept = Department.objects.create(name="博山区人社局", division_prefix="370304")
    RoutingRule.objects.create(category="talent", division_prefix="370304", department=dept)
    DeadlineRule.objects.update_or_create(
        category="", urgency="normal", level="self", defaults={"working_days": 5}
    )
    return dept


def audited(action: str) -> bool:
    return AuditEvent.objects.filter(action=f"casework.{action}").exists()


def test_city_official_edits_every_kind_of_rule(
    firms: Any, city: Any, make_user: Any, boshan_rules: Department
) -> None:
    zhangdian, _boshan = firms
    staff = make_user("rules_staff", Role.DEPARTMENT, organisation="张店区工信局")
    client = client_for(city)

    response = client.post(
        URL,
        {"op": "department", "name": "张店区工信局", "division_prefix": "370303", "active": "on"},
    )
    assert response.status_code == 302
    dept = Department.objects.get(name="张店区工信局")
    assert dept.active and dept.owns_level == "" and audited("save_department")

    page = client.get(URL).content.decode()
    assert "rules_staff" in page  # a member to choose, shown by username
    client.post(URL, {"op": "members", "id": dept.pk, "members": [staff.pk]})
    assert list(dept.members.all()) == [staff] and audited("set_members")

    client.post(
        URL,
        {
            "op": "deadline",
            "category": "",
            "urgency": "normal",
            "level": "self",
            "working_days": "7",
        },
    )
    assert DeadlineRule.objects.get(category="", urgency="normal", level="self").working_days == 7
    assert audited("set_deadline_rule")

    client.post(
        URL,
        {"op": "route", "category": "talent", "division_prefix": "370303", "department": dept.pk},
    )
    rule = RoutingRule.objects.get(category="talent", division_prefix="370303")
    assert rule.department == dept and audited("set_routing_rule")
    case = actions.file_case(city, zhangdian, category="talent", description="招工难")
    assert case.department == dept

    client.post(URL, {"op": "unsatisfied", "category": "talent", "outcome": "escalate"})
    assert UnsatisfiedRule.objects.get(category="talent").outcome == "escalate"
    assert audited("set_unsatisfied_rule")

    # renamed and deactivated: a deactivated department no longer receives cases
    client.post(
        URL,
        {
            "op": "department",
            "id": dept.pk,
            "name": "张店区工信局（旧）",
            "division_prefix": "370303",
        },
    )
    dept.refresh_from_db()
    assert dept.name == "张店区工信局（旧）" and not dept.active
    assert (
        actions.file_case(city, zhangdian, category="talent", description="再次").department is None
    )

    client.post(URL, {"op": "route_delete", "id": rule.pk})
    assert not RoutingRule.objects.filter(pk=rule.pk).exists() and audited("delete_routing_rule")
    page = client.get(URL).content.decode()
    assert "博山区人社局" in page and "?type=casework.RoutingRule" in page


@pytest.mark.parametrize(
    ("form", "message", "status"),
    [
        ({"op": "department", "name": " ", "division_prefix": "370303"}, "请填写部门名称", 400),
        (
            {"op": "department", "name": "某局", "division_prefix": "37a"},
            "服务区划代码前缀应为 2、4 或 6 位数字",
            400,
        ),
        ({"op": "department", "name": "省局", "division_prefix": "37"}, "超出您的管辖范围", 403),
        (
            {
                "op": "deadline",
                "category": "",
                "urgency": "normal",
                "level": "self",
                "working_days": "0",
            },
            "办理时限应为 1 至 365 个工作日",
            400,
        ),
        (
            {
                "op": "deadline",
                "category": "",
                "urgency": "normal",
                "level": "self",
                "working_days": "366",
            },
            "办理时限应为 1 至 365 个工作日",
            400,
        ),
        (
            {"op": "deadline", "urgency": "normal", "level": "self", "working_days": "x"},
            "工作日数",
            400,
        ),
        ({"op": "unsatisfied", "category": "talent", "outcome": "ignore"}, "未知的处理方式", 400),
        (
            {"op": "route", "category": "nope", "division_prefix": "3703", "department": "{dept}"},
            "未知的诉求类别",
            400,
        ),
        (
            {"op": "route", "category": "talent", "division_prefix": "", "department": "{dept}"},
            "超出您的管辖范围",
            403,
        ),
        (
            {
                "op": "route",
                "category": "talent",
                "division_prefix": "3703",
                "department": "999999",
            },
            "找不到该承办部门",
            400,
        ),
        ({"op": "members", "id": "{dept}", "members": ["999999"]}, "所选成员不在可选范围内", 400),
        ({"op": "frobnicate"}, "未知的操作", 400),
    ],
)
def test_bad_input_shows_the_message_and_writes_nothing(
    city: Any, boshan_rules: Department, form: dict[str, Any], message: str, status: int
) -> None:
    form = {k: v.format(dept=boshan_rules.pk) if isinstance(v, str) else v for k, v in form.items()}
    before = state()
    response = client_for(city).post(URL, form)
    assert response.status_code == status
    assert message in response.content.decode()
    assert state() == before


def test_routing_to_an_inactive_department_is_refused(city: Any, boshan_rules: Department) -> None:
    boshan_rules.active = False
    boshan_rules.save()
    before = state()
    response = client_for(city).post(
        URL,
        {
            "op": "route",
            "category": "talent",
            "division_prefix": "370304",
            "department": boshan_rules.pk,
        },
    )
    assert response.status_code == 400 and "已停用" in response.content.decode()
    assert state() == before


FORMS = [
    {"op": "department", "name": "篡改", "division_prefix": "370304", "id": "{dept}"},
    {"op": "route", "category": "talent", "division_prefix": "370304", "department": "{dept}"},
    {"op": "route_delete", "id": "{route}"},
    {"op": "deadline", "category": "", "urgency": "normal", "level": "self", "working_days": "1"},
    {"op": "unsatisfied", "category": "", "outcome": "escalate"},
    {"op": "members", "id": "{dept}", "members": []},
]


def _forms(dept: Department) -> list[dict[str, Any]]:
    route = dept.routes.get()
    return [
        {
            k: v.format(dept=dept.pk, route=route.pk) if isinstance(v, str) else v
            for k, v in f.items()
        }
        for f in FORMS
    ]


def test_district_official_reads_only(make_user: Any, boshan_rules: Department) -> None:
    district = make_user("rules_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    client = client_for(district)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "博山区人社局" in page and "只读" in page
    assert 'name="op"' not in page  # no forms
    before = state()
    for form in _forms(boshan_rules):
        assert client.post(URL, form).status_code == 403
    assert state() == before
    assert "case-rules-link" not in client.get("/cases/").content.decode()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PARTNER, Role.DEPARTMENT])
def test_other_roles_get_403(
    firms: Any, make_user: Any, boshan_rules: Department, role: str
) -> None:
    extra = {"enterprise": firms[0]} if role == Role.ENTERPRISE else {}
    user = make_user("rules_other", role, **extra)
    boshan_rules.members.add(user)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    before = state()
    for form in _forms(boshan_rules):
        assert client.post(URL, form).status_code == 403
    assert state() == before


def test_another_city_cannot_touch_zibo_rules(make_user: Any, boshan_rules: Department) -> None:
    qingdao = make_user("rules_qd", Role.CITY_OFFICIAL, division_prefix="3702")
    client = client_for(qingdao)
    page = client.get(URL).content.decode()
    assert "博山区人社局" not in page
    before = state()
    for form in _forms(boshan_rules)[:3] + _forms(boshan_rules)[5:]:
        response = client.post(URL, form)
        assert response.status_code in (400, 403)
    # its own department cannot take a 淄博 route either
    client.post(
        URL, {"op": "department", "name": "青岛市工信局", "division_prefix": "3702", "active": "on"}
    )
    own = Department.objects.get(name="青岛市工信局")
    after_create = state()
    response = client.post(
        URL,
        {"op": "route", "category": "talent", "division_prefix": "370304", "department": own.pk},
    )
    assert response.status_code == 403 and "超出您的管辖范围" in response.content.decode()
    assert state() == after_create
    assert before[2:5] == after_create[2:5]


def test_city_official_sees_the_link_and_the_page_is_cheap(
    city: Any, make_user: Any, boshan_rules: Department, django_assert_max_num_queries: Any
) -> None:
    client = client_for(city)
    assert "case-rules-link" in client.get("/cases/").content.decode()
    for i in range(6):
        dept = actions.save_department(city, name=f"部门{i}", division_prefix="370303")
        staff = make_user(f"rules_staff{i}", Role.DEPARTMENT)
        actions.set_members(city, dept, [staff, city])
        actions.set_routing_rule(
            city, category=["talent", "policy", "market"][i % 3], division_prefix=f"37030{i}",
            department=dept,
        )  # fmt: skip
        actions.set_deadline_rule(
            city, category="talent", urgency="urgent", level=["self", "special"][i % 2],
            working_days=3 + i,
        )  # fmt: skip
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("rules_staff5") >= 2


def test_admin_edits_any_area_and_members_outside_the_pool_are_kept(
    make_user: Any, boshan_rules: Department
) -> None:
    admin = make_user("rules_admin", Role.ADMIN)
    # a member who is no longer a candidate (another city's official) stays choosable
    outsider = make_user("rules_jinan", Role.CITY_OFFICIAL, division_prefix="3701")
    boshan_rules.members.add(outsider)
    city = make_user("rules_city2", Role.CITY_OFFICIAL, division_prefix="3703")
    page = client_for(city).get(URL).content.decode()
    assert "rules_jinan" in page
    client = client_for(admin)
    response = client.post(
        URL,
        {"op": "route", "category": "talent", "division_prefix": "", "department": boshan_rules.pk},
    )
    assert response.status_code == 302
    assert RoutingRule.objects.filter(category="talent", division_prefix="").exists()
    response = client.post(
        URL, {"op": "members", "id": boshan_rules.pk, "members": [outsider.pk, city.pk]}
    )
    assert response.status_code == 302
    assert set(boshan_rules.members.all()) == {outsider, city}
