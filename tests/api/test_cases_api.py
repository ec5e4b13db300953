"""The casework API (/api/v1/cases …): every operation per role, the scope walls (another firm's
case, another district's, a department's members, partners), bad input as 400 naming the field,
refused transitions leaving the case as it was, events recorded, and due dates equal to
casework/deadlines.py's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from stdnum.cn import uscc as stdnum_uscc

from smeladder.accounts.models import Role, User
from smeladder.casework import actions
from smeladder.casework.deadlines import deadline_of
from smeladder.casework.metrics import refresh_metrics
from smeladder.casework.models import (
    Case,
    CaseEvent,
    DeadlineRule,
    Department,
    Rating,
    RoutingRule,
)
from smeladder.registry.models import Enterprise

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path  # attachments are written under it
    return tmp_path


def _uscc(body17: str) -> str:
    return body17 + stdnum_uscc.calc_check_digit(body17)


def _user(username: str, role: str, **fields: Any) -> User:
    return User.objects.create_user(username=username, password="pw-for-tests", role=role, **fields)


@pytest.fixture
def w(db, clock) -> SimpleNamespace:
    """张店 firms zd, zd2 and a 博山 firm bs; a city, a 张店 and a 博山 department with routing
    rules; officials of each scope, the firms' users, 张店 HR staff, a partner."""
    zd = Enterprise.objects.create(
        uscc=_uscc("91370303MA3C0A01A"), name="张店接口诉求甲公司", division_code="370303"
    )
    zd2 = Enterprise.objects.create(
        uscc=_uscc("91370303MA3C0A02B"), name="张店接口诉求乙公司", division_code="370303"
    )
    bs = Enterprise.objects.create(
        uscc=_uscc("91370304MA3C0A03C"), name="博山接口诉求丙公司", division_code="370304"
    )
    city_fin = Department.objects.create(name="淄博市地方金融监管局", division_prefix="3703")
    zd_hr = Department.objects.create(name="张店区人社局", division_prefix="370303")
    bs_hr = Department.objects.create(name="博山区人社局", division_prefix="370304")
    old = Department.objects.create(name="已撤并的局", division_prefix="370303", active=False)
    RoutingRule.objects.create(category="financing", division_prefix="", department=city_fin)
    RoutingRule.objects.create(category="talent", division_prefix="370303", department=zd_hr)
    RoutingRule.objects.create(category="talent", division_prefix="370304", department=bs_hr)
    ns = SimpleNamespace(zd=zd, zd2=zd2, bs=bs, city_fin=city_fin, zd_hr=zd_hr, bs_hr=bs_hr)
    ns.old = old
    ns.admin = _user("root", Role.ADMIN)
    ns.city = _user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    ns.zhangdian = _user("zhangdian", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    ns.boshan = _user("boshan", Role.DISTRICT_OFFICIAL, division_prefix="370304")
    ns.firm = _user("firm", Role.ENTERPRISE, enterprise=zd)
    ns.firm2 = _user("firm2", Role.ENTERPRISE, enterprise=zd2)
    ns.bs_firm = _user("bs_firm", Role.ENTERPRISE, enterprise=bs)
    ns.partner = _user("bank", Role.PARTNER, organisation="某银行")
    # department staff: no area of their own, they see what is assigned to their unit
    ns.hr_staff = _user("hr_staff", Role.PARTNER)
    zd_hr.members.add(ns.hr_staff)
    return ns


def api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def file(user: User, **fields: Any) -> Case:
    fields.setdefault("category", "talent")
    fields.setdefault("description", "急需数控技工 20 名")
    return actions.file_case(user, user.enterprise, channel="web", **fields)


def url(case: Case, tail: str = "") -> str:
    return f"/api/v1/cases/{case.pk}/{tail}"


def events(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    return set(response.json()["error"]["fields"])


# --- filing -----------------------------------------------------------------------------


def test_enterprise_files_for_its_own_firm_through_the_api(w):
    body = {"category": "talent", "description": "急需数控技工 20 名", "urgency": "normal"}
    response = api(w.firm).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(pk=data["id"])
    assert (case.enterprise, case.channel, case.state, case.department) == (
        w.zd,
        "api",
        "submitted",
        w.zd_hr,
    )
    assert data["uscc"] == w.zd.uscc and data["department_name"] == "张店区人社局"
    assert [e["kind"] for e in data["events"]] == ["filed"] == events(case)
    # filed 2026-09-29, 5 working days across National Day and the 10-10 make-up Saturday
    assert data["due_on"] == "2026-10-12" == deadline_of(case).due_on.isoformat()
    assert data["overdue"] is False and data["clock"] == "running"


def test_enterprise_cannot_file_for_another_firm_or_by_phone(w):
    client = api(w.firm)
    other = {"uscc": w.zd2.uscc, "category": "talent", "description": "x"}
    response = client.post("/api/v1/cases/", other, format="json")
    assert response.status_code == 404 and w.zd2.name not in response.content.decode()
    phone = {"category": "talent", "description": "x", "channel": "phone"}
    assert fields_of(client.post("/api/v1/cases/", phone, format="json")) == {"channel"}
    own = {"uscc": w.zd.uscc.lower(), "category": "talent", "description": "x"}
    assert client.post("/api/v1/cases/", own, format="json").status_code == 201
    assert Case.objects.count() == 1


def test_official_files_on_behalf_of_a_firm_in_its_area_only(w):
    client = api(w.zhangdian)
    body = {"uscc": w.zd.uscc, "category": "financing", "description": "续贷困难"}
    response = client.post("/api/v1/cases/", {**body, "channel": "visit"}, format="json")
    assert response.status_code == 201
    assert response.json()["channel"] == "visit" and response.json()["department"] == w.city_fin.pk
    default = client.post("/api/v1/cases/", body, format="json")
    assert default.json()["channel"] == "phone"
    foreign = client.post("/api/v1/cases/", {**body, "uscc": w.bs.uscc}, format="json")
    assert foreign.status_code == 404 and w.bs.name not in foreign.content.decode()
    del body["uscc"]
    assert fields_of(client.post("/api/v1/cases/", body, format="json")) == {"uscc"}
    assert Case.objects.count() == 2


@pytest.mark.parametrize("who", ["partner", "hr_staff"])
def test_partners_and_department_staff_do_not_file(w, who):
    body = {"uscc": w.zd.uscc, "category": "talent", "description": "x"}
    response = api(getattr(w, who)).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "x"}, "category"),
        ({"category": "bogus", "description": "x"}, "category"),
        ({"category": "talent"}, "description"),
        ({"category": "talent", "description": "   "}, "description"),
        ({"category": "talent", "description": "x" * 5001}, "description"),
        ({"category": "talent", "description": "x", "urgency": "asap"}, "urgency"),
        ({"category": "talent", "description": "x", "channel": "fax"}, "channel"),
    ],
)
def test_bad_filing_is_400_naming_the_field(w, body, field):
    assert fields_of(api(w.firm).post("/api/v1/cases/", body, format="json")) == {field}
    assert not Case.objects.exists()


