"""The policy workflow: drafting with validation, review with four eyes, publication, expiry —
scoped to the officials who maintain a document, each change revised and audited."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.policies.actions import (
    NotAllowed,
    OutOfScope,
    PolicyError,
    PolicyInvalid,
    approve,
    expire_due,
    reject,
    reopen,
    save_document,
    submit,
    withdraw,
)
from smeladder.policies.models import PolicyDocument, PolicyRevision, Status, SupportItem


def policy_data(**overrides: Any) -> dict[str, Any]:
    """A valid city document in the policy JSON format, with two items."""
    data: dict[str, Any] = {
        "title": "淄博市支持专精特新企业高质量发展的若干措施",
        "issuer": "淄博市工业和信息化局",
        "level": "city",
        "doc_number": "淄工信发〔2026〕12号",
        "published_on": "2026-02-15",
        "apply_from": "2026-03-01",
        "apply_to": "2026-03-31",
        "expires_on": "2027-12-31",
        "regions": ["3703"],
        "categories": ["funding"],
        "items": [
            {
                "seq": 1,
                "name": "国家级专精特新“小巨人”企业一次性奖励",
                "eligibility": {
                    "all": [
                        {"title": {"codes": ["little_giant"], "levels": ["national"]}},
                        {"within": [{"fact": "division_code"}, ["3703"]]},
                    ]
                },
                "benefit": {"kind": "fixed", "amount": 1000000},
            },
            {
                "seq": 2,
                "name": "研发投入补助",
                "eligibility": {"ge": [{"fact": "annual.{L}.rd_expense"}, 1000000]},
                "manual_conditions": ["研发费用经专项审计"],
                "benefit": {
                    "kind": "formula",
                    "expr": {"mul": [0.1, {"fact": "annual.{L}.rd_expense"}]},
                    "cap": 5000000,
                },
            },
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def city(make_user):
    return make_user("city1", Role.CITY_OFFICIAL, division_prefix="3703")


@pytest.fixture
def city2(make_user):
    return make_user("city2", Role.CITY_OFFICIAL, division_prefix="3703")


@pytest.fixture
def zhangdian(make_user):
    return make_user("zd1", Role.DISTRICT_OFFICIAL, division_prefix="370303")


@pytest.fixture
def boshan(make_user):
    return make_user("bs1", Role.DISTRICT_OFFICIAL, division_prefix="370304")


@pytest.fixture
def admin(make_user):
    return make_user("root", Role.ADMIN)


def test_save_creates_a_draft_with_items_revision_and_audit(db, city):
    doc = save_document(city, policy_data())
    assert doc.status == Status.DRAFT
    assert doc.version == 1
    assert doc.owner_prefix == "3703"  # the official's area by default
    assert doc.created_by == city
    assert doc.apply_to == dt.date(2026, 3, 31)
    items = list(doc.items.order_by("seq"))
    assert [i.seq for i in items] == [1, 2]
    assert items[1].benefit["cap"] == 5000000
    rev = PolicyRevision.objects.get(document=doc)
    assert rev.version == 1 and rev.status == Status.DRAFT
    assert rev.snapshot["items"][0]["name"].startswith("国家级")
    event = AuditEvent.objects.get(action="policies.document.create")
    assert event.actor == city and event.object_id == str(doc.pk)
    assert event.changes["title"] == [None, "淄博市支持专精特新企业高质量发展的若干措施"]


def test_update_bumps_version_records_old_to_new_and_keeps_item_ids(db, city):
    doc = save_document(city, policy_data())
    first = doc.items.get(seq=1)
    data = policy_data(title="新标题")
    data["items"][0]["benefit"] = {"kind": "fixed", "amount": 2000000}
    del data["items"][1]  # seq 2 dropped
    data["items"].append(
        {"seq": 3, "name": "优先推荐", "benefit": {"kind": "none", "text": "优先推荐"}}
    )
    doc = save_document(city, data, doc)
    assert doc.version == 2
    assert sorted(doc.items.values_list("seq", flat=True)) == [1, 3]
    assert doc.items.get(seq=1).pk == first.pk  # seq is the natural key: same row, updated
    assert doc.items.get(seq=1).benefit["amount"] == 2000000
    event = AuditEvent.objects.get(action="policies.document.update")
    assert event.changes["title"] == ["淄博市支持专精特新企业高质量发展的若干措施", "新标题"]
    assert event.changes["items[seq=1].benefit"][1] == {"kind": "fixed", "amount": 2000000}
    assert event.changes["items[seq=2]"] == ["研发投入补助", None]
    assert event.changes["items[seq=3]"] == [None, "优先推荐"]
    assert event.changes["version"] == [1, 2]
    assert doc.revisions.count() == 2


def test_saving_the_same_content_again_changes_nothing(db, city):
    doc = save_document(city, policy_data())
    again = save_document(city, policy_data(), doc)
    assert again.version == 1
    assert doc.revisions.count() == 1
    assert AuditEvent.objects.filter(action="policies.document.update").count() == 0


def test_invalid_data_is_refused_with_paths_and_nothing_is_written(db, city):
    data = policy_data(level="county", apply_from="2026-04-01")
    data["items"][0]["eligibility"] = {"all": [{"titel": {"codes": ["little_giant"]}}]}
    data["items"][1]["benefit"]["cap"] = -1
    before = (
        PolicyDocument.objects.count(),
        SupportItem.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(PolicyInvalid) as info:
        save_document(city, data)
    paths = {p.path: p.message for p in info.value.problems}
    assert "level" in paths
    assert "apply_to" in paths  # window ends before it starts
    assert "未知的运算符“titel”" in paths["items[0].eligibility.all[0].titel"]
    assert "items[1].benefit.cap" in paths
    after = (
        PolicyDocument.objects.count(),
        SupportItem.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_owner_prefix_outside_the_area_is_refused(db, zhangdian):
    with pytest.raises(PolicyInvalid) as info:
        save_document(zhangdian, policy_data(owner_prefix="370304"))
    assert info.value.problems[0].path == "owner_prefix"
    doc = save_document(zhangdian, policy_data(owner_prefix="370303"))
    assert doc.owner_prefix == "370303"


def test_enterprise_users_and_partners_may_not_draft(db, make_user):
    firm_user = make_user("e1", Role.ENTERPRISE)
    partner = make_user("p1", Role.PARTNER)
    for user in (firm_user, partner):
        with pytest.raises(NotAllowed):
            save_document(user, policy_data())
    assert PolicyDocument.objects.count() == 0


def test_another_district_cannot_see_or_change_a_document(db, zhangdian, boshan, city):
    doc = save_document(zhangdian, policy_data())
    with pytest.raises(OutOfScope):
        save_document(boshan, policy_data(title="改"), doc)
    with pytest.raises(OutOfScope):
        submit(boshan, doc)
    # the city contains 张店: it maintains the document too
    submit(city, doc)
    assert PolicyDocument.objects.get(pk=doc.pk).status == Status.REVIEW


def test_full_workflow_with_four_eyes(db, city, city2):
    doc = save_document(city, policy_data())
    doc = submit(city, doc, "请审核")
    assert doc.status == Status.REVIEW
    with pytest.raises(NotAllowed, match="不能审核通过自己"):
        approve(city, doc)
    doc = approve(city2, doc, "同意")
    assert doc.status == Status.PUBLISHED
    assert doc.reviewed_by == city2 and doc.published_at is not None
    assert doc.version == 1  # a state change is not a content change
    actions = list(
        AuditEvent.objects.filter(object_id=str(doc.pk))
        .order_by("id")
        .values_list("action", "changes__status")
    )
    assert actions == [
        ("policies.document.create", None),
        ("policies.document.submit", ["draft", "review"]),
        ("policies.document.approve", ["review", "published"]),
    ]
    assert list(doc.revisions.order_by("id").values_list("status", flat=True)) == [
        "draft",
        "review",
        "published",
    ]


def test_submitter_may_not_approve_even_if_someone_else_drafted(db, city, city2, zhangdian):
    doc = save_document(zhangdian, policy_data())
    submit(city2, doc)
    with pytest.raises(NotAllowed):
        approve(city2, doc)
    assert approve(city, doc).status == Status.PUBLISHED


def test_admin_may_approve_own_draft(db, admin):
    doc = save_document(admin, policy_data(owner_prefix="3703"))
    submit(admin, doc)
    assert approve(admin, doc).status == Status.PUBLISHED


@pytest.mark.parametrize(
    ("action", "state"),
    [
        (approve, Status.DRAFT),
        (reject, Status.DRAFT),
        (submit, Status.REVIEW),
        (submit, Status.PUBLISHED),
        (approve, Status.PUBLISHED),
        (withdraw, Status.WITHDRAWN),
        (withdraw, Status.EXPIRED),
        (reopen, Status.DRAFT),
        (reopen, Status.REVIEW),
    ],
)
def test_illegal_transitions_are_refused_in_chinese(db, city2, city, action, state):
    doc = save_document(city, policy_data())
    PolicyDocument.objects.filter(pk=doc.pk).update(status=state)
    with pytest.raises(PolicyError, match="状态的文件不能"):
        action(city2, doc, "理由")
    assert PolicyDocument.objects.get(pk=doc.pk).status == state


def test_only_drafts_can_be_edited_and_reopen_sends_back_to_review(db, city, city2):
    doc = save_document(city, policy_data())
    submit(city, doc)
    approve(city2, doc)
    with pytest.raises(PolicyError, match="已发布"):
        save_document(city, policy_data(title="改"), doc)
    with pytest.raises(PolicyError, match="理由"):
        reopen(city, doc, "")
    doc = reopen(city, doc, "更正金额")
    assert doc.status == Status.DRAFT
    doc = save_document(city, policy_data(title="更正后的标题"), doc)
    assert doc.version == 2


def test_reject_needs_a_reason_and_returns_to_draft(db, city, city2):
    doc = save_document(city, policy_data())
    submit(city, doc)
    with pytest.raises(PolicyError, match="理由"):
        reject(city2, doc, "  ")
    doc = reject(city2, doc, "金额写错")
    assert doc.status == Status.DRAFT
    assert doc.review_note == "金额写错"


def test_withdraw_a_published_document(db, city, city2):
    doc = save_document(city, policy_data())
    submit(city, doc)
    approve(city2, doc)
    doc = withdraw(city, doc, "政策调整")
    assert doc.status == Status.WITHDRAWN
    event = AuditEvent.objects.get(action="policies.document.withdraw")
    assert event.changes == {"status": ["published", "withdrawn"], "note": "政策调整"}


def test_expire_due_turns_only_published_documents_past_expiry(db, city, city2):
    def published(expires: str | None) -> PolicyDocument:
        data = policy_data(expires_on=expires, doc_number=f"号{expires}")
        doc = save_document(city, data)
        submit(city, doc)
        return approve(city2, doc)

    past = published("2026-05-31")
    on_day = published("2026-06-01")  # still valid on its last day
    never = published(None)
    draft = save_document(city, policy_data(expires_on="2026-01-01", doc_number="草稿"))
    assert expire_due(dt.date(2026, 6, 1)) == 1
    statuses = dict(PolicyDocument.objects.values_list("pk", "status"))
    assert statuses[past.pk] == Status.EXPIRED
    assert statuses[on_day.pk] == Status.PUBLISHED
    assert statuses[never.pk] == Status.PUBLISHED
    assert statuses[draft.pk] == Status.DRAFT
    event = AuditEvent.objects.get(action="policies.document.expire")
    assert event.actor is None and event.actor_label == "system"
    assert expire_due(dt.date(2026, 6, 1)) == 0  # idempotent
    assert expire_due(dt.date(2026, 6, 2)) == 1


def test_published_changes_reach_search_and_matching(db, city, city2, monkeypatch):
    import smeladder.policies.matching as matching
    import smeladder.policies.search as search

    calls: list[tuple[str, int, str]] = []
    monkeypatch.setattr(search, "index_document", lambda d: calls.append(("index", d.pk, d.status)))
    monkeypatch.setattr(
        matching, "on_policy_changed", lambda d: calls.append(("match", d.pk, d.status))
    )
    doc = save_document(city, policy_data())
    submit(city, doc)
    assert [c[0] for c in calls] == ["index", "index"]  # drafts: indexed, not matched
    calls.clear()
    approve(city2, doc)
    assert calls == [("index", doc.pk, "published"), ("match", doc.pk, "published")]
    calls.clear()
    withdraw(city, doc, "停止执行")
    assert calls == [("index", doc.pk, "withdrawn"), ("match", doc.pk, "withdrawn")]


def test_snapshot_round_trips_through_save(db, city):
    doc = save_document(city, policy_data())
    snap = copy.deepcopy(doc.revisions.get().snapshot)
    for key in ("id", "status", "version"):
        snap.pop(key)
    again = save_document(city, snap, doc)
    assert again.version == 1  # the snapshot is exactly the saved content


def test_expire_policies_command(db, city, city2):
    from django.core.management import call_command

    doc = save_document(city, policy_data(expires_on="2026-05-31"))
    submit(city, doc)
    approve(city2, doc)
    call_command("expire_policies", "--on", "2026-06-01")
    assert PolicyDocument.objects.get(pk=doc.pk).status == Status.EXPIRED


def test_admin_is_read_only(db, city, city2, make_user):
    from django.test import Client

    doc = save_document(city, policy_data())
    submit(city, doc)
    approve(city2, doc)
    root = make_user("super", Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    for url in (
        "/admin/policies/policydocument/",
        f"/admin/policies/policydocument/{doc.pk}/change/",
        "/admin/policies/supportitem/",
        "/admin/policies/policyrevision/",
        "/admin/policies/itemmatchset/",
        "/admin/policies/application/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/policies/policydocument/{doc.pk}/change/").content.decode()
    assert "国家级专精特新“小巨人”企业一次性奖励" in page  # the items inline
    from smeladder.policies import match_sets

    item = doc.items.first()
    found = match_sets.MatchSet.of_rows([(1, "undetermined", None, ["项目通过专家评审"])])
    match_sets.store(item.pk, found, on=doc.published_on or dt.date(2026, 1, 1), version=1)
    stored = client.get(f"/admin/policies/itemmatchset/{item.match_set.pk}/change/")
    assert stored.status_code == 200 and "项目通过专家评审" in stored.content.decode()
    assert client.get("/admin/policies/policydocument/add/").status_code == 403
    response = client.post(
        f"/admin/policies/policydocument/{doc.pk}/change/", {"title": "改"}, follow=False
    )
    assert response.status_code == 403
    assert PolicyDocument.objects.get(pk=doc.pk).title != "改"
