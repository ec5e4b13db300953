"""The policy pages: officials' library (list, filters, search, detail in words, form with
errors and the assist, review, 免申即享 list and export, pushes, tracking) and the firm's pages
(我的政策, apply, search, inbox, mutes); who may open what; pinned query counts."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from smeladder.accounts.models import AuditEvent, Role
from smeladder.policies.models import (
    Application,
    CategoryMute,
    Notification,
    PolicyDocument,
    Status,
    SupportItem,
)
from smeladder.policies.pushes import notify_new_matches
from smeladder.web.views import policies_firm
from tests.policies.library_fixtures import TODAY, build_library, put_matches

from .conftest import client_for


@pytest.fixture
def lib(db) -> dict[str, Any]:
    data = build_library()
    try:
        from smeladder.policies.search import reindex_all
    except ImportError:
        pass
    else:
        reindex_all()
    return data


@pytest.fixture
def people(lib, make_user) -> dict[str, Any]:
    return {
        "city": make_user("p_city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "zd_off": make_user("p_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "bs_off": make_user("p_bs", Role.DISTRICT_OFFICIAL, division_prefix="370304"),
        "jia": make_user("p_jia", Role.ENTERPRISE, enterprise=lib["zd"]),
        "bing": make_user("p_bing", Role.ENTERPRISE, enterprise=lib["bs"]),
        "bank": make_user("p_bank", Role.PARTNER),
    }


@pytest.fixture
def stored_only(monkeypatch):
    """我的政策 computed by the engine as of the library's day (its window closes 2026-06-06)."""
    real = policies_firm._computed
    monkeypatch.setattr(policies_firm, "_computed", lambda firm, on: real(firm, TODAY))


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# -- officials: the library ------------------------------------------------------------------


def test_the_library_lists_what_each_official_sees(lib, people):
    zd = page(client_for(people["zd_off"]), "/policies/")
    assert lib["doc"].title in zd and lib["draft"].title not in zd  # 博山's draft
    assert lib["draft"].title in page(client_for(people["city"]), "/policies/")  # the city's area
    boshan = page(client_for(people["bs_off"]), "/policies/")
    assert lib["draft"].title in boshan and lib["doc"].title in boshan
    drafts = page(client_for(people["bs_off"]), "/policies/?status=draft")
    assert lib["draft"].title in drafts and lib["doc"].title not in drafts
    assert lib["doc"].title in page(client_for(people["city"]), "/policies/?category=funding")
    assert lib["doc"].title not in page(client_for(people["city"]), "/policies/?category=tax")
    assert lib["doc"].title not in page(client_for(people["city"]), "/policies/?level=national")
    # nonsense filters are ignored, not errors
    assert lib["doc"].title in page(client_for(people["city"]), "/policies/?level=x&status=y")


def test_the_library_search_box(lib, people):
    html = page(client_for(people["city"]), "/policies/?q=小巨人+奖励")
    assert "小巨人一次性奖励" in html and f"/policies/{lib['doc'].pk}/#item-" in html
    assert "博山区陶瓷" not in page(client_for(people["zd_off"]), "/policies/?q=陶瓷")


def test_the_library_query_count(lib, people, django_assert_max_num_queries):
    for n in range(60):
        PolicyDocument.objects.create(
            title=f"测试政策{n}", issuer="市工信局", level="city", owner_prefix="3703",
            status=Status.PUBLISHED, categories=["funding"],
        )  # fmt: skip
    client = client_for(people["city"])
    with django_assert_max_num_queries(15):
        html = page(client, "/policies/")
    assert "第 1 / 2 页" in html
    with django_assert_max_num_queries(15):
        page(client, "/policies/?category=funding&level=city&status=published&page=2")


def test_a_document_in_words(lib, people):
    html = page(client_for(people["zd_off"]), f"/policies/{lib['doc'].pk}/")
    assert "持有有效的国家级专精特新“小巨人”企业" in html
    assert "上年度研发费用总额 ≥ 100万" in html
    assert "项目通过专家评审" in html and "需人工核实" in html
    assert "一次性支持 100万元" in html
    assert "按上年度研发费用总额的10%计算，最高 500万元" in html
    assert "您管辖范围内符合 1 家，待核实 0 家" in html  # 甲 only: 丙 is in 博山
    city = page(client_for(people["city"]), f"/policies/{lib['doc'].pk}/")
    assert "您管辖范围内符合 2 家" in city
    assert "审核流程" in city and "审核流程" not in html  # the city maintains it, not 张店


