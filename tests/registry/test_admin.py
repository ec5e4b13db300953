"""The back office is scoped like every other view: a district official cannot read or write
another district's enterprises, and every change lands in the audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.models import Enterprise


@pytest.fixture
def district_client(db, make_user):
    user = make_user("zhangdian", Role.DISTRICT_OFFICIAL, division_prefix="370303", is_staff=True)
    user.groups.add(Group.objects.get(name="区县工作人员"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def firms(db):
    own = Enterprise.objects.create(
        uscc="91370303MA3C00001A", name="张店甲企业", division_code="370303"
    )
    other = Enterprise.objects.create(
        uscc="91370304MA3C00002B", name="博山乙企业", division_code="370304"
    )
    return own, other


def test_changelist_lists_only_own_district(district_client, firms):
    response = district_client.get("/admin/registry/enterprise/")
    assert response.status_code == 200
    assert "张店甲企业" in response.content.decode()
    assert "博山乙企业" not in response.content.decode()


def test_search_by_uscc_and_name(district_client, firms):
    body = district_client.get("/admin/registry/enterprise/", {"q": "91370303MA3C00001A"}).content
    assert "张店甲企业" in body.decode()
    body = district_client.get("/admin/registry/enterprise/", {"q": "博山乙"}).content.decode()
    assert "博山乙企业" not in body  # out of scope even when searched for by name


def test_other_district_change_page_is_not_reachable(district_client, firms):
    _, other = firms
    response = district_client.get(f"/admin/registry/enterprise/{other.pk}/change/")
    assert response.status_code == 302  # admin redirects "does not exist" to the index
    other.refresh_from_db()
    response = district_client.post(
        f"/admin/registry/enterprise/{other.pk}/change/", {"name": "篡改"}, follow=False
    )
    other.refresh_from_db()
    assert other.name == "博山乙企业"


def _enterprise_post(enterprise: Enterprise, **changes: str) -> dict[str, str]:
    data = {
        "uscc": enterprise.uscc,
        "uscc_checksum_ok": "on",
        "name": enterprise.name,
        "division_code": enterprise.division_code,
        "industry_code": "",
        "extra": "{}",
    }
    for prefix in (
        "annual_figures",
        "titles",
        "pool_memberships",
        "equity_financing",
        "platform_scores",
        "awards",
        "maker_china",
    ):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | changes


def test_moving_an_enterprise_out_of_the_district_is_refused(district_client, firms):
    own, _ = firms
    response = district_client.post(
        f"/admin/registry/enterprise/{own.pk}/change/",
        _enterprise_post(own, division_code="370304"),
    )
    assert response.status_code == 200  # form redisplayed with the error
    assert "只能登记本辖区" in response.content.decode()
    own.refresh_from_db()
    assert own.division_code == "370303"


def test_admin_change_is_audited_with_old_and_new(district_client, firms):
    own, _ = firms
    response = district_client.post(
        f"/admin/registry/enterprise/{own.pk}/change/",
        _enterprise_post(own, name="张店甲企业（更名）"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="registry.admin_change", object_id=str(own.pk))
    assert event.actor_label == "zhangdian"
    assert event.changes == {"name": ["张店甲企业", "张店甲企业（更名）"]}