def test_a_body_that_is_not_json_is_refused(w):
    client = api(w.firm)
    for raw in ("[1]", "null", "{", "3"):
        response = client.post("/api/v1/cases/", raw, content_type="application/json")
        assert response.status_code == 400, raw
    form = client.post("/api/v1/cases/", {"category": "talent", "description": "x"})
    assert form.status_code == 415  # multipart is for attachments only
    assert not Case.objects.exists()


# --- reading: scope -----------------------------------------------------------------------


@pytest.fixture
def cases(w) -> SimpleNamespace:
    """One case of each firm: zd's and zd2's routed to 张店人社局, bs's to 博山人社局, and a
    financing case of zd routed to the city."""
    return SimpleNamespace(
        zd=file(w.firm),
        zd2=file(w.firm2),
        bs=file(w.bs_firm),
        zd_fin=file(w.firm, category="financing", description="续贷"),
    )


def listed(user: User, query: str = "") -> list[int]:
    response = api(user).get("/api/v1/cases/" + query)
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def ids(*cases: Case) -> list[int]:
    return sorted(c.pk for c in cases)


def test_each_role_lists_its_own_scope(w, cases):
    assert listed(w.firm) == ids(cases.zd, cases.zd_fin)
    assert listed(w.firm2) == ids(cases.zd2)
    assert listed(w.zhangdian) == ids(cases.zd, cases.zd2, cases.zd_fin)
    assert listed(w.boshan) == ids(cases.bs)
    assert listed(w.city) == listed(w.admin) == ids(*vars(cases).values())
    assert listed(w.hr_staff) == ids(cases.zd, cases.zd2)  # assigned to its department
    assert listed(w.partner) == []