def test_who_opens_which_document(lib, people):
    draft = f"/policies/{lib['draft'].pk}/"
    page(client_for(people["zd_off"]), draft, 404)
    page(client_for(people["jia"]), draft, 404)
    page(client_for(people["bank"]), f"/policies/{lib['doc'].pk}/", 403)
    assert lib["draft"].title in page(client_for(people["bs_off"]), draft)
    firm_view = page(client_for(people["jia"]), f"/policies/{lib['doc'].pk}/")
    assert "贵企业符合条件" in firm_view and "预计金额 100.00 万元" in firm_view
    assert "审核流程" not in firm_view and "免申即享名单" not in firm_view
    for url in ("/policies/", "/policies/new/", "/policies/review/", "/policies/pushes/",
                "/policies/tracking/", f"/policies/items/{lib['giant'].pk}/firms/"):  # fmt: skip
        page(client_for(people["jia"]), url, 403)
        page(client_for(people["bank"]), url, 403)


ITEMS = [
    {
        "seq": 1,
        "name": "首次认定高企奖励",
        "eligibility": {"all": [{"title": {"codes": ["hnte"]}}]},
        "benefit": {"kind": "fixed", "amount": 200000},
    }
]


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "张店区高新技术企业认定奖励办法",
        "issuer": "张店区科技局",
        "level": "district",
        "apply_to": "2026-12-31",
        "regions": "370303",
        "categories": ["innovation"],
        "owner_prefix": "370303",
        "items": json.dumps(ITEMS, ensure_ascii=False),
    }
    data.update(changes)
    return data


def test_create_edit_and_errors(lib, people):
    client = client_for(people["zd_off"])
    assert "新建政策文件" in page(client, "/policies/new/")
    bad_json = client.post("/policies/new/", _form(items="[{"))
    assert bad_json.status_code == 400 and "支持事项不是合法的 JSON" in bad_json.content.decode()
    bad_rule = [dict(ITEMS[0], eligibility={"frobnicate": 1})]
    response = client.post("/policies/new/", _form(items=json.dumps(bad_rule)))
    assert response.status_code == 400
    assert "items[0].eligibility" in response.content.decode()
    assert not PolicyDocument.objects.filter(issuer="张店区科技局").exists()
    response = client.post("/policies/new/", _form())
    doc = PolicyDocument.objects.get(issuer="张店区科技局")
    assert response.status_code == 302 and response["Location"] == f"/policies/{doc.pk}/"
    assert doc.status == Status.DRAFT and doc.items.get().name == "首次认定高企奖励"
    edit = page(client, f"/policies/{doc.pk}/edit/")
    assert "首次认定高企奖励" in edit and 'value="2026-12-31"' in edit
    client.post(f"/policies/{doc.pk}/edit/", _form(title="张店区高企奖励办法（修订）"))
    doc.refresh_from_db()
    assert doc.title == "张店区高企奖励办法（修订）" and doc.version == 2
    # another district's official: not found, nothing written
    other = client_for(people["bs_off"])
    assert other.get(f"/policies/{doc.pk}/edit/").status_code == 404
    assert other.post(f"/policies/{doc.pk}/edit/", _form(title="改")).status_code == 404
    doc.refresh_from_db()
    assert doc.title == "张店区高企奖励办法（修订）"


