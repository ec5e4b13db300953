"""审计日志 page: city officials and admins only, scoped to the official's area, newest first,
filters (actor, action, object type, object id or USCC, date range), pages of 50, changes as a
readable old → new table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from smeladder.accounts.audit import record
from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.models import Enterprise, Pool, PoolMembership
from tests.web.conftest import client_for, valid_uscc
from tests.web.test_browser import browser, shot, sign_in  # noqa: F401 — browser: a fixture

URL = "/audit/"


@pytest.fixture
def jinan(db) -> Enterprise:
    return Enterprise.objects.create(
        uscc=valid_uscc("91370102MA3C0000C"),
        name="济南历下软件有限公司",
        division_code="370102",
        industry_code="I6510",
    )


@pytest.fixture
def admin(make_user):
    return make_user("root", Role.ADMIN)


@pytest.fixture
def events(firms, jinan, admin, district):
    """Four events, oldest first: an admin import summary, a diff on the 张店 firm by the
    district official, an admin change to the 济南 firm, an admin's pool event about the 博山
    firm's membership."""
    zhangdian, boshan = firms
    seed = Pool.objects.create(code="seed", name="种子库")
    membership = PoolMembership.objects.create(
        pool=seed, enterprise=boshan, joined_on=dt.date(2026, 3, 1), reason="研发投入高"
    )
    made = [
        record(
            "registry.import",
            actor=admin,
            object_type="registry.ImportRun",
            object_id="7",
            changes={"file_name": "全省.xlsx", "created": 3, "updated": 0},
        ),
        record(
            "registry.enterprise.update",
            actor=district,
            object_type="registry.Enterprise",
            object_id=str(zhangdian.pk),
            changes={
                "annual.2025.revenue": ["12345678", "20000000"],
                "name": ["旧名称", zhangdian.name],
                "titles.hnte.national.2024-11-01.status": ["active", "revoked"],
                "listed": [None, True],
            },
        ),
        record(
            "registry.enterprise.update",
            actor=admin,
            object_type="registry.Enterprise",
            object_id=str(jinan.pk),
            changes={"name": ["济南旧名", jinan.name]},
        ),
        record(
            "registry.pool_add",
            actor=admin,
            object_type="registry.PoolMembership",
            object_id=str(membership.pk),
            changes={
                "pool": "seed",
                "enterprise": boshan.uscc,
                "joined_on": [None, "2026-03-01"],
                "reason": [None, "研发投入高"],
            },
        ),
    ]
    base = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))
    for n, event in enumerate(made):  # one day apart, 09:00 Beijing time
        AuditEvent.objects.filter(pk=event.pk).update(at=base + dt.timedelta(days=n))
    return made


def ids(response) -> list[int]:
    return [e.pk for e in response.context["events"]]


@pytest.mark.parametrize(
    ("role", "prefix", "status"),
    [
        (Role.CITY_OFFICIAL, "3703", 200),
        (Role.ADMIN, "", 200),
        (Role.DISTRICT_OFFICIAL, "370303", 403),
        (Role.PARTNER, "3703", 403),
        (Role.CITY_OFFICIAL, "", 403),  # an official without an area has no scope
    ],
)
def test_who_may_read(make_user, events, role, prefix, status):
    user = make_user("someone", role, division_prefix=prefix)
    response = client_for(user).get(URL)
    assert response.status_code == status
    if status == 403:
        assert "20000000" not in response.content.decode()


def test_enterprise_user_is_refused_and_anonymous_sent_to_login(firms, make_user, events):
    firm_user = make_user("firm", Role.ENTERPRISE, enterprise=firms[0])
    assert client_for(firm_user).get(URL).status_code == 403
    response = client_for(firm_user).get(URL).content.decode()
    assert "旧名称" not in response
    from django.test import Client

    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_admin_sees_everything_newest_first(admin, events):
    response = client_for(admin).get(URL)
    assert ids(response) == [e.pk for e in reversed(events)]


def test_city_official_sees_own_area_only(city, events):
    _summary, diff, _jinan_event, pool = events
    response = client_for(city).get(URL)
    # the 济南 firm's change and the admin's province-wide import are not the city's
    assert ids(response) == [pool.pk, diff.pk]
    text = response.content.decode()
    assert "济南" not in text and "全省.xlsx" not in text


def test_changes_render_as_old_new_table(city, firms, events):
    zhangdian, boshan = firms
    text = client_for(city).get(URL).content.decode()
    assert "2025年营业收入" in text and "12345678" in text and "20000000" in text
    assert "国家级高新技术企业（2024-11-01）· 状态" in text and "已撤销" in text
    assert "企业名称" in text and "旧名称" in text
    assert "是否上市" in text and "未知" in text  # None → 未知, True → 是
    assert "→" in text
    # the firm's name links to its profile; the pool event links the firm it names
    assert f'href="/enterprises/{zhangdian.uscc}/"' in text
    assert f'href="/enterprises/{boshan.uscc}/"' in text
    assert "研发投入高" in text and "入库理由" in text


def test_summary_events_render_as_values(admin, events):
    response = client_for(admin).get(URL, {"action": "registry.import"})
    event = response.context["events"][0]
    # (PostgreSQL's jsonb keeps its own key order)
    assert sorted((r.label, r.new, r.is_diff) for r in event.rows) == sorted(
        [("来源", "全省.xlsx", False), ("新增", "3", False), ("更新", "0", False)]
    )