def test_detail_is_404_outside_scope(w, cases):
    assert api(w.firm).get(url(cases.zd)).status_code == 200
    assert api(w.hr_staff).get(url(cases.zd)).status_code == 200
    walls = [(w.firm, cases.zd2), (w.firm, cases.bs), (w.zhangdian, cases.bs)]
    walls += [(w.hr_staff, cases.zd_fin), (w.partner, cases.zd), (w.boshan, cases.zd)]
    for user, case in walls:
        response = api(user).get(url(case))
        assert response.status_code == 404, (user, case)
        assert response.json()["error"]["code"] == "not_found"
        assert case.enterprise.name not in response.content.decode()
    assert api(None).get(url(cases.zd)).status_code in (401, 403)


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "99999999999999999999"])
def test_a_malformed_id_is_400_naming_it(w, pk):
    assert fields_of(api(w.city).get(f"/api/v1/cases/{pk}/")) == {"id"}


def test_list_filters(w, cases, clock):
    actions.accept(cases.zd, w.zhangdian)
    assert listed(w.city, "?state=accepted") == ids(cases.zd)
    assert listed(w.city, "?category=financing") == ids(cases.zd_fin)
    assert listed(w.city, f"?department={w.bs_hr.pk}") == ids(cases.bs)
    assert listed(w.city, f"?uscc={w.zd2.uscc.lower()}") == ids(cases.zd2)
    assert listed(w.zhangdian, f"?uscc={w.bs.uscc}") == []  # another district's firm: nothing
    assert listed(w.city, "?overdue=true") == []
    clock.set("2026-10-13")  # the day after the 5th working day
    actions.accept(cases.zd2, w.zhangdian)
    actions.wait_for_enterprise(cases.zd2, w.zhangdian)  # paused: not overdue
    assert listed(w.city, "?overdue=true") == ids(cases.zd, cases.bs, cases.zd_fin)
    assert listed(w.city, "?overdue=false") == ids(cases.zd2)
    assert listed(w.zhangdian, "?overdue=true&category=talent") == ids(cases.zd)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?state=done", "state"),
        ("?category=x", "category"),
        ("?department=abc", "department"),
        ("?department=0", "department"),
        ("?overdue=perhaps", "overdue"),
        ("?uscc=" + "9" * 19, "uscc"),
        ("?page=0", "page"),
    ],
)
def test_bad_list_query_is_400_naming_the_parameter(w, cases, query, field):
    assert fields_of(api(w.city).get("/api/v1/cases/" + query)) == {field}


