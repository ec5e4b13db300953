"""The Chinese policy search (policies/search.py): segmentation, ranking, AND/OR, the cross-field
query of the issue, each filter, scope, reindexing and the number of queries."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from smeladder.accounts.models import Role
from smeladder.policies.models import PolicyDocument, SearchTerm, Status, SupportItem
from smeladder.policies.search import (
    SEGMENTER,
    USER_WORDS,
    index_document,
    make_snippet,
    reindex_all,
    search,
    segment,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 5, 1)


def make_doc(
    title: str = "关于支持制造业发展的若干措施",
    *,
    items: list[dict] | None = None,
    status: str = Status.PUBLISHED,
    index: bool = True,
    **fields,
) -> PolicyDocument:
    fields.setdefault("issuer", "淄博市工业和信息化局")
    fields.setdefault("level", "city")
    fields.setdefault("owner_prefix", "3703")
    doc = PolicyDocument.objects.create(title=title, status=status, **fields)
    for seq, item in enumerate(items or [{"name": "一次性奖励"}], start=1):
        SupportItem.objects.create(document=doc, seq=seq, **item)
    if index:
        index_document(doc)
    return doc


def ids(page) -> list[int]:
    return [h.item_id for h in page.hits]


def item_of(doc: PolicyDocument, seq: int = 1) -> int:
    return doc.items.get(seq=seq).pk


# --------------------------------------------------------------------------- segmentation


def _programme_words() -> list[str]:
    return [line.split()[0] for line in USER_WORDS.read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("word", _programme_words())
def test_programme_words_are_not_split(word):
    assert segment(f"支持{word}发展") == ["支持", word, "发展"]


def test_sentence_keeps_programme_words_whole():
    words = segment("对新认定的专精特新“小巨人”企业，按研发费用给予奖励；实行免申即享")
    for word in ("专精特新", "小巨人", "研发费用", "免申即享", "奖励"):
        assert word in words
    assert "小" not in words and "巨人" not in words  # not split (single characters dropped)
    assert "，" not in words and "的" not in words  # punctuation and stop words dropped


def test_latin_lower_cased_and_inner_words_indexed():
    assert "iso9001" in segment("通过ISO9001认证")
    inner = SEGMENTER.index_words("高新技术企业")
    assert inner[0] == "高新技术企业"
    assert {"高新技术", "高新", "技术", "企业"} <= set(inner)


# --------------------------------------------------------------------------- ranking, AND, OR


def test_title_match_ranks_above_body_match():
    body = make_doc(
        "关于印发工业稳增长若干措施的通知",
        full_text="鼓励企业开展数字化转型，推进智能制造。",
        items=[{"name": "技术改造补助"}],
    )
    title = make_doc(
        "数字化转型专项资金管理办法",
        full_text="为推进制造业升级，制定本办法。",
        items=[{"name": "示范项目补助"}],
    )
    page = search("数字化转型")
    assert ids(page) == [item_of(title), item_of(body)]
    assert page.hits[0].score > page.hits[1].score > 0


def test_item_name_match_ranks_above_summary_match():
    doc = make_doc(
        items=[
            {"name": "研发投入补助", "summary": "按上年度贷款贴息的一定比例补助"},
            {"name": "贷款贴息", "summary": "对企业贷款给予贴息"},
        ]
    )
    assert ids(search("贷款贴息")) == [item_of(doc, 2), item_of(doc, 1)]


def test_every_query_word_is_required():
    both = make_doc(items=[{"name": "小巨人企业奖励"}])
    make_doc("小巨人企业培育办法", items=[{"name": "培育入库"}])
    make_doc(items=[{"name": "技术改造奖励"}])
    page = search("小巨人 奖励")
    assert page.mode == "all"
    assert ids(page) == [item_of(both)]
    assert page.total == 1
    assert set(page.hits[0].matched) == {"小巨人", "奖励"}


def test_falls_back_to_any_word_when_no_item_has_all():
    two = make_doc("单项冠军企业认定", items=[{"name": "认定奖励", "summary": "按研发费用奖励"}])
    one = make_doc("单项冠军培育库", items=[{"name": "入库培育"}])
    make_doc("人才引进办法", items=[{"name": "安家补贴"}])
    page = search("单项冠军 奖励 揭榜挂帅")  # 揭榜挂帅 is in no item
    assert page.mode == "any"
    assert ids(page) == [item_of(two), item_of(one)]  # more of the words first
    assert page.total == 2


def test_query_of_unknown_words_finds_nothing():
    make_doc()
    assert search("量子引力").total == 0
    assert search("的 了 ，").total == 0  # nothing left to search for
    assert search("").hits == []


def test_words_in_different_fields_and_order():
    """The issue's example: 小巨人 in the document title, 研发 in the conditions, 奖励 in the
    item name; the query names them in another order."""
    target = make_doc(
        "淄博市专精特新“小巨人”企业培育办法",
        items=[
            {
                "name": "一次性奖励",
                "summary": "给予 50 万元支持",
                "conditions_text": "上年度研发费用占营业收入比重不低于 3%",
            },
            {"name": "入库培育", "summary": "纳入培育库"},
        ],
    )
    make_doc("小巨人企业名单公示", items=[{"name": "名单"}])
    make_doc("研发费用加计扣除政策", items=[{"name": "税前加计扣除"}])
    page = search("小巨人 研发 奖励")
    assert page.mode == "all"
    assert ids(page) == [item_of(target, 1)]
    hit = page.hits[0]
    assert hit.document_title == "淄博市专精特新“小巨人”企业培育办法"
    assert hit.item_name == "一次性奖励"
    assert set(hit.matched) == {"小巨人", "研发", "奖励"}
    assert "<mark>" in hit.snippet_html


def test_snippet_marks_words_and_escapes_html():
    plain, marked = make_snippet(["<b>高新技术企业</b>认定后奖励", ""], ["高新技术企业", "奖励"])
    assert plain == "<b>高新技术企业</b>认定后奖励"
    assert marked == ("&lt;b&gt;<mark>高新技术企业</mark>&lt;/b&gt;认定后<mark>奖励</mark>")
    long_text = "前言" * 100 + "免申即享" + "后记" * 100
    plain, marked = make_snippet([long_text], ["免申即享"])
    assert plain.startswith("…") and plain.endswith("…")
    assert "<mark>免申即享</mark>" in marked
    assert len(plain) <= 82


def test_page_and_total():
    docs = [make_doc(f"技术改造专项第{i}批", items=[{"name": "技改补助"}]) for i in range(5)]
    first = search("技术改造", limit=2)
    second = search("技术改造", limit=2, offset=2)
    last = search("技术改造", limit=2, offset=4)
    assert first.total == second.total == last.total == 5
    seen = ids(first) + ids(second) + ids(last)
    assert sorted(seen) == sorted(item_of(d) for d in docs)
    assert search("技术改造", limit=2, offset=6).hits == []


# --------------------------------------------------------------------------- filters


def test_filter_level():
    city = make_doc("科技创新奖励办法", level="city")
    national = make_doc("科技创新奖励实施细则", level="national", owner_prefix="")
    assert ids(search("科技创新", level="national")) == [item_of(national)]
    assert ids(search("科技创新", level=["city"])) == [item_of(city)]
    assert len(ids(search("科技创新"))) == 2


def test_filter_region_covers_prefixes_and_national():
    everywhere = make_doc("创新奖励全国", regions=[])
    zibo = make_doc("创新奖励淄博", regions=["3703"])
    zhangdian = make_doc("创新奖励张店", regions=["370303"])
    make_doc("创新奖励济南", regions=["3701"])
    make_doc("创新奖励淄川", regions=["370302"])
    shandong = make_doc("创新奖励山东", regions=["37"])
    got = set(ids(search("创新奖励", region="370303")))
    assert got == {item_of(d) for d in (everywhere, zibo, zhangdian, shandong)}
    # a city-wide code is not covered by a district's policy
    got = set(ids(search("创新奖励", region="3703")))
    assert got == {item_of(d) for d in (everywhere, zibo, shandong)}


def test_filter_category_own_or_inherited():
    inherited = make_doc("人才政策汇编", categories=["talent"], items=[{"name": "人才奖励"}])
    own = make_doc(
        "综合政策汇编",
        categories=["funding"],
        items=[
            {"name": "人才奖励", "categories": ["talent"]},
            {"name": "资金奖励", "categories": []},
        ],
    )
    overridden = make_doc(
        "金融政策汇编", categories=["talent"], items=[{"name": "奖励", "categories": ["finance"]}]
    )
    assert set(ids(search("奖励", category="talent"))) == {item_of(inherited), item_of(own, 1)}
    assert ids(search("奖励", category="funding")) == [item_of(own, 2)]
    assert set(ids(search("奖励", category=["finance", "tax"]))) == {item_of(overridden)}


def test_filter_open_on_window_boundaries():
    opens = make_doc("申报窗口甲", apply_from=ON, apply_to=date(2026, 6, 30))
    closes = make_doc("申报窗口乙", apply_from=date(2026, 4, 1), apply_to=ON)
    unbounded = make_doc("申报窗口丙")
    make_doc("申报窗口丁", apply_from=date(2026, 5, 2))  # opens the day after
    make_doc("申报窗口戊", apply_to=date(2026, 4, 30))  # closed the day before
    got = set(ids(search("申报窗口", open_on=ON)))
    assert got == {item_of(opens), item_of(closes), item_of(unbounded)}


def test_filter_status_for_the_maintaining_official(make_user):
    official = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    draft = make_doc("专利资助办法", status=Status.DRAFT, owner_prefix="370303")
    published = make_doc("专利资助细则", owner_prefix="370303")
    assert ids(search("专利资助", user=official, status="draft")) == [item_of(draft)]
    assert ids(search("专利资助", user=official, status=Status.PUBLISHED)) == [item_of(published)]


# --------------------------------------------------------------------------- scope


def test_drafts_hidden_from_enterprises_shown_to_their_official(make_user):
    firm = make_user("firm", Role.ENTERPRISE)
    mine = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    other = make_user("zc", Role.DISTRICT_OFFICIAL, division_prefix="370302")
    admin = make_user("root", Role.ADMIN)
    draft = make_doc("绿色工厂奖励草案", status=Status.DRAFT, owner_prefix="370303")
    review = make_doc("绿色工厂奖励送审稿", status=Status.REVIEW, owner_prefix="370303")
    published = make_doc("绿色工厂奖励办法", owner_prefix="370303")
    everything = {item_of(d) for d in (draft, review, published)}
    assert ids(search("绿色工厂", user=firm)) == [item_of(published)]
    assert ids(search("绿色工厂")) == [item_of(published)]  # no user: published only
    assert set(ids(search("绿色工厂", user=other))) == {item_of(published)}
    assert set(ids(search("绿色工厂", user=mine))) == everything
    assert set(ids(search("绿色工厂", user=admin))) == everything
    assert search("绿色工厂", user=firm).total == 1


def test_anonymous_user_sees_nothing():
    from django.contrib.auth.models import AnonymousUser

    make_doc("绿色工厂奖励办法")
    assert search("绿色工厂", user=AnonymousUser()).total == 0


# --------------------------------------------------------------------------- reindexing


def test_index_document_follows_changes():
    doc = make_doc("首台套保险补偿", items=[{"name": "保费补贴"}, {"name": "首购首用奖励"}])
    assert search("首购首用").total == 1
    item = doc.items.get(seq=2)
    item.name = "推广应用奖励"
    item.save()
    doc.title = "首台套推广应用办法"
    doc.save()
    assert search("首购首用").total == 1  # stale until reindexed
    index_document(doc)
    assert search("首购首用").total == 0
    assert ids(search("推广应用")) == [item.pk, item_of(doc, 1)]  # name + title, title only
    doc.items.get(seq=1).delete()
    assert set(SearchTerm.objects.values_list("item_id", flat=True)) == {item.pk}


def test_reindex_all_and_command():
    doc = make_doc("工业互联网平台奖励", index=False)
    other = make_doc("两化融合贯标奖励", index=False)
    assert search("奖励").total == 0
    items, rows = reindex_all()
    assert items == 2 and rows == SearchTerm.objects.count() > 0
    assert set(ids(search("奖励"))) == {item_of(doc), item_of(other)}
    SearchTerm.objects.all().delete()
    out = io.StringIO()
    call_command("reindex_policies", stdout=out)
    assert "2 个支持事项" in out.getvalue()
    assert SearchTerm.objects.count() == rows


def test_term_rows_one_per_word_and_item():
    doc = make_doc(
        "奖励奖励办法", full_text="奖励" * 50, items=[{"name": "奖励", "summary": "奖励"}]
    )
    rows = SearchTerm.objects.filter(item_id=item_of(doc), term="奖励")
    assert rows.count() == 1
    weight = rows.get().weight
    # title ×2 and name, summary, body ×50 saturate: bounded by the field weights × (k1 + 1)
    assert 4 + 5 + 2 + 1 < weight < (4 + 5 + 2 + 1) * 2.2


# --------------------------------------------------------------------------- queries


def test_query_count_bounded(django_assert_max_num_queries, make_user):
    official = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    for i in range(30):
        make_doc(
            f"专精特新企业奖励第{i}号",
            categories=["funding"],
            regions=["3703"],
            items=[{"name": "研发奖励"}, {"name": "小巨人奖励"}],
        )
    segment("预热")  # the dictionary loads once per process, outside the count
    with django_assert_max_num_queries(4):  # item count, word statistics, ranking, items
        page = search(
            "专精特新 研发 奖励",
            user=official,
            level="city",
            region="370303",
            category="funding",
            open_on=ON,
            limit=20,
        )
    assert page.mode == "all" and page.total == 30
    with django_assert_max_num_queries(4):
        page = search("专精特新 奖励", user=official, limit=20)
    assert page.total == 60 and len(page.hits) == 20
    with django_assert_max_num_queries(5):  # + the OR fallback
        page = search("小巨人 研发", user=official, limit=20)
    assert page.mode == "any" and page.total == 60  # no item holds both 小巨人 and 研发


def test_word_no_item_contains_is_searched_by_its_parts():
    doc = make_doc("高新区企业技术中心建设补助", items=[{"name": "建设补助"}])
    make_doc("高新区企业名录", items=[{"name": "名录"}])
    assert "高新技术" in segment("高新技术")  # one dictionary word, in no item
    page = search("高新技术")
    assert page.words == ("高新", "技术")
    assert ids(page) == [item_of(doc)]


def test_workflow_keeps_the_index_current(make_user):
    """save_document / submit / approve call index_document: a draft is searchable by its
    officials at once, by firms once published, and an edit replaces the old words."""
    from smeladder.policies.actions import approve, reopen, save_document, submit
    from tests.policies.test_workflow import policy_data

    drafter = make_user("city1", Role.CITY_OFFICIAL, division_prefix="3703")
    reviewer = make_user("city2", Role.CITY_OFFICIAL, division_prefix="3703")
    firm = make_user("firm", Role.ENTERPRISE)
    doc = save_document(drafter, policy_data())
    assert search("小巨人 奖励", user=drafter).total == 1
    assert search("小巨人 奖励", user=firm).total == 0
    doc = approve(reviewer, submit(drafter, doc))
    assert search("小巨人 奖励", user=firm).total == 1
    doc = reopen(drafter, doc, "改名")  # back to draft: firms no longer see it
    assert search("小巨人 奖励", user=firm).total == 0
    data = policy_data()
    data["items"][0]["name"] = "单项冠军企业一次性奖励"
    save_document(drafter, data, doc)
    assert search("小巨人", user=drafter).total == 0
    assert search("单项冠军 奖励", user=drafter).mode == "all"
    assert search("单项冠军 奖励", user=drafter).total == 1


def test_page_bounds_are_clamped():
    make_doc("技术改造专项", items=[{"name": "技改补助"}, {"name": "技改贴息"}])
    assert len(search("技术改造", limit=0).hits) == 1  # at least one hit a page
    assert len(search("技术改造", limit=10_000, offset=-5).hits) == 2
