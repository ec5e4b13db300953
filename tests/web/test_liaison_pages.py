"""包联服务 pages: the list of firms in scope with their officer, last visit and service progress
(filters), assigning and changing the officer (dated, history kept), logging a visit whose finding
opens a request, the service package, the firm's own read-only page — and who may do none of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.casework import actions
from smeladder.casework.models import Case, LiaisonAssignment, ServicePackageItem, Visit
from smeladder.registry.models import Enterprise

from .conftest import client_for, valid_uscc

D = dt.date


@pytest.fixture
def officers(make_user: Any) -> dict[str, Any]:
    return {
        "zd": make_user("zd_officer", Role.DISTRICT_OFFICIAL, division_prefix="370303",
                        first_name="张店干部"),
        "bs": make_user("bs_officer", Role.DISTRICT_OFFICIAL, division_prefix="370304",
                        first_name="博山干部"),
        "city": make_user("city_officer", Role.CITY_OFFICIAL, division_prefix="3703",
                          first_name="市级干部"),
    }  # fmt: skip


def page_text(response: Any) -> str:
    return response.content.decode()


# --- who may open the pages -------------------------------------------------------------


def test_the_list_shows_the_firms_of_the_officials_area(firms, city, district) -> None:
    zhangdian, boshan = firms
    text = page_text(client_for(city).get("/liaison/"))
    assert zhangdian.name in text and boshan.name in text
    response = client_for(district).get("/liaison/?district=370304")  # not theirs: ignored
    assert response.status_code == 200
    assert zhangdian.name in page_text(response) and boshan.name not in page_text(response)


def test_enterprises_and_partners_cannot_use_the_officials_pages(firms, make_user) -> None:
    zhangdian, boshan = firms
    firm_user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    partner = make_user("bank", Role.PARTNER, organisation="某银行")
    for user in (firm_user, partner):
        client = client_for(user)
        for url in ("/liaison/", f"/liaison/{zhangdian.uscc}/", f"/liaison/{boshan.uscc}/"):
            assert client.get(url).status_code == 403, (user, url)
        response = client.post(
            f"/liaison/{zhangdian.uscc}/services/", {"kind": "ip_help", "status": "done"}
        )
        assert response.status_code == 403
    assert not ServicePackageItem.objects.exists()
    assert client_for(partner).get("/liaison/mine/").status_code == 403


def test_another_districts_firm_does_not_exist_for_a_district_official(
    firms, district, officers
) -> None:
    _zhangdian, boshan = firms
    client = client_for(district)
    assert client.get(f"/liaison/{boshan.uscc}/").status_code == 404
    posts = {
        "assign/": {"officer": officers["bs"].pk, "valid_from": "2026-05-01"},
        "visits/": {"visited_on": "2026-05-01", "findings": "越权", "open_case": "on",
                    "category": "financing"},
        "services/": {"kind": "ip_help", "status": "done"},
    }  # fmt: skip
    for suffix, data in posts.items():
        assert client.post(f"/liaison/{boshan.uscc}/{suffix}", data).status_code == 404
    assert not LiaisonAssignment.objects.exists()
    assert not Visit.objects.exists() and not Case.objects.exists()
    assert not ServicePackageItem.objects.exists()


# --- assigning an officer ---------------------------------------------------------------


def test_assigning_and_changing_the_officer_keeps_the_history(firms, city, officers) -> None:
    zhangdian, _boshan = firms
    client = client_for(city)
    url = f"/liaison/{zhangdian.uscc}/assign/"
    response = client.post(
        url, {"officer": officers["zd"].pk, "valid_from": "2026-03-01", "next": "/liaison/"}
    )
    assert response.status_code == 302 and response["Location"] == "/liaison/"
    response = client.post(url, {"officer": officers["city"].pk, "valid_from": "2026-07-01"})
    assert response.status_code == 302
    assert response["Location"] == f"/liaison/{zhangdian.uscc}/#pairings"
    rows = list(
        LiaisonAssignment.objects.filter(enterprise=zhangdian)
        .order_by("valid_from")
        .values_list("officer", "valid_from", "valid_to", "assigned_by")
    )
    assert rows == [
        (officers["zd"].pk, D(2026, 3, 1), D(2026, 6, 30), city.pk),
        (officers["city"].pk, D(2026, 7, 1), None, city.pk),
    ]
    assert AuditEvent.objects.filter(action="casework.assign_liaison").count() == 2

    text = page_text(client.get(f"/liaison/{zhangdian.uscc}/"))
    assert "当前包联干部：<strong>市级干部</strong>（自 2026-07-01 起）" in text
    history = text.split('id="pairing-history"')[1]
    assert "张店干部" in history and "2026-06-30" in history and "至今" in history
    listed = page_text(client.get("/liaison/"))
    assert "市级干部" in listed and "自 2026-07-01 起" in listed


def test_a_change_dated_on_or_before_the_current_pairing_is_refused(firms, city, officers):
    zhangdian, _boshan = firms
    client = client_for(city)
    url = f"/liaison/{zhangdian.uscc}/assign/"
    client.post(url, {"officer": officers["zd"].pk, "valid_from": "2026-03-01"})
    response = client.post(url, {"officer": officers["city"].pk, "valid_from": "2026-03-01"})
    assert response.status_code == 400
    assert "新的包联起始日期须晚于当前包联起始日期 2026-03-01" in page_text(response)
    assert LiaisonAssignment.objects.get(enterprise=zhangdian).valid_to is None


def test_only_officials_of_the_firms_area_are_offered_and_accepted(firms, city, officers):
    zhangdian, _boshan = firms
    client = client_for(city)
    text = page_text(client.get(f"/liaison/{zhangdian.uscc}/"))
    form = text.split('id="assign-form"')[1].split("</form>")[0]
    assert "张店干部" in form and "市级干部" in form and "博山干部" not in form
    response = client.post(
        f"/liaison/{zhangdian.uscc}/assign/",
        {"officer": officers["bs"].pk, "valid_from": "2026-03-01"},
    )
    assert response.status_code == 400
    assert not LiaisonAssignment.objects.exists()


def test_a_district_official_is_not_offered_another_districts_officers(
    firms, district, officers
) -> None:
    text = page_text(client_for(district).get("/liaison/"))
    assert "张店干部" in text and "市级干部" in text and "博山干部" not in text


# --- filters and the list's columns -----------------------------------------------------


def test_filters_by_officer_district_and_missing_officer(firms, city, officers) -> None:
    zhangdian, boshan = firms
    actions.assign_liaison(city, zhangdian, officers["zd"], D(2026, 1, 1))
    client = client_for(city)

    def listed(query: str) -> set[str]:
        text = page_text(client.get("/liaison/" + query))
        return {f.name for f in (zhangdian, boshan) if f.name in text.split("<tbody>")[1]}

    assert listed("") == {zhangdian.name, boshan.name}
    assert listed("?officer=none") == {boshan.name}
    assert listed(f"?officer={officers['zd'].pk}") == {zhangdian.name}
    assert listed(f"?officer={officers['city'].pk}") == set()
    assert listed("?district=370304") == {boshan.name}
    assert listed("?q=陶瓷") == {boshan.name}
    assert listed(f"?q={zhangdian.uscc.lower()}") == {zhangdian.name}


def test_the_list_shows_last_visit_and_service_progress(firms, city) -> None:
    zhangdian, _boshan = firms
    actions.log_visit(city, zhangdian, visited_on=D(2026, 4, 2), findings="首次走访")
    actions.log_visit(city, zhangdian, visited_on=D(2026, 6, 9), findings="回访")
    actions.log_visit(city, zhangdian, visited_on=D(2026, 5, 1), findings="补录一次")
    actions.set_service_item(city, zhangdian, "ip_help", "done")
    actions.set_service_item(city, zhangdian, "financing_referral", "in_progress")
    actions.set_service_item(city, zhangdian, "policy_briefing", "offered")
    text = page_text(client_for(city).get("/liaison/?q=精密"))
    assert "2026-06-09" in text and "2026-05-01" not in text
    assert "已完成 1 / 3 项（服务中 1）" in text


def test_the_list_needs_a_fixed_number_of_queries(
    firms, city, officers, django_assert_max_num_queries
) -> None:
    for i in range(30):
        firm = Enterprise.objects.create(
            uscc=valid_uscc(f"91370303MA3D{i:04d}X"),
            name=f"淄博张店测试{i}号有限公司",
            division_code="370303",
        )
        actions.assign_liaison(city, firm, officers["zd" if i % 2 else "city"], D(2026, 1, 1))
        actions.log_visit(city, firm, visited_on=D(2026, 2, 1 + i % 20), findings="走访")
        actions.set_service_item(city, firm, "ip_help", "done")
    client = client_for(city)
    client.get("/liaison/")  # the session is warm
    with django_assert_max_num_queries(8):
        response = client.get("/liaison/")
    assert response.status_code == 200
    assert page_text(response).count("已完成 1 / 1 项") == 30


# --- a firm's page: visits and service package ------------------------------------------


def test_a_visit_finding_opens_a_request_in_one_click(firms, district) -> None:
    zhangdian, _boshan = firms
    client = client_for(district)
    response = client.post(
        f"/liaison/{zhangdian.uscc}/visits/",
        {
            "visited_on": "2026-05-12",
            "people": "王经理、李主任",
            "findings": "企业反映流动资金紧张，希望对接银行",
            "open_case": "on",
            "category": "financing",
            "urgency": "urgent",
            "description": "",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get(enterprise=zhangdian)
    case = Case.objects.get(enterprise=zhangdian)
    assert visit.case == case and visit.officer == district
    assert (case.category, case.urgency, case.channel) == ("financing", "urgent", "visit")
    assert case.description == "企业反映流动资金紧张，希望对接银行"  # the finding, by default
    page = client.get(response["Location"])
    text = page_text(page)
    assert "已登记走访，并已提交企业诉求。" in text
    assert text.count(f'href="/cases/{case.pk}/"') == 2  # the message and the visit log
    log = text.split('id="visit-log"')[1]
    assert "2026-05-12" in log and "王经理、李主任" in log and f"诉求 #{case.pk}" in log


def test_a_visit_without_a_request_and_bad_visits(firms, city) -> None:
    zhangdian, _boshan = firms
    client = client_for(city)
    url = f"/liaison/{zhangdian.uscc}/visits/"
    response = client.post(url, {"visited_on": "2026-05-12", "findings": "生产经营正常"})
    assert response.status_code == 302
    assert Visit.objects.get().case is None and not Case.objects.exists()
    # a request needs its category; an empty finding is refused
    bad = client.post(url, {"visited_on": "2026-05-13", "findings": "缺电", "open_case": "on"})
    assert bad.status_code == 400 and "提交诉求须选择诉求类别" in page_text(bad)
    assert client.post(url, {"visited_on": "2026-05-13", "findings": ""}).status_code == 400
    assert client.post(url, {"visited_on": "13/05/2026", "findings": "x"}).status_code == 400
    assert Visit.objects.count() == 1 and not Case.objects.exists()


def test_setting_a_service_items_status(firms, city) -> None:
    zhangdian, _boshan = firms
    client = client_for(city)
    url = f"/liaison/{zhangdian.uscc}/services/"
    response = client.post(url, {"kind": "digital_diagnosis", "status": "in_progress"})
    assert response.status_code == 302
    response = client.post(
        url, {"kind": "digital_diagnosis", "status": "done", "note": "已出具诊断报告"}
    )
    item = ServicePackageItem.objects.get(enterprise=zhangdian)
    assert (item.kind, item.status, item.note, item.updated_by) == (
        "digital_diagnosis", "done", "已出具诊断报告", city,
    )  # fmt: skip
    text = page_text(client.get(response["Location"]))
    assert "服务包“数字化诊断”已更新为“已完成”。" in text
    row = text.split('data-kind="digital_diagnosis"')[1].split("</tr>")[0]
    assert "已完成" in row and "已出具诊断报告" in row
    assert "上市辅导" in text  # every kind of service is listed, offered or not
    assert client.post(url, {"kind": "massage", "status": "done"}).status_code == 400
    assert client.post(url, {"kind": "ip_help", "status": "maybe"}).status_code == 400
    assert ServicePackageItem.objects.count() == 1


# --- the firm's own view ----------------------------------------------------------------


def test_an_enterprise_sees_its_own_officer_and_services_read_only(
    firms, city, officers, make_user
) -> None:
    zhangdian, boshan = firms
    actions.assign_liaison(city, zhangdian, officers["zd"], D(2026, 2, 1))
    actions.assign_liaison(city, boshan, officers["bs"], D(2026, 2, 1))
    actions.set_service_item(city, zhangdian, "policy_briefing", "done", "已宣讲")
    actions.set_service_item(city, boshan, "listing_guidance", "in_progress")
    firm_user = make_user("firm", Role.ENTERPRISE, enterprise=zhangdian)
    text = page_text(client_for(firm_user).get("/liaison/mine/"))
    assert "您企业的包联干部是 <strong>张店干部</strong>（自 2026-02-01 起）" in text
    assert "政策宣讲" in text and "已宣讲" in text
    assert "博山干部" not in text and "上市辅导" not in text and "/services/" not in text
    home = page_text(client_for(firm_user).get("/"))
    assert 'href="/liaison/mine/"' in home and "包联干部与服务包" in home
    # an official is sent to the list
    assert client_for(city).get("/liaison/mine/")["Location"] == "/liaison/"


def test_a_firms_page_needs_a_fixed_number_of_queries(
    firms, city, officers, django_assert_max_num_queries
) -> None:
    zhangdian, _boshan = firms
    for i, who in enumerate(("zd", "city", "zd")):
        actions.assign_liaison(city, zhangdian, officers[who], D(2026, 1 + i, 1))
    for i in range(20):
        actions.log_visit(
            city, zhangdian, visited_on=D(2026, 3, 1 + i), findings=f"第{i}次走访",
            open_case={"category": "policy"} if i % 5 == 0 else None,
        )  # fmt: skip
    for kind in ("ip_help", "talent", "other"):
        actions.set_service_item(city, zhangdian, kind, "offered")
    client = client_for(city)
    client.get(f"/liaison/{zhangdian.uscc}/")
    with django_assert_max_num_queries(8):
        response = client.get(f"/liaison/{zhangdian.uscc}/")
    text = page_text(response)
    assert text.count('class="case-link"') == 4 and text.count("<td>第") == 20