def test_rows_carry_the_due_dates_deadlines_py_computes(w, cases, clock):
    clock.set("2026-10-09")
    actions.accept(cases.zd, w.zhangdian)
    actions.wait_for_enterprise(cases.zd, w.zhangdian)
    clock.set("2026-10-13")
    actions.escalate(cases.bs, w.boshan, "久拖未办")
    rows = {r["id"]: r for r in api(w.city).get("/api/v1/cases/").json()["results"]}
    for case in Case.objects.all():
        expected = deadline_of(case, dt.date(2026, 10, 13))
        row = rows[case.pk]
        assert row["due_on"] == (expected.due_on.isoformat() if expected.due_on else None)
        assert row["overdue"] is expected.overdue(dt.date(2026, 10, 13))
    assert rows[cases.zd.pk]["due_on"] is None and rows[cases.zd.pk]["clock"] == "paused"
    assert rows[cases.bs.pk]["level"] == "special"


def test_a_due_date_beyond_the_calendar_is_reported_not_a_500(w, clock):
    clock.set("2026-12-30")
    case = file(w.firm)  # 5 working days reach 2027, which the pinned calendar does not know
    row = api(w.firm).get("/api/v1/cases/").json()["results"][0]
    assert row["id"] == case.pk and row["due_on"] is None and row["clock"] == "unknown"
    assert "2027" in row["deadline_problem"]
    assert api(w.firm).get("/api/v1/cases/?overdue=true").json()["results"] == []


def test_detail_has_events_ratings_follow_ups_and_attachments(w, cases, clock):
    actions.add_attachment(cases.zd, w.firm, "营业执照.pdf", SimpleUploadedFile("a.pdf", PDF))
    for step in (actions.accept, actions.start, actions.resolve):
        step(cases.zd, w.zhangdian)
    actions.rate(cases.zd, w.firm, "satisfied", "很快")
    actions.log_follow_up(cases.zd, w.zhangdian, "企业表示问题已解决", "王经理")
    data = api(w.firm).get(url(cases.zd)).json()
    assert data["description"] == "急需数控技工 20 名" and data["state"] == "closed"
    kinds = ["filed", "attachment", "accept", "start", "resolve", "rate", "confirm", "follow_up"]
    assert [e["kind"] for e in data["events"]] == kinds
    assert data["events"][2]["actor"] == "zhangdian" and data["events"][2]["to_state"] == "accepted"
    assert [(r["satisfaction"], r["comment"]) for r in data["ratings"]] == [("satisfied", "很快")]
    assert [f["contact"] for f in data["follow_ups"]] == ["王经理"]
    [att] = data["attachments"]
    assert (att["original_name"], att["content_type"], att["size"]) == (
        "营业执照.pdf",
        "pdf",
        len(PDF),
    )
    assert att["download_url"] == f"/api/v1/cases/{cases.zd.pk}/attachments/{att['id']}/"


# --- transitions ----------------------------------------------------------------------------


def move(user: User, case: Case, action: str, note: str = "") -> Any:
    return api(user).post(
        url(case, "transitions/"), {"action": action, "note": note}, format="json"
    )


def test_the_whole_path_through_the_api(w, cases, clock):
    assert move(w.zhangdian, cases.zd, "accept", "已受理").json()["state"] == "accepted"
    assert move(w.hr_staff, cases.zd, "start").json()["state"] == "in_progress"
    clock.set("2026-10-09")
    waiting = move(w.hr_staff, cases.zd, "wait", "请补充用工计划").json()
    assert (waiting["state"], waiting["due_on"], waiting["clock"]) == ("waiting", None, "paused")
    clock.set("2026-10-14")
    replied = move(w.firm, cases.zd, "reply", "已补充").json()
    # 3 working days used (9-30, 10-8, 10-9) of 5: 2 more from the reply on 10-14
    assert replied["due_on"] == "2026-10-16" == deadline_of(cases.zd).due_on.isoformat()
    assert move(w.hr_staff, cases.zd, "resolve", "已对接招聘会").json()["state"] == "resolved"
    assert move(w.firm, cases.zd, "reopen", "仍未招到").json()["state"] == "reopened"
    assert events(cases.zd) == ["filed", "accept", "start", "wait", "reply", "resolve", "reopen"]
    event = CaseEvent.objects.get(case=cases.zd, kind="wait")
    assert (event.actor, event.note, event.from_state) == (
        w.hr_staff,
        "请补充用工计划",
        "in_progress",
    )


