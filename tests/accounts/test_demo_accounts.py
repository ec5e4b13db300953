from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from smeladder.accounts.models import Role, User
from smeladder.registry.models import Enterprise

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-for-tests"


@pytest.fixture(scope="module")
def demo_city(module_transaction):
    """Built once for the module (rolled back after it); each test's changes are undone."""
    call_command("demo", enterprises=300, seed=3, stdout=StringIO())


def run() -> str:
    out = StringIO()
    with override_settings(DEMO_PASSWORD=PASSWORD):
        call_command("demo_accounts", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_works_on_an_empty_registry():
    # first in the module: the tests below share one demo city until the module ends
    assert not Enterprise.objects.exists()
    err = StringIO()
    with override_settings(DEMO_PASSWORD=PASSWORD):
        call_command("demo_accounts", stdout=StringIO(), stderr=err)
    assert User.objects.get(username="demo_firm").enterprise is None
    assert "smeladder demo" in err.getvalue()


def test_four_accounts_with_roles_scopes_and_password(demo_city):
    output = run()
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"admin", "zibo_city", "zhangdian", "demo_firm", "demo_bank", "zibo_gxj"}
    admin, city, district, firm = (
        users[k] for k in ("admin", "zibo_city", "zhangdian", "demo_firm")
    )
    assert admin.is_superuser and admin.is_staff and admin.role == Role.ADMIN
    assert (city.role, city.division_prefix, city.is_staff) == (Role.CITY_OFFICIAL, "3703", True)
    assert (district.role, district.division_prefix) == (Role.DISTRICT_OFFICIAL, "370303")
    assert district.is_staff and not district.is_superuser
    assert district.groups.filter(name="区县工作人员").exists()
    assert firm.role == Role.ENTERPRISE and not firm.is_staff
    assert firm.enterprise is not None and firm.enterprise.division_code == "370303"
    for user in users.values():
        assert user.check_password(PASSWORD)
    for word in ("admin", "zibo_city", "zhangdian", "demo_firm", PASSWORD, "角色 / role"):
        assert word in output


def test_demo_firm_is_the_zhangdian_firm_with_most_titles(demo_city):
    run()
    from django.db.models import Count, Q

    best = (
        Enterprise.objects.filter(division_code="370303")
        .annotate(n=Count("titles", filter=Q(titles__status="active")))
        .order_by("-n", "id")
        .first()
    )
    assert User.objects.get(username="demo_firm").enterprise_id == best.pk


def test_idempotent_and_resets_changes(demo_city):
    run()
    user = User.objects.get(username="zhangdian")
    user.set_password("changed")
    user.division_prefix = "370304"
    user.is_active = False
    user.save()
    run()
    assert User.objects.count() == 6
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.is_active
    assert user.division_prefix == "370303"


def test_the_department_account_works_its_units_requests(demo_city):
    from smeladder.casework.models import Case

    run()
    staff = User.objects.get(username="zibo_gxj")
    assert staff.role == Role.DEPARTMENT and not staff.is_staff and staff.division_prefix == ""
    assert list(staff.departments.values_list("name", flat=True)) == ["市工业和信息化局"]
    visible = Case.objects.for_user(staff)
    assert visible.exists()  # the demo city routes 政策咨询 and 其他 there
    assert set(visible.values_list("department__name", flat=True)) == {"市工业和信息化局"}
    run()  # idempotent: still one membership
    assert staff.departments.count() == 1
