"""The 企业诉求 pages: the list per role (scope, filters, due dates, pages, Excel export, the
casework messages), the filing form (the firm's own, an official's on a firm's behalf, checked
attachments), the case page with only the actions the user may take, each action's POST and its
refusals (Chinese message, nothing changed), attachment downloads in scope, pinned query counts.

The clock is frozen at 2026-09-29 09:00 (Asia/Shanghai): a 5-working-day case filed then is due
on 2026-10-12, across National Day and the make-up Saturday 10-10."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from smeladder.accounts.models import Role
from smeladder.casework import actions
from smeladder.casework import calendar as case_calendar
from smeladder.casework.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseMessage,
    Department,
    Follower,
    FollowUpCall,
    Rating,
    RoutingRule,
    State,
)
from tests.frozen_clock import Clock

from .conftest import client_for

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Any, settings: Any) -> Any:
    settings.DATA_DIR = tmp_path  # attachments land in a temporary directory
    return tmp_path


@pytest.fixture
def w(firms: Any, make_user: Any, clock: Clock) -> SimpleNamespace:
    """张店 and 博山 firms, a 张店 unit and a city unit with their staff, officials, firm users."""
    zd, bs = firms
    zd_hr = Department.objects.create(name="张店区人社局", division_prefix="370303")
    city_fin = Department.objects.create(name="淄博市地方金融监管局", division_prefix="3703")
    RoutingRule.objects.create(category="talent", division_prefix="370303", department=zd_hr)
    RoutingRule.objects.create(category="talent", division_prefix="3703", department=city_fin)
    RoutingRule.objects.create(category="financing", division_prefix="3703", department=city_fin)
    n = SimpleNamespace(zd=zd, bs=bs, zd_hr=zd_hr, city_fin=city_fin, clock=clock)
    n.firm = make_user("c_firm", Role.ENTERPRISE, enterprise=zd)
    n.bs_firm = make_user("c_bs_firm", Role.ENTERPRISE, enterprise=bs)
    n.zhangdian = make_user("c_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    n.boshan = make_user("c_bs", Role.DISTRICT_OFFICIAL, division_prefix="370304")
    n.city = make_user("c_city", Role.CITY_OFFICIAL, division_prefix="3703")
    n.hr = make_user("c_hr", Role.DEPARTMENT)
    n.fin = make_user("c_fin", Role.DEPARTMENT)
    n.bank = make_user("c_bank", Role.PARTNER)
    zd_hr.members.add(n.hr)
    city_fin.members.add(n.fin)
    return n


def file(w: SimpleNamespace, user: Any = None, **fields: Any) -> Case:
    user = user or w.firm
    fields.setdefault("category", "talent")
    fields.setdefault("description", "招聘高级技工困难")
    return actions.file_case(user, user.enterprise, **fields)


def get(user: Any, url: str, status: int = 200) -> str:
    response = client_for(user).get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def post(user: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client_for(user).post(url, data or {})


# -- the list ----------------------------------------------------------------------------------


def test_each_role_lists_what_it_may_see(w: SimpleNamespace) -> None:
    mine = file(w)  # 张店 talent → 张店区人社局
    fin = file(w, category="financing", description="续贷困难")  # → city finance
    other = file(w, w.bs_firm, description="博山的诉求")  # 博山 talent → city finance (3703)

    def listed(user: Any) -> set[int]:
        html = get(user, "/cases/")
        return {c.pk for c in (mine, fin, other) if f'href="/cases/{c.pk}/"' in html}

    assert listed(w.firm) == {mine.pk, fin.pk}
    assert listed(w.bs_firm) == {other.pk}
    assert listed(w.hr) == {mine.pk}  # only its department's queue
    assert listed(w.fin) == {fin.pk, other.pk}
    assert listed(w.zhangdian) == {mine.pk, fin.pk}
    assert listed(w.boshan) == {other.pk}
    assert listed(w.city) == {mine.pk, fin.pk, other.pk}
    assert "我的诉求" in get(w.firm, "/cases/") and w.bs.name not in get(w.firm, "/cases/")
    get(w.bank, "/cases/", 403)  # partners have no 诉求


def test_due_date_and_days_left_in_the_list(w: SimpleNamespace) -> None:
    case = file(w)
    html = get(w.hr, "/cases/")
    assert "2026-10-12" in html and "剩余 5 个工作日" in html
    w.clock.set("2026-10-13")
    html = get(w.hr, "/cases/")
    assert "已超期 1 个工作日" in html and "超期</span>" in html
    assert f'href="/cases/{case.pk}/"' in get(w.hr, "/cases/?overdue=1")


def test_filters(w: SimpleNamespace) -> None:
    talent = file(w)
    financing = file(w, category="financing", description="续贷")
    actions.accept(talent, w.hr)
    w.clock.set("2026-10-13")  # both are overdue now (filed 09-29, due 10-12)
    on_time = file(w, description="新的诉求")  # due 2026-10-20

    def listed(query: str) -> set[int]:
        html = get(w.zhangdian, "/cases/" + query)
        return {c.pk for c in (talent, financing, on_time) if f'href="/cases/{c.pk}/"' in html}

    assert listed("") == {talent.pk, financing.pk, on_time.pk}
    assert listed("?state=accepted") == {talent.pk}
    assert listed("?state=submitted") == {financing.pk, on_time.pk}
    assert listed("?state=open") == {talent.pk, financing.pk, on_time.pk}
    assert listed("?category=financing") == {financing.pk}
    assert listed(f"?department={w.zd_hr.pk}") == {talent.pk, on_time.pk}
    assert listed("?level=self") == {talent.pk, financing.pk, on_time.pk}
    assert listed("?level=special") == set()
    assert listed("?overdue=1") == {talent.pk, financing.pk}
    assert listed("?overdue=1&category=talent") == {talent.pk}
    assert listed("?state=bogus&department=x") == {talent.pk, financing.pk, on_time.pk}


def test_the_list_pages_by_fifty(w: SimpleNamespace) -> None:
    for i in range(51):
        file(w, description=f"诉求 {i}")
    first = get(w.zhangdian, "/cases/")
    assert "第 1 / 2 页" in first and first.count('class="tag state-') == 50
    assert get(w.zhangdian, "/cases/?page=2").count('class="tag state-') == 1


def test_export_has_the_filtered_cases_of_the_scope(w: SimpleNamespace) -> None:
    mine = file(w)
    file(w, category="financing", description="续贷")
    file(w, w.bs_firm, description="博山的诉求")
    response = client_for(w.zhangdian).get("/cases/?category=talent&format=xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "企业名称", "统一社会信用代码")
    assert [r[0] for r in rows[1:]] == [mine.pk]
    assert rows[1][1] == w.zd.name and rows[1][7] == "张店区人社局"
    assert rows[1][9].date() == dt.date(2026, 10, 12) and rows[1][11] == "否"
    assert book.worksheets[1]["A1"].value == "企业诉求导出"
    everything = client_for(w.city).get("/cases/?format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(everything.streaming_content)))
    assert book.worksheets[0].max_row == 4  # header + three cases


def test_the_calendar_not_covering_a_year_is_shown_not_a_500(
    w: SimpleNamespace, monkeypatch: Any
) -> None:
    case = file(w)
    real = case_calendar.is_working_day

    def until_october(day: dt.date) -> bool:
        if day >= dt.date(2026, 10, 1):
            raise case_calendar.CalendarNotCovered(day)
        return real(day)

    monkeypatch.setattr(case_calendar, "is_working_day", until_october)
    listing = get(w.hr, "/cases/")
    assert "日历未覆盖" in listing
    detail = get(w.hr, f"/cases/{case.pk}/")
    assert "日历未覆盖" in detail and "尚无 2026 年数据" in detail
    get(w.hr, "/cases/?overdue=1")
    assert client_for(w.hr).get("/cases/?format=xlsx").status_code == 200


def test_list_query_count(w: SimpleNamespace, django_assert_max_num_queries: Any) -> None:
    for i in range(30):
        case = file(w, description=f"诉求 {i}")
        if i % 3 == 0:
            actions.accept(case, w.hr)
    client = client_for(w.zhangdian)
    with django_assert_max_num_queries(15):
        assert client.get("/cases/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/cases/?overdue=1&state=open&category=talent").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/cases/?format=xlsx").status_code == 200
    firm = client_for(w.firm)
    with django_assert_max_num_queries(15):
        assert firm.get("/cases/").status_code == 200


def test_detail_query_count(w: SimpleNamespace, django_assert_max_num_queries: Any) -> None:
    case = file(w, files=[("材料.pdf", io.BytesIO(PDF))])
    for kind in ("accept", "start", "resolve"):
        getattr(actions, kind)(case, w.hr, "办理")
    actions.rate(case, w.firm, "satisfied", "很好")
    actions.log_follow_up(case, w.zhangdian, "企业满意")
    actions.add_follower(case, w.city)
    for user in (w.hr, w.zhangdian, w.firm):
        client = client_for(user)
        with django_assert_max_num_queries(15):
            assert client.get(f"/cases/{case.pk}/").status_code == 200


# -- messages ------------------------------------------------------------------------------------


def test_the_list_shows_casework_messages_unread_first_and_marks_them_read(
    w: SimpleNamespace,
) -> None:
    case = file(w)
    actions.accept(case, w.hr)
    actions.start(case, w.hr)
    html = get(w.firm, "/cases/")
    assert "2 条未读" in html and "已受理" in html and "开始办理" in html
    one = CaseMessage.objects.filter(recipient=w.firm).order_by("pk").first()
    other_message = CaseMessage.objects.exclude(recipient=w.firm).first()
    assert other_message is not None  # the department's "filed" message
    response = post(w.firm, "/cases/messages/read/", {"id": one.pk})
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.read_at is not None
    assert "1 条未读" in get(w.firm, "/cases/")
    # someone else's message id changes nothing
    post(w.firm, "/cases/messages/read/", {"id": other_message.pk})
    other_message.refresh_from_db()
    assert other_message.read_at is None
    post(w.firm, "/cases/messages/read/")
    assert not CaseMessage.objects.filter(recipient=w.firm, read_at__isnull=True).exists()


# -- filing --------------------------------------------------------------------------------------


def test_an_enterprise_files_with_an_attachment(w: SimpleNamespace) -> None:
    page = get(w.firm, "/cases/new/")
    assert "提交诉求" in page and w.zd.name in page and 'name="uscc"' not in page
    upload = io.BytesIO(PDF)
    upload.name = "用工计划.pdf"
    client = client_for(w.firm)
    response = client.post(
        "/cases/new/",
        {"category": "talent", "description": "急需数控技工", "urgency": "urgent", "files": upload},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (case.enterprise, case.channel, case.urgency) == (w.zd, "web", "urgent")
    assert case.department == w.zd_hr and case.filed_by == w.firm
    assert case.attachments.get().original_name == "用工计划.pdf"
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已提交，承办部门：张店区人社局" in detail and "用工计划.pdf" in detail


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("伪装.pdf", PNG, "文件内容与扩展名「.pdf」不符"),
        ("空.pdf", b"", "文件为空"),
    ],
)
def test_a_bad_attachment_refuses_the_filing_in_chinese(
    w: SimpleNamespace, name: str, content: bytes, message: str
) -> None:
    upload = io.BytesIO(content)
    upload.name = name
    response = client_for(w.firm).post(
        "/cases/new/", {"category": "talent", "description": "招工", "files": upload}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "招工" in html  # the form keeps what was typed
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_missing_fields_are_named(w: SimpleNamespace) -> None:
    response = client_for(w.firm).post("/cases/new/", {"category": "", "description": " "})
    html = response.content.decode()
    assert response.status_code == 400 and "请选择诉求类别" in html and "请填写诉求内容" in html
    assert not Case.objects.exists()


def test_an_official_files_on_a_firms_behalf(w: SimpleNamespace) -> None:
    page = get(w.zhangdian, "/cases/new/")
    assert 'name="uscc"' in page and "热线" in page
    response = post(
        w.zhangdian,
        "/cases/new/",
        {"uscc": w.zd.uscc.lower(), "category": "financing", "description": "电话反映",
         "channel": "hotline"},
    )  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.enterprise, case.channel, case.filed_by) == (w.zd, "hotline", w.zhangdian)
    # another district's firm does not exist for them; the channel must be an official's
    refused = post(
        w.zhangdian,
        "/cases/new/",
        {"uscc": w.bs.uscc, "category": "financing", "description": "越权", "channel": "phone"},
    )
    assert refused.status_code == 400 and "在您的管辖范围内未找到该企业" in refused.content.decode()
    web = post(
        w.zhangdian,
        "/cases/new/",
        {"uscc": w.zd.uscc, "category": "financing", "description": "x", "channel": "web"},
    )
    assert web.status_code == 400 and "来源渠道" in web.content.decode()
    assert Case.objects.count() == 1


def test_department_staff_and_partners_do_not_file(w: SimpleNamespace) -> None:
    get(w.hr, "/cases/new/", 403)
    get(w.bank, "/cases/new/", 403)
    assert post(w.hr, "/cases/new/", {"category": "talent", "description": "x"}).status_code == 403
    assert not Case.objects.exists()


# -- the case page and its actions ---------------------------------------------------------------


def buttons(user: Any, case: Case) -> set[str]:
    html = get(user, f"/cases/{case.pk}/")
    return {kind for kind in ACTIONS if f"/cases/{case.pk}/{kind}/" in html}


ACTIONS = ("accept", "start", "wait", "reply", "resolve", "confirm", "reopen", "escalate",
           "reassign", "rate", "follow_up", "attach", "follow")  # fmt: skip


def test_only_the_actions_the_user_may_take_are_offered(w: SimpleNamespace) -> None:
    case = file(w)
    assert buttons(w.hr, case) == {"accept", "reassign", "follow_up", "attach", "follow"}
    assert buttons(w.zhangdian, case) == {
        "accept", "escalate", "reassign", "follow_up", "attach", "follow",
    }  # fmt: skip
    assert buttons(w.firm, case) == {"attach", "follow"}
    actions.accept(case, w.hr)
    actions.start(case, w.hr)
    actions.wait_for_enterprise(case, w.hr, "请补充用工计划")
    assert "reply" in buttons(w.firm, case) and "accept" not in buttons(w.hr, case)
    actions.enterprise_replied(case, w.firm)
    actions.resolve(case, w.hr, "已对接招聘会")
    assert {"confirm", "reopen", "rate"} <= buttons(w.firm, case)
    assert "rate" not in buttons(w.hr, case) and "escalate" not in buttons(w.hr, case)
    actions.rate(case, w.firm, "satisfied")
    assert buttons(w.firm, case) == {"reopen", "attach", "follow"}  # closed, rated


def test_the_department_works_a_case_through_the_pages(w: SimpleNamespace) -> None:
    case = file(w)
    url = f"/cases/{case.pk}/"
    assert post(w.hr, url + "accept/", {"note": ""}).status_code == 302
    assert post(w.hr, url + "start/").status_code == 302
    # waiting for the firm needs a note saying what to supply
    refused = post(w.hr, url + "wait/", {"note": "  "})
    assert refused.status_code == 400 and "请填写需要企业补充的内容" in refused.content.decode()
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    assert post(w.hr, url + "wait/", {"note": "请补充用工计划"}).status_code == 302
    html = get(w.hr, url)
    assert "计时暂停" in html and "请补充用工计划" in html
    assert post(w.firm, url + "reply/", {"note": "已上传"}).status_code == 302
    assert post(w.hr, url + "resolve/", {"note": ""}).status_code == 400
    assert post(w.hr, url + "resolve/", {"note": "已对接招聘会"}).status_code == 302
    assert post(w.firm, url + "rate/", {"satisfaction": "satisfied"}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert Rating.objects.get(case=case).satisfaction == "satisfied"
    html = get(w.firm, url)
    for text in ("已受理", "办理中", "待企业补充", "已办结", "已关闭", "c_hr", "满意"):
        assert text in html, text
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["filed", "accept", "start", "wait", "reply", "resolve", "rate", "confirm"]


@pytest.mark.parametrize(
    ("actor", "action", "data", "status", "message"),
    [
        ("firm", "accept", {}, 403, "只有承办部门或辖区工作人员可以受理"),
        ("hr", "confirm", {}, 409, "当前状态为「已提交」，不能确认办结"),
        ("hr", "escalate", {"note": "想升级"}, 403, "只有辖区工作人员可以升级诉求"),
        ("hr", "rate", {"satisfaction": "great"}, 400, "未知的评价"),
        ("firm", "rate", {"satisfaction": "satisfied"}, 409, "办结后才能评价"),
        ("firm", "reassign", {"department": "x"}, 400, "请选择改派的承办部门"),
        ("firm", "reassign", {"department": "1", "reason": "想换"}, 403, "只有承办部门"),
        ("zhangdian", "reassign", {"department": "2"}, 400, "改派诉求须说明理由"),
        ("zhangdian", "reassign", {"department": "99999", "reason": "x"}, 400, "不存在或已停用"),
        ("zhangdian", "escalate", {"note": " "}, 400, "请填写升级理由"),
        ("firm", "follow_up", {"summary": "x"}, 403, "只有承办部门或辖区工作人员可以登记回访"),
        ("hr", "follow_up", {}, 400, "请填写回访情况"),
        ("firm", "attach", {}, 400, "请选择要上传的文件"),
    ],
)
def test_refused_actions_show_why_and_change_nothing(
    w: SimpleNamespace, actor: str, action: str, data: dict[str, str], status: int, message: str
) -> None:
    case = file(w)
    before = list(CaseEvent.objects.values_list("pk", flat=True))
    response = post(getattr(w, actor), f"/cases/{case.pk}/{action}/", data)
    assert response.status_code == status
    assert message in response.content.decode()
    case.refresh_from_db()
    assert (case.state, case.level, case.department) == (State.SUBMITTED, "self", w.zd_hr)
    assert list(CaseEvent.objects.values_list("pk", flat=True)) == before


def test_an_unknown_action_is_404_and_get_is_refused(w: SimpleNamespace) -> None:
    case = file(w)
    assert post(w.hr, f"/cases/{case.pk}/explode/").status_code == 404
    assert client_for(w.hr).get(f"/cases/{case.pk}/accept/").status_code == 405


def test_escalate_reassign_follow_up_and_follow(w: SimpleNamespace) -> None:
    case = file(w)
    url = f"/cases/{case.pk}/"
    assert post(w.zhangdian, url + "escalate/", {"note": "企业多次反映"}).status_code == 302
    case.refresh_from_db()
    assert case.level == "special"
    response = post(
        w.zhangdian, url + "reassign/", {"department": w.city_fin.pk, "reason": "涉及融资"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.department == w.city_fin
    get(w.hr, url, 404)  # no longer its department's
    assert "涉及融资" in get(w.fin, url)
    assert (
        post(w.fin, url + "follow_up/", {"summary": "电话回访", "contact": "王经理"}).status_code
        == 302
    )
    assert FollowUpCall.objects.get(case=case).contact == "王经理"
    assert post(w.city, url + "follow/").status_code == 302
    assert Follower.objects.filter(case=case, user=w.city).exists()
    assert "follow" not in buttons(w.city, case)


def test_an_enterprise_cannot_see_or_act_on_another_firms_case(w: SimpleNamespace) -> None:
    theirs = file(w, w.bs_firm, description="博山的诉求")
    for user in (w.firm, w.hr, w.zhangdian):
        body = get(user, f"/cases/{theirs.pk}/", 404)
        assert w.bs.name not in body
    for user, action, data in (
        (w.firm, "rate", {"satisfaction": "satisfied"}),
        (w.hr, "accept", {}),
        (w.zhangdian, "escalate", {"note": "越权"}),
        (w.firm, "follow", {}),
    ):
        assert post(user, f"/cases/{theirs.pk}/{action}/", data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.SUBMITTED and theirs.level == "self"
    assert not Follower.objects.exists()


# -- attachments ---------------------------------------------------------------------------------


def test_attachments_download_only_in_scope(w: SimpleNamespace) -> None:
    case = file(w, files=[("营业执照.pdf", io.BytesIO(PDF))])
    other = file(w, w.bs_firm, files=[("博山.png", io.BytesIO(PNG))])
    att = case.attachments.get()
    url = f"/cases/{case.pk}/attachments/{att.pk}/"
    for user in (w.firm, w.hr, w.zhangdian, w.city):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
    for user in (w.bs_firm, w.fin, w.boshan):
        assert client_for(user).get(url).status_code == 404
    # another case's attachment through a visible case's URL
    foreign = other.attachments.get()
    assert client_for(w.firm).get(f"/cases/{case.pk}/attachments/{foreign.pk}/").status_code == 404


def test_adding_an_attachment_on_the_case_page(w: SimpleNamespace) -> None:
    case = file(w)
    upload = io.BytesIO(PNG)
    upload.name = "现场.png"
    response = client_for(w.firm).post(f"/cases/{case.pk}/attach/", {"file": upload})
    assert response.status_code == 302
    assert case.attachments.get().original_name == "现场.png"
    bad = io.BytesIO(b"not an image")
    bad.name = "假.png"
    refused = client_for(w.hr).post(f"/cases/{case.pk}/attach/", {"file": bad})
    assert refused.status_code == 400 and "不符" in refused.content.decode()
    assert case.attachments.count() == 1


# -- department staff ----------------------------------------------------------------------------


def test_department_staff_see_only_their_queue_and_no_registry(w: SimpleNamespace) -> None:
    mine = file(w)
    file(w, category="financing", description="续贷")
    home = get(w.hr, "/")
    assert "张店区人社局" in home and "本部门待办诉求 1 件" in home
    html = get(w.hr, "/cases/")
    assert "张店区人社局" in html and "淄博市地方金融监管局" not in html  # department filter too
    assert f'href="/cases/{mine.pk}/"' in html
    closed_pages = ["/enterprises/", f"/enterprises/{w.zd.uscc}/", "/screening/", "/pools/"]
    closed_pages += ["/policies/", "/self-assessment/", "/audit/", "/liaison/", "/cases/metrics/"]
    for closed in closed_pages:
        assert client_for(w.hr).get(closed).status_code in (403, 404), closed


def test_a_department_member_without_a_department_sees_nothing(
    w: SimpleNamespace, make_user: Any
) -> None:
    file(w)
    lonely = make_user("c_lonely", Role.DEPARTMENT)
    assert "尚未加入任何承办部门" in get(lonely, "/")
    assert "没有符合条件的诉求" in get(lonely, "/cases/")


def test_the_filing_form_takes_a_firm_from_a_link_in_scope_only(w: SimpleNamespace) -> None:
    assert f'value="{w.zd.uscc}"' in get(w.zhangdian, f"/cases/new/?uscc={w.zd.uscc}")
    get(w.zhangdian, f"/cases/new/?uscc={w.bs.uscc}", 404)
    get(w.firm, f"/cases/new/?uscc={w.bs.uscc}", 404)
    get(w.firm, f"/cases/new/?uscc={w.zd.uscc}")


def test_the_firms_home_links_its_requests(w: SimpleNamespace) -> None:
    home = get(w.firm, "/")
    assert 'href="/cases/"' in home.split("<main>")[1]