def test_an_illegal_transition_is_refused_and_changes_nothing(w, cases):
    before = (Case.objects.get(pk=cases.zd.pk).state, events(cases.zd))
    response = move(w.zhangdian, cases.zd, "resolve")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert "当前状态为「已提交」，不能办结" in error["message"]
    assert (Case.objects.get(pk=cases.zd.pk).state, events(cases.zd)) == before


def test_the_firm_may_not_do_the_handlers_part(w, cases):
    response = move(w.firm, cases.zd, "accept")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert events(cases.zd) == ["filed"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "action"),
        ({"action": "auto_close"}, "action"),
        ({"action": "ACCEPT"}, "action"),
        ({"action": "accept", "note": "x" * 2001}, "note"),
        ({"action": "accept", "note": 5}, None),  # a number is taken as its text
    ],
)
def test_bad_transition_body(w, cases, body, field):
    response = api(w.zhangdian).post(url(cases.zd, "transitions/"), body, format="json")
    if field is None:
        assert response.status_code == 200 and events(cases.zd)[-1] == "accept"
    else:
        assert fields_of(response) == {field} and events(cases.zd) == ["filed"]


# --- escalate, reassign, rating, follow-ups ------------------------------------------------


def test_escalation_by_an_official_of_the_area(w, cases):
    response = api(w.zhangdian).post(url(cases.zd, "escalate/"), {"reason": "久拖"}, format="json")
    assert response.status_code == 200 and response.json()["level"] == "special"
    assert CaseEvent.objects.get(case=cases.zd, kind="escalate").note == "久拖"
    assert fields_of(api(w.zhangdian).post(url(cases.zd, "escalate/"), {}, format="json")) == {
        "reason"
    }
    for user in (w.firm, w.hr_staff):  # the firm, and the department itself, do not escalate
        refused = api(user).post(url(cases.zd, "escalate/"), {"reason": "x"}, format="json")
        assert refused.status_code == 403
    assert events(cases.zd) == ["filed", "escalate"]


