"""Editing a firm through the profile's forms: validated by the importer's checks, audited old →
new, scoped (crafted posts for another district's firm → 404, nothing written), CSRF on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.interchange.schema import ANNUAL_FACTS
from smeladder.registry.models import AnnualFigures, Enterprise, ImportRun

from .conftest import client_for

FACTS = {
    "name": "淄博张店精密机械股份有限公司",
    "division_code": "370303",
    "industry_code": "C3484",
    "founded_on": "2012-08-08",
    "listed": "false",
    "flag_abnormal_operations_list": "false",
    "flag_serious_dishonesty_list": "unknown",
    "flag_major_incident_3y": "false",
    "flag_restricted_products": "unknown",
    "flag_excluded_industry_rd_deduction": "unknown",
}


def year_post(**figures: str) -> dict[str, str]:
    """A whole year form as a browser posts it: every box, blank unless given."""
    keys = [f.path for f in ANNUAL_FACTS]
    return {key: figures.get(key, "") for key in keys} | figures


def nothing_written() -> bool:
    return not AuditEvent.objects.exists() and not ImportRun.objects.exists()


@pytest.fixture
def clean(firms):
    """The two firms, with no audit events or import runs yet."""
    AuditEvent.objects.all().delete()
    ImportRun.objects.all().delete()
    return firms


def test_edit_page_offers_only_own_district(clean, district):
    zhangdian, _ = clean
    response = client_for(district).get(f"/enterprises/{zhangdian.uscc}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'value="370303"' in page and 'value="370304"' not in page
    assert zhangdian.name in page  # current values filled in


def test_official_saves_basic_facts(clean, district):
    zhangdian, _ = clean
    client = client_for(district)
    response = client.post(f"/enterprises/{zhangdian.uscc}/edit/", FACTS)
    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{zhangdian.uscc}/"
    firm = Enterprise.objects.get(pk=zhangdian.pk)
    assert firm.name == FACTS["name"] and str(firm.founded_on) == "2012-08-08"
    assert firm.listed is False and firm.flag_serious_dishonesty_list is None
    event = AuditEvent.objects.get(action="registry.enterprise.update")
    assert event.actor == district
    assert event.changes["name"] == ["淄博张店精密机械有限公司", FACTS["name"]]
    assert event.changes["listed"] == [None, False]
    assert "flags.serious_dishonesty_list" not in event.changes  # unknown → unknown
    assert "基本信息已保存" in client.get(response["Location"]).content.decode()


def test_importer_problem_shown_on_the_field(clean, city):
    zhangdian, _ = clean
    response = client_for(city).post(
        f"/enterprises/{zhangdian.uscc}/edit/", FACTS | {"industry_code": "Z9999"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    field = page[page.index('for="id_industry_code"') : page.index('for="id_founded_on"')]
    assert "GB/T 4754-2017" in field and 'class="error"' in field
    assert Enterprise.objects.get(pk=zhangdian.pk).name == zhangdian.name  # nothing written
    assert nothing_written()


def test_crafted_post_for_other_district_is_404(clean, district):
    _, boshan = clean
    client = client_for(district)
    for url, data in (
        (f"/enterprises/{boshan.uscc}/edit/", FACTS | {"division_code": "370304"}),
        (f"/enterprises/{boshan.uscc}/years/2025/edit/", year_post(revenue="1")),
        (f"/enterprises/{boshan.uscc}/years/add/", year_post(year="2024", revenue="1")),
    ):
        response = client.post(url, data)
        assert response.status_code == 404
        assert boshan.name not in response.content.decode()
        assert client.get(url).status_code == 404
    assert Enterprise.objects.get(pk=boshan.pk).name == boshan.name
    assert AnnualFigures.objects.get(enterprise=boshan, year=2025).revenue == 12_345_678
    assert not AnnualFigures.objects.filter(enterprise=boshan, year=2024).exists()
    assert nothing_written()


def test_district_official_cannot_move_firm_out(clean, district):
    zhangdian, _ = clean
    response = client_for(district).post(
        f"/enterprises/{zhangdian.uscc}/edit/", FACTS | {"division_code": "370304"}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert Enterprise.objects.get(pk=zhangdian.pk).division_code == "370303"
    assert nothing_written()


def test_city_official_moves_firm_within_city(clean, city):
    zhangdian, _ = clean
    response = client_for(city).post(
        f"/enterprises/{zhangdian.uscc}/edit/", FACTS | {"division_code": "370304"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.get(pk=zhangdian.pk).division_code == "370304"


def test_edit_a_year_in_wan(clean, district):
    zhangdian, _ = clean
    client = client_for(district)
    url = f"/enterprises/{zhangdian.uscc}/years/2025/edit/"
    form = client.get(url).content.decode()
    assert 'value="1234.5678"' in form  # 12,345,678 yuan shown in 万元, exactly
    response = client.post(url, year_post(revenue="2000.5", employees="88", net_profit="-12"))
    assert response.status_code == 302 and response["Location"].endswith("#figures")
    row = AnnualFigures.objects.get(enterprise=zhangdian, year=2025)
    assert row.revenue == Decimal("20005000") and row.employees == 88
    assert row.net_profit == Decimal("-120000")
    event = AuditEvent.objects.get(action="registry.enterprise.update")
    assert event.changes["annual.2025.revenue"] == ["12345678", "20005000"]
    assert event.changes["annual.2025.employees"] == [None, 88]
    assert "2025 年度数据已保存" in client.get(f"/enterprises/{zhangdian.uscc}/").content.decode()


def test_blank_means_unknown_and_bounds_are_checked(clean, city):
    zhangdian, _ = clean
    client = client_for(city)
    url = f"/enterprises/{zhangdian.uscc}/years/2025/edit/"
    bad = client.post(url, year_post(revenue="-1", employees="1.5", rd_expense="0.0000001"))
    assert bad.status_code == 200
    page = bad.content.decode()
    assert page.count('class="error"') >= 3
    assert AnnualFigures.objects.get(enterprise=zhangdian, year=2025).revenue == 12_345_678
    assert client.post(url, year_post()).status_code == 302  # every box blank
    assert AnnualFigures.objects.get(enterprise=zhangdian, year=2025).revenue is None


def test_add_year(clean, city):
    zhangdian, _ = clean
    client = client_for(city)
    url = f"/enterprises/{zhangdian.uscc}/years/add/"
    taken = client.post(url, year_post(year="2025", revenue="1"))
    assert taken.status_code == 200 and "已有数据" in taken.content.decode()
    assert client.post(url, year_post(year="1899", revenue="1")).status_code == 200
    added = client.post(url, year_post(year="2024", revenue="1500", rd_staff="7"))
    assert added.status_code == 302
    row = AnnualFigures.objects.get(enterprise=zhangdian, year=2024)
    assert row.revenue == 15_000_000 and row.rd_staff == 7
    assert client.get(f"/enterprises/{zhangdian.uscc}/years/2019/edit/").status_code == 404


def test_enterprise_user_edits_own_figures_not_facts(clean, make_user):
    zhangdian, boshan = clean
    client = client_for(make_user("firm", Role.ENTERPRISE, enterprise=zhangdian))
    assert client.get(f"/enterprises/{zhangdian.uscc}/edit/").status_code == 403
    assert client.post(f"/enterprises/{zhangdian.uscc}/edit/", FACTS).status_code == 403
    profile = client.get(f"/enterprises/{zhangdian.uscc}/").content.decode()
    assert f"/enterprises/{zhangdian.uscc}/edit/" not in profile
    assert f"/enterprises/{zhangdian.uscc}/years/2025/edit/" in profile
    url = f"/enterprises/{zhangdian.uscc}/years/2025/edit/"
    assert client.post(url, year_post(revenue="3000")).status_code == 302
    assert AnnualFigures.objects.get(enterprise=zhangdian, year=2025).revenue == 30_000_000
    other = client.post(f"/enterprises/{boshan.uscc}/years/2025/edit/", year_post(revenue="1"))
    assert other.status_code == 404
    assert Enterprise.objects.get(pk=zhangdian.pk).name == zhangdian.name


def test_partner_and_anonymous(clean, make_user):
    zhangdian, _ = clean
    partner = client_for(make_user("bank", Role.PARTNER))
    url = f"/enterprises/{zhangdian.uscc}/years/2025/edit/"
    assert partner.post(url, year_post(revenue="1")).status_code == 404
    anonymous = Client().post(url, year_post(revenue="1"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert nothing_written()


def test_csrf_is_enforced(clean, district):
    zhangdian, _ = clean
    client = Client(enforce_csrf_checks=True)
    client.force_login(district)
    url = f"/enterprises/{zhangdian.uscc}/years/2025/edit/"
    assert client.post(url, year_post(revenue="1")).status_code == 403
    assert client.post(f"/enterprises/{zhangdian.uscc}/edit/", FACTS).status_code == 403
    assert nothing_written()