def test_the_assist_proposes_and_never_saves(lib, people, monkeypatch):
    from smeladder.web.views import policies_library

    proposal = {
        "fields": {
            "doc_number": "张科发〔2026〕3号",
            "regions": ["370303"],
            "items": [
                {"seq": 1, "name": "首次认定奖励", "benefit": {"kind": "fixed", "amount": 1}}
            ],
        },
        "found": [{"kind": "amount", "text": "20万元", "value": 200000, "at": 3}],
        "notes": ["以上为系统根据原文提出的建议，请逐项核对后再保存；系统不会自动发布。"],
    }
    monkeypatch.setattr(policies_library, "propose", lambda text: proposal)
    before = PolicyDocument.objects.count()
    response = client_for(people["zd_off"]).post(
        "/policies/new/", _form(full_text="奖励20万元", assist="1", doc_number="", regions="")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "智能识别建议" in html
    assert 'value="张科发〔2026〕3号"' in html and 'value="370303"' in html  # blanks filled
    assert "首次认定高企奖励" in html  # the typed items are kept, not replaced
    assert "20万元 → 200000" in html and "系统不会自动发布" in html
    assert PolicyDocument.objects.count() == before


def test_the_real_assist_reads_a_text(lib, people):
    text = (
        "关于印发《张店区高新技术企业认定奖励办法》的通知\n张科发〔2026〕3号\n"
        "对首次认定的国家高新技术企业给予一次性奖励20万元。"
    )
    response = client_for(people["zd_off"]).post(
        "/policies/new/", _form(full_text=text, assist="1", doc_number="")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "智能识别建议" in html and "20万元" in html
    assert "张科发〔2026〕3号" in html
    assert not PolicyDocument.objects.filter(issuer="张店区科技局").exists()


def test_review_four_eyes_and_publication(lib, people):
    drafter = client_for(people["zd_off"])
    drafter.post("/policies/new/", _form())
    doc = PolicyDocument.objects.get(issuer="张店区科技局")
    drafter.post(f"/policies/{doc.pk}/workflow/", {"action": "submit"})
    doc.refresh_from_db()
    assert doc.status == Status.REVIEW
    queue = page(client_for(people["city"]), "/policies/review/")
    assert doc.title in queue and "通过" in queue
    assert "本人起草，须由他人审核" in page(drafter, "/policies/review/")
    refused = drafter.post(f"/policies/{doc.pk}/workflow/", {"action": "approve"}, follow=True)
    assert "不能审核通过自己起草" in refused.content.decode()
    doc.refresh_from_db()
    assert doc.status == Status.REVIEW
    client_for(people["bs_off"]).post(f"/policies/{doc.pk}/workflow/", {"action": "approve"})
    doc.refresh_from_db()
    assert doc.status == Status.REVIEW  # 博山 does not maintain 张店's document (404)
    done = client_for(people["city"]).post(
        f"/policies/{doc.pk}/workflow/", {"action": "approve", "next": "review"}
    )
    assert done.status_code == 302 and done["Location"] == "/policies/review/"
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.reviewed_by == people["city"]
    assert AuditEvent.objects.filter(action="policies.document.approve").exists()
    nothing = client_for(people["city"]).post(f"/policies/{doc.pk}/workflow/", {"action": "x"})
    assert nothing.status_code == 302


# -- officials: 免申即享, pushes, tracking ------------------------------------------------------


def test_the_auto_grant_list_is_scoped_and_exports(lib, people):
    url = f"/policies/items/{lib['giant'].pk}/firms/"
    zd = page(client_for(people["zd_off"]), url)
    assert (
        lib["zd"].name in zd
        and lib["bs"].name not in zd
        and "共 1 家，预计金额合计 100.00 万元" in zd
    )
    city = page(client_for(people["city"]), url)
    assert lib["zd"].name in city and lib["bs"].name in city and "200.00 万元" in city
    boshan = page(client_for(people["city"]), url + "?district=370304")
    assert lib["bs"].name in boshan and lib["zd"].name not in boshan and "共 1 家" in boshan
    assert "共 0 家" in page(client_for(people["zd_off"]), url + "?district=370304")  # not theirs
    response = client_for(people["zd_off"]).get(url + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book["免申即享名单"].iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" and [r[1] for r in rows[1:]] == [lib["zd"].uscc]
    assert rows[1][4] == 1_000_000
    undetermined = page(
        client_for(people["zd_off"]), f"/policies/items/{lib['rd'].pk}/firms/?outcome=undetermined"
    )
    assert lib["zd2"].name in undetermined and "annual.2025.rd_expense" in undetermined
    page(client_for(people["zd_off"]), f"/policies/items/{lib['draft_item'].pk}/firms/", 404)


def test_the_auto_grant_list_query_count(lib, people, django_assert_max_num_queries):
    from smeladder.registry.models import Enterprise

    rows = [(lib["zd"].pk, "pass", 1000000, []), (lib["bs"].pk, "pass", 1000000, [])]
    for n in range(60):
        firm = Enterprise.objects.create(
            uscc=f"91370303MA3Q{n:05d}X", name=f"批量企业{n}", division_code="370303",
            uscc_checksum_ok=False,
        )  # fmt: skip
        rows.append((firm.pk, "pass", 1000000 + n, []))
    put_matches(lib["giant"], rows, dt.date(2026, 6, 1))
    client = client_for(people["zd_off"])
    with django_assert_max_num_queries(15):
        html = page(client, f"/policies/items/{lib['giant'].pk}/firms/")
    assert "共 61 家" in html
    # largest amount first, then by firm: 批量企业59 (1,000,059) before 批量企业58
    assert html.index("批量企业59</a>") < html.index("批量企业58</a>")


def test_push_history_is_scoped(lib, people, django_assert_max_num_queries):
    notify_new_matches([(lib["giant"].pk, lib["zd"].pk), (lib["giant"].pk, lib["bs"].pk)])
    client = client_for(people["zd_off"])
    with django_assert_max_num_queries(15):
        zd = page(client, "/policies/pushes/")
    assert lib["zd"].name in zd and lib["bs"].name not in zd and "inbox：已发送" in zd
    item = page(
        client_for(people["city"]), f"/policies/pushes/?item={lib['giant'].pk}&kind=new_item"
    )
    assert lib["zd"].name in item and lib["bs"].name in item
    assert "共 0 条" in page(client_for(people["city"]), "/policies/pushes/?kind=granted")


def test_tracking_page_and_recording_a_grant(lib, people):
    Application.objects.create(
        item=lib["giant"], enterprise=lib["zd"], applied_on=dt.date(2026, 6, 2)
    )
    theirs = Application.objects.create(
        item=lib["giant"], enterprise=lib["bs"], applied_on=dt.date(2026, 6, 2)
    )
    client = client_for(people["zd_off"])
    html = page(client, "/policies/tracking/")
    assert lib["zd"].name in html and lib["bs"].name not in html
    assert "申报 1 项，已兑现 0 项" in html and "张店区" in html
    mine = Application.objects.get(enterprise=lib["zd"])
    bad = client.post(f"/policies/applications/{mine.pk}/grant/", {"amount": "-5"}, follow=True)
    assert "兑现金额不能为负数" in bad.content.decode()
    client.post(
        f"/policies/applications/{mine.pk}/grant/", {"amount": "500000", "decided_on": "2026-06-20"}
    )
    mine.refresh_from_db()
    assert mine.status == "granted" and mine.granted_amount == Decimal(500000)
    assert "已兑现 1 项，兑现金额 50.00 万元" in page(client, "/policies/tracking/")
    assert Notification.objects.filter(enterprise=lib["zd"], kind="granted").exists()
    other = client.post(f"/policies/applications/{theirs.pk}/grant/", {"amount": "1"})
    assert other.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "applied"


# -- the firm's pages ------------------------------------------------------------------------


def test_my_policies_on_the_library_day(lib, people, stored_only, make_user):
    html = page(client_for(people["jia"]), "/my-policies/")
    assert "小巨人一次性奖励" in html and "100.00" in html and "2026-06-06" in html
    assert '1</span> <span class="kpi-label">项符合条件' in html
    yi = make_user("p_yi", Role.ENTERPRISE, enterprise=lib["zd2"])
    pending = page(client_for(yi), "/my-policies/")
    assert "研发费用补助" in pending and "待核实" in pending
    assert "2025年度 研发费用总额" in pending and "项目通过专家评审" in pending
    assert "去补充" in pending


@dataclass
class FakeMatch:
    item_id: int
    outcome: str
    amount_lo: Decimal | None
    amount_hi: Decimal | None
    missing: tuple[str, ...] = ()
    manual_conditions: tuple[str, ...] = ()
    apply_to: dt.date | None = None


def test_my_policies_from_the_matching_engine_sorted_by_amount(lib, people, monkeypatch):
    found = [
        FakeMatch(lib["rd"].pk, "pass", Decimal(120000), Decimal(150000)),
        FakeMatch(lib["giant"].pk, "pass", Decimal(1000000), Decimal(1000000)),
        FakeMatch(lib["draft_item"].pk, "fail", None, None),
    ]
    monkeypatch.setattr(policies_firm, "match_enterprise", lambda firm, on, items=None: found)
    html = page(client_for(people["jia"]), "/my-policies/")
    assert html.index("小巨人一次性奖励") < html.index("研发费用补助")  # larger amount first
    assert "12.00 – 15.00" in html and "陶瓷窑炉改造补助" not in html
    assert "112.00" in html  # 100 + 12 (the low end of the range)


def test_my_policies_from_the_real_engine(lib, people):
    """甲 holds a national 小巨人 title (passes the first item, 100万) and has no R&D figures (the
    second item waits on them and on the expert review). The engine lists open windows only:
    the document's window is moved to include today."""
    from smeladder.standards.cli_assess import today_in_china

    lib["doc"].apply_to = today_in_china() + dt.timedelta(days=30)
    lib["doc"].save()
    html = page(client_for(people["jia"]), "/my-policies/")
    assert "小巨人一次性奖励" in html and "100.00" in html
    assert "研发费用补助" in html and "项目通过专家评审" in html
    assert html.index("小巨人一次性奖励") < html.index("研发费用补助")


def test_officials_open_a_firms_policies_by_uscc(lib, people, stored_only):
    assert "统一社会信用代码" in page(client_for(people["zd_off"]), "/my-policies/")
    html = page(client_for(people["zd_off"]), f"/my-policies/?uscc={lib['zd'].uscc}")
    assert lib["zd"].name in html and "小巨人一次性奖励" in html
    page(client_for(people["zd_off"]), f"/my-policies/?uscc={lib['bs'].uscc}", 404)
    page(client_for(people["jia"]), f"/my-policies/?uscc={lib['bs'].uscc}", 404)
    page(client_for(people["bank"]), "/my-policies/", 403)


def test_marking_applied(lib, people, stored_only):
    client = client_for(people["jia"])
    done = client.post(f"/my-policies/{lib['giant'].pk}/apply/")
    assert done.status_code == 302
    app = Application.objects.get()
    assert (app.enterprise, app.item, app.applied_by) == (lib["zd"], lib["giant"], people["jia"])
    assert "已申报" in page(client, "/my-policies/")
    # another firm, by a crafted uscc: not found, nothing written
    crafted = client.post(f"/my-policies/{lib['giant'].pk}/apply/", {"uscc": lib["bs"].uscc})
    assert crafted.status_code == 404
    assert client.post(f"/my-policies/{lib['draft_item'].pk}/apply/").status_code == 404
    official = client_for(people["zd_off"]).post(
        f"/my-policies/{lib['rd'].pk}/apply/", {"uscc": lib["zd2"].uscc}
    )
    assert official["Location"] == f"/my-policies/?uscc={lib['zd2'].uscc}"
    assert Application.objects.filter(enterprise=lib["zd2"]).exists()
    assert Application.objects.filter(enterprise=lib["bs"]).count() == 0


def test_policy_search_for_a_firm(lib, people):
    html = page(client_for(people["jia"]), "/policies/search/?q=小巨人+奖励")
    assert "小巨人一次性奖励" in html and "共找到" in html
    none = page(client_for(people["jia"]), "/policies/search/?q=陶瓷窑炉")
    assert "陶瓷窑炉改造补助" not in none  # a draft is not public
    assert "政策查询" in page(client_for(people["jia"]), "/policies/search/?q=&page=abc")
    page(client_for(people["bank"]), "/policies/search/?q=奖励", 403)


def test_a_firm_searches_its_own_place_unless_it_asks_for_all(lib, people):
    """A 张店 firm's search leaves out 博山's district policies by default (the city's and the
    nation's stay in); 全部地区 brings them back; officials search every region."""
    from smeladder.policies.models import PolicyDocument, Status, SupportItem
    from smeladder.policies.search import index_document

    boshan = PolicyDocument.objects.create(
        title="博山区陶瓷产业奖励办法", issuer="博山区工信局", level="district",
        regions=["370304"], categories=["funding"], owner_prefix="370304",
        status=Status.PUBLISHED,
    )  # fmt: skip
    SupportItem.objects.create(
        document=boshan, seq=1, name="陶瓷企业小巨人奖励", benefit={"kind": "fixed", "amount": 1}
    )
    index_document(boshan)
    firm = client_for(people["jia"])
    mine = page(firm, "/policies/search/?q=小巨人+奖励")
    assert "小巨人一次性奖励" in mine and "陶瓷企业小巨人奖励" not in mine
    assert "本企业所在地（张店区）" in mine
    everywhere = page(firm, "/policies/search/?q=小巨人+奖励&region=all")
    assert "小巨人一次性奖励" in everywhere and "陶瓷企业小巨人奖励" in everywhere
    official = page(client_for(people["city"]), "/policies/search/?q=小巨人+奖励")
    assert "陶瓷企业小巨人奖励" in official and "本企业所在地" not in official
    named = page(client_for(people["city"]), "/policies/search/?q=小巨人+奖励&region=370303")
    assert "陶瓷企业小巨人奖励" not in named and "小巨人一次性奖励" in named


def test_the_inbox(lib, people, django_assert_max_num_queries):
    notify_new_matches([(lib["giant"].pk, lib["zd"].pk), (lib["giant"].pk, lib["bs"].pk)])
    client = client_for(people["jia"])
    with django_assert_max_num_queries(15):
        html = page(client, "/inbox/")
    assert "新的可享政策：小巨人一次性奖励" in html and "1 条未读" in html
    mine = Notification.objects.get(enterprise=lib["zd"])
    theirs = Notification.objects.get(enterprise=lib["bs"])
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    partial = client.post(f"/inbox/{mine.pk}/read/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "标为已读" not in partial.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "0 条未读" in page(client, "/inbox/")
    page(client_for(people["zd_off"]), "/inbox/", 403)
    page(client_for(people["bank"]), "/inbox/", 403)


def test_read_all_and_mutes(lib, people):
    notify_new_matches([(lib["giant"].pk, lib["zd"].pk), (lib["rd"].pk, lib["zd"].pk)])
    client = client_for(people["jia"])
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(enterprise=lib["zd"], read_at__isnull=True).exists()
    done = client.post("/inbox/mutes/", {"muted": ["funding", "tax"]}, follow=True)
    assert "免打扰类别已更新：资金奖补、税收优惠" in done.content.decode()
    assert set(CategoryMute.objects.values_list("enterprise_id", "category")) == {
        (lib["zd"].pk, "funding"),
        (lib["zd"].pk, "tax"),
    }
    bad = client.post("/inbox/mutes/", {"muted": ["weather"]}, follow=True)
    assert "未知的政策类别" in bad.content.decode()
    assert client_for(people["zd_off"]).post("/inbox/mutes/", {"muted": []}).status_code == 403
    assert CategoryMute.objects.count() == 2


MENU = {"/policies/", "/my-policies/", "/policies/search/", "/inbox/"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("city", {"/policies/"}),
        ("zd_off", {"/policies/"}),
        ("jia", {"/my-policies/", "/policies/search/", "/inbox/"}),
        ("bank", set()),
    ],
)
def test_menu_entries_per_role(lib, people, who, expected):
    import re

    html = client_for(people[who]).get("/", follow=True).content.decode()
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)
    assert nav is not None
    assert set(re.findall(r'href="([^"]+)"', nav.group(1))) & MENU == expected
    for link in expected:
        assert client_for(people[who]).get(link).status_code == 200, link


def test_unused_fixture_objects_exist(lib):
    assert SupportItem.objects.filter(document=lib["draft"]).count() == 1


def test_my_policies_and_tracking_query_counts(lib, people, django_assert_max_num_queries):
    from smeladder.standards.cli_assess import today_in_china

    lib["doc"].apply_to = today_in_china() + dt.timedelta(days=30)
    lib["doc"].save()
    for n in range(30):
        SupportItem.objects.create(
            document=lib["doc"], seq=10 + n, name=f"批量事项{n}",
            eligibility={"all": [{"title": {"codes": ["little_giant"]}}]},
            benefit={"kind": "fixed", "amount": 10000 * (n + 1)},
        )  # fmt: skip
        Application.objects.create(
            item=SupportItem.objects.get(seq=10 + n), enterprise=lib["zd"], applied_on=lib["on"]
        )
    firm = client_for(people["jia"])
    with django_assert_max_num_queries(15):
        html = page(firm, "/my-policies/")
    assert "批量事项29" in html and "31</span>" in html  # 30 + the 小巨人 item pass
    official = client_for(people["zd_off"])
    with django_assert_max_num_queries(15):
        html = page(official, "/policies/tracking/")
    assert "申报 30 项" in html