def test_any_dict_renders(admin, firms):
    record(
        "custom.thing",
        actor=admin,
        object_type="x.Y",
        object_id="1",
        changes={"nested": {"a": [1, 2]}, "pair": ["x", "y"], "list": [1, 2, 3], "n": None},
    )
    response = client_for(admin).get(URL)
    assert response.status_code == 200
    rows = {r.label: r for r in response.context["events"][0].rows}
    assert rows["nested"].new == '{"a": [1, 2]}'
    assert (rows["pair"].old, rows["pair"].new, rows["pair"].is_diff) == ("x", "y", True)
    assert rows["list"].new == "1、2、3" and rows["n"].new == "未知"


def test_filter_by_actor_action_and_type(admin, district, events):
    _summary, diff, jinan_event, pool = events
    client = client_for(admin)
    assert ids(client.get(URL, {"actor": "ZD"})) == [diff.pk]  # case-insensitive, part
    assert ids(client.get(URL, {"action": "registry.enterprise.update"})) == [
        jinan_event.pk,
        diff.pk,
    ]
    assert ids(client.get(URL, {"type": "registry.PoolMembership"})) == [pool.pk]
    assert ids(client.get(URL, {"action": "no.such"})) == []


def test_filter_by_object_id_or_uscc(city, admin, firms, jinan, events):
    zhangdian, boshan = firms
    summary, diff, jinan_event, pool = events
    assert ids(client_for(city).get(URL, {"object": zhangdian.uscc.lower()})) == [diff.pk]
    # a pool event names the firm by USCC in its changes
    assert ids(client_for(city).get(URL, {"object": boshan.uscc})) == [pool.pk]
    assert ids(client_for(admin).get(URL, {"object": "7"})) == [summary.pk]
    assert ids(client_for(admin).get(URL, {"object": jinan.uscc})) == [jinan_event.pk]
    # a firm outside the city: nothing, even by its USCC
    assert ids(client_for(city).get(URL, {"object": jinan.uscc})) == []


def test_filter_by_date_range_in_local_days(admin, events):
    summary, diff, jinan_event, pool = events  # 2026-11-20 … 11-23, 09:00 Beijing time
    client = client_for(admin)
    both = {"since": "2026-11-21", "until": "2026-11-22"}
    assert ids(client.get(URL, both)) == [jinan_event.pk, diff.pk]
    assert ids(client.get(URL, {"since": "2026-11-23"})) == [pool.pk]
    assert ids(client.get(URL, {"until": "2026-11-20"})) == [summary.pk]  # the whole day
    assert ids(client.get(URL, {"until": "2026-11-19"})) == []
    # 2026-11-20 08:30 Beijing is 00:30 UTC: still the 20th here
    early = timezone.make_aware(dt.datetime(2026, 11, 20, 0, 30))
    AuditEvent.objects.filter(pk=summary.pk).update(at=early)
    assert ids(client.get(URL, {"since": "2026-11-20", "until": "2026-11-20"})) == [summary.pk]


def test_bad_date_is_ignored_with_a_message(admin, events):
    response = client_for(admin).get(URL, {"since": "2026-13-01", "until": "soon"})
    assert response.status_code == 200 and len(response.context["events"]) == 4
    assert "日期格式应为" in response.content.decode()


def test_pages_of_fifty(admin, firms):
    for n in range(60):
        record("custom.n", actor=admin, object_type="x.Y", object_id=str(n), changes={"n": n})
    client = client_for(admin)
    first = client.get(URL)
    assert len(first.context["events"]) == 50 and first.context["count"] == 60
    assert first.context["events"][0].object_id == "59"
    second = client.get(URL, {"page": 2, "action": "custom.n"})
    assert len(second.context["events"]) == 10
    assert "action=custom.n" in second.content.decode()
    assert client.get(URL, {"page": "abc"}).status_code == 200


def test_query_count(city, firms, django_assert_max_num_queries):
    zhangdian, boshan = firms
    for n in range(60):
        firm = (zhangdian, boshan)[n % 2]
        record(
            "registry.enterprise.update",
            actor="system",
            object_type="registry.Enterprise",
            object_id=str(firm.pk),
            changes={"annual.2025.revenue": [str(n), str(n + 1)]},
        )
    client = client_for(city)
    with django_assert_max_num_queries(15):
        response = client.get(URL, {"since": "2020-01-01", "object": zhangdian.uscc})
    assert response.status_code == 200 and response.context["count"] == 30
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert len(response.context["events"]) == 50


def test_menu_links_the_page_for_city_officials_only(city, district):
    assert 'href="/audit/"' in client_for(city).get("/enterprises/").content.decode()
    assert 'href="/audit/"' not in client_for(district).get("/enterprises/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_city_official_reads_the_log_in_the_browser(
    live_server,
    browser,  # noqa: F811 — the fixture imported above
    city,
    events,
):
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, city.username)
    page.click("text=审计日志")  # from the menu
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "2025年营业收入" in body and "济南" not in body
    page.select_option("select[name=action]", "registry.enterprise.update")
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "共 1 条" in body and "研发投入高" not in body
    shot(page, "audit-log")