def test_escalation_at_the_top_is_409(w, cases):
    for _ in range(3):
        actions.escalate(cases.zd, w.zhangdian, "升级")
    response = api(w.city).post(url(cases.zd, "escalate/"), {"reason": "再升"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "illegal_transition"
    assert Case.objects.get(pk=cases.zd.pk).level == "leading_group"


def test_reassign_to_a_department_of_the_area(w, cases):
    client = api(w.zhangdian)
    body = {"department": w.city_fin.pk, "reason": "属融资问题"}
    response = client.post(url(cases.zd, "reassign/"), body, format="json")
    assert response.status_code == 200 and response.json()["department"] == w.city_fin.pk
    event = CaseEvent.objects.get(case=cases.zd, kind="reassign")
    assert event.data == {"department": [w.zd_hr.pk, w.city_fin.pk]}
    for department in (w.bs_hr.pk, w.old.pk, 10**9, w.city_fin.pk):  # 博山's, inactive, none, same
        body = {"department": department, "reason": "x"}
        assert fields_of(client.post(url(cases.zd, "reassign/"), body, format="json")) == {
            "department"
        }
    no_reason = client.post(url(cases.zd, "reassign/"), {"department": w.zd_hr.pk}, format="json")
    assert fields_of(no_reason) == {"reason"}
    assert events(cases.zd) == ["filed", "reassign"]


def test_department_staff_hand_a_case_on_and_still_get_the_answer(w, cases):
    body = {"department": w.city_fin.pk, "reason": "应由市金融局办理"}
    response = api(w.hr_staff).post(url(cases.zd, "reassign/"), body, format="json")
    assert (
        response.status_code == 200 and response.json()["department_name"] == "淄博市地方金融监管局"
    )
    assert api(w.hr_staff).get(url(cases.zd)).status_code == 404  # no longer theirs


def test_reassign_outside_scope_reveals_nothing(w, cases):
    body = {"department": 10**9, "reason": "x"}
    response = api(w.zhangdian).post(url(cases.bs, "reassign/"), body, format="json")
    assert response.status_code == 404  # not a 400 about the department: the case comes first


def resolved(w: SimpleNamespace, case: Case, handler: User | None = None) -> Case:
    for step in (actions.accept, actions.start, actions.resolve):
        step(case, handler or w.zhangdian)
    return case


def test_rating_closes_or_reopens(w, cases):
    resolved(w, cases.zd)
    rate = url(cases.zd, "rating/")
    early = api(w.firm2).post(
        url(cases.zd2, "rating/"), {"satisfaction": "satisfied"}, format="json"
    )
    assert early.status_code == 409 and early.json()["error"]["code"] == "illegal_transition"
    assert fields_of(api(w.firm).post(rate, {"satisfaction": "unsatisfied"}, format="json")) == {
        "comment"
    }
    assert fields_of(api(w.firm).post(rate, {"satisfaction": "great"}, format="json")) == {
        "satisfaction"
    }
    response = api(w.firm).post(
        rate, {"satisfaction": "unsatisfied", "comment": "没解决"}, format="json"
    )
    assert response.status_code == 201 and response.json()["state"] == "reopened"
    assert [r["satisfaction"] for r in response.json()["ratings"]] == ["unsatisfied"]
    resolved_again = [actions.start, actions.resolve]
    for step in resolved_again:
        step(cases.zd, w.zhangdian)
    again = api(w.firm).post(rate, {"satisfaction": "fairly"}, format="json")
    assert again.json()["state"] == "closed"
    twice = api(w.firm).post(rate, {"satisfaction": "satisfied"}, format="json")
    assert twice.status_code == 409 and Rating.objects.filter(case=cases.zd).count() == 2


def test_rating_a_foreign_case_is_404(w, cases):
    resolved(w, cases.zd)
    response = api(w.firm2).post(
        url(cases.zd, "rating/"), {"satisfaction": "satisfied"}, format="json"
    )
    assert response.status_code == 404 and not Rating.objects.exists()


def test_follow_up_calls(w, cases):
    resolved(w, cases.zd)
    body = {"summary": "企业表示满意", "contact": "王经理"}
    response = api(w.zhangdian).post(url(cases.zd, "follow-ups/"), body, format="json")
    assert response.status_code == 201
    assert [f["summary"] for f in response.json()["follow_ups"]] == ["企业表示满意"]
    assert api(w.firm).post(url(cases.zd, "follow-ups/"), body, format="json").status_code == 403
    blank = api(w.zhangdian).post(url(cases.zd, "follow-ups/"), {"summary": " "}, format="json")
    assert fields_of(blank) == {"summary"}
    assert api(w.boshan).post(url(cases.zd, "follow-ups/"), body, format="json").status_code == 404
    assert events(cases.zd)[-1] == "follow_up" and events(cases.zd).count("follow_up") == 1


# --- attachments ---------------------------------------------------------------------------


def upload(user: User, case: Case, name: str, content: bytes) -> Any:
    return api(user).post(
        url(case, "attachments/"), {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def test_upload_and_download_within_scope(w, cases):
    response = upload(w.firm, cases.zd, "用工计划.pdf", PDF)
    assert response.status_code == 201, response.content
    att = response.json()
    assert (att["original_name"], att["content_type"], att["size"]) == (
        "用工计划.pdf",
        "pdf",
        len(PDF),
    )
    for user in (w.firm, w.zhangdian, w.hr_staff, w.city):
        got = api(user).get(att["download_url"])
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
        assert (
            got["Content-Type"] == "application/pdf" and "attachment" in got["Content-Disposition"]
        )
    for user in (w.firm2, w.boshan, w.partner):
        assert api(user).get(att["download_url"]).status_code == 404
    assert upload(w.firm2, cases.zd, "x.pdf", PDF).status_code == 404
    # the attachment id under another case of the caller is not found either
    assert api(w.firm).get(url(cases.zd_fin, f"attachments/{att['id']}/")).status_code == 404
    assert events(cases.zd) == ["filed", "attachment"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("病毒.exe", b"MZ" + b"\x00" * 20),
        ("假图片.png", PDF),
        ("空文件.pdf", b""),
        ("无扩展名", PDF),
    ],
)
def test_a_bad_attachment_is_400_naming_file(w, cases, name, content):
    assert fields_of(upload(w.firm, cases.zd, name, content)) == {"file"}
    assert events(cases.zd) == ["filed"]


def test_too_large_and_missing_files(w, cases, settings):
    settings.SMELADDER_CASE_ATTACHMENT_MAX_BYTES = 40
    assert upload(w.firm, cases.zd, "ok.png", PNG).status_code == 201  # 40 bytes: the limit
    assert fields_of(upload(w.firm, cases.zd, "big.png", PNG + b"\x00")) == {"file"}
    nothing = api(w.firm).post(url(cases.zd, "attachments/"), {}, format="multipart")
    assert fields_of(nothing) == {"file"}
    text = api(w.firm).post(url(cases.zd, "attachments/"), {"file": "abc"}, format="multipart")
    assert fields_of(text) == {"file"}
    assert events(cases.zd) == ["filed", "attachment"]


def test_download_of_a_malformed_or_unknown_attachment(w, cases):
    assert fields_of(api(w.firm).get(url(cases.zd, "attachments/abc/"))) == {"att"}
    assert api(w.firm).get(url(cases.zd, "attachments/12345/")).status_code == 404


# --- departments and metrics -------------------------------------------------------------


def departments(user: User) -> Any:
    return api(user).get("/api/v1/departments/")


def test_departments_to_reassign_to(w):
    names = lambda user: {d["name"] for d in departments(user).json()["results"]}  # noqa: E731
    assert names(w.zhangdian) == {"淄博市地方金融监管局", "张店区人社局"}
    assert names(w.hr_staff) == {"淄博市地方金融监管局", "张店区人社局"}
    assert names(w.city) == {"淄博市地方金融监管局", "张店区人社局", "博山区人社局"}
    assert names(w.admin) == names(w.city)  # inactive units are not offered
    for user in (w.firm, w.partner):
        assert departments(user).status_code == 403


def test_metrics_rows_in_scope(w, cases):
    refresh_metrics(on=dt.date(2026, 9, 29))

    def rows(user: User, query: str = "") -> Any:
        return api(user).get("/api/v1/case-metrics/" + query)

    areas = lambda user, q="": {r["area"] for r in rows(user, q).json()["results"]}  # noqa: E731
    assert areas(w.zhangdian) == {"370303"}
    assert areas(w.boshan) == {"370304"}
    assert areas(w.city, "?dimension=all") == {"3703", "370303", "370304"}
    backlog = rows(w.zhangdian, "?dimension=all").json()["results"]
    assert {r["property"]: r["value"] for r in backlog}["backlog"] == 3.0
    month = rows(w.zhangdian, "?month=2026-09").json()["results"]
    assert month and {(r["dimension"], r["key"]) for r in month} == {("month", "2026-09")}
    assert rows(w.city, "?month=2026-08").json()["results"] == []
    assert {
        r["key"] for r in rows(w.city, "?dimension=category&area=370304").json()["results"]
    } == {"talent"}
    for query, field in [
        ("?dimension=year", "dimension"),
        ("?month=2026-13", "month"),
        ("?month=2026-09&dimension=category", "month"),
        ("?area=37", "area"),
    ]:
        assert fields_of(rows(w.city, query)) == {field}
    for user in (w.firm, w.partner, w.hr_staff):
        assert rows(user).status_code == 403


# --- cross-scope: every endpoint on another tenant's case ------------------------------------


def requests_on(case: Case, attachment: int, department: int) -> list[tuple[str, str, Any]]:
    return [
        ("get", url(case), None),
        ("post", url(case, "transitions/"), {"action": "accept", "note": "越权"}),
        ("post", url(case, "escalate/"), {"reason": "越权"}),
        ("post", url(case, "reassign/"), {"department": department, "reason": "越权"}),
        ("post", url(case, "rating/"), {"satisfaction": "unsatisfied", "comment": "越权"}),
        ("post", url(case, "follow-ups/"), {"summary": "越权"}),
        ("get", url(case, f"attachments/{attachment}/"), None),
    ]


def snapshot() -> tuple:
    return (
        sorted(Case.objects.values_list("pk", "state", "level", "department_id")),
        CaseEvent.objects.count(),
        Rating.objects.count(),
    )


@pytest.mark.parametrize(
    ("caller", "victim", "allowed"),
    [
        ("zhangdian", "bs", {404}),  # another district: as if it did not exist
        ("boshan", "zd", {404}),
        ("firm2", "zd", {404}),  # another firm of the same district
        ("bs_firm", "zd", {404}),
        ("hr_staff", "zd_fin", {404}),  # not assigned to the member's department
        ("partner", "zd", {404}),
        (None, "zd", {401, 403}),
    ],
)
def test_other_scope_gets_nothing_and_writes_nothing(w, cases, caller, victim, allowed):
    case = getattr(cases, victim)
    row = actions.add_attachment(case, "测试", "证明.pdf", SimpleUploadedFile("a.pdf", PDF))
    resolved(w, case, w.boshan if victim == "bs" else w.zhangdian)  # ratable, follow-ups too
    client = api(getattr(w, caller) if caller else None)
    before = snapshot()
    for method, path, body in requests_on(case, row.pk, w.city_fin.pk):
        response = getattr(client, method)(path, body, format="json")
        assert response.status_code in allowed, (method, path, response.status_code)
        text = response.content.decode()
        assert case.enterprise.name not in text and case.enterprise.uscc not in text
        assert "error" in response.json()
    upload_response = client.post(
        url(case, "attachments/"), {"file": SimpleUploadedFile("x.pdf", PDF)}, format="multipart"
    )
    assert upload_response.status_code in allowed
    assert snapshot() == before
    if caller is not None:
        listing = client.get("/api/v1/cases/", {"uscc": case.enterprise.uscc}).json()
        assert case.pk not in [row["id"] for row in listing["results"]]


def test_token_auth_keeps_the_same_walls(w, cases):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=w.zhangdian).key}")
    assert client.get(url(cases.zd)).status_code == 200
    assert client.get(url(cases.bs)).status_code == 404
    refused = client.post(url(cases.bs, "escalate/"), {"reason": "x"}, format="json")
    assert refused.status_code == 404 and events(cases.bs) == ["filed"]


def test_the_schema_documents_every_casework_operation_in_chinese(w):
    schema = api(w.city).get("/api/v1/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        if path.startswith(("/api/v1/cases/", "/api/v1/case-metrics/", "/api/v1/departments/"))
        for method, op in item.items()
    ]
    assert len(operations) == 12
    for path, method, op in operations:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in op.get("summary", "")), (method, path)
    move = schema["paths"]["/api/v1/cases/{id}/transitions/"]["post"]
    assert "409" in move["responses"]
    row = schema["components"]["schemas"]["CaseRow"]["properties"]
    assert "工作日" in row["due_on"]["description"]


def test_filing_without_a_deadline_rule_is_409_not_500(w):
    DeadlineRule.objects.filter(urgency="urgent").delete()
    body = {"category": "talent", "description": "x", "urgency": "urgent"}
    response = api(w.firm).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "no_deadline_rule"
    assert "办理时限规则" in response.json()["error"]["message"]
    assert not Case.objects.exists()
