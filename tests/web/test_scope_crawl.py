"""Every page and API endpoint, tried by every role with another tenant's identifiers.

A district official of 张店 (370303) and an enterprise user of one 张店 firm ask for everything that
belongs to a 博山 (370304) firm — its USCC in every URL that takes one, 博山's pool, a screening
run limited to 博山, a 博山 title and membership — by GET, by crafted POST and by Excel export.
Whatever the status code, no answer may contain the other firm's name or USCC, and no POST may
write anything. New URLs must be added to the tables below, or the completeness test fails: a
page nobody thought about is exactly where a scope hole hides."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from smeladder.accounts.models import AuditEvent, Role
from smeladder.policies.models import (
    Application,
    Notification,
    PolicyDocument,
    Status,
    SupportItem,
)
from smeladder.policies.pushes import notify_new_matches
from smeladder.registry.actions.pools import add_to_pool, create_pool
from smeladder.registry.models import AnnualFigures, Enterprise, PoolMembership, Title
from smeladder.screening.actions import start_screening

from .conftest import client_for, valid_uscc
from .crawl_tables import AREAS

# (namespace, url name) → how to fill its path parameters from the 博山 objects
PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("web", "enterprise_profile"): {"uscc": "uscc"},
    ("web", "enterprise_checks"): {"uscc": "uscc", "standard": "standard"},
    ("web", "enterprise_gaps"): {"uscc": "uscc", "standard": "standard"},
    ("web", "self_assessment_gaps"): {"standard": "standard"},
    ("web", "enterprise_edit"): {"uscc": "uscc"},
    ("web", "enterprise_year_add"): {"uscc": "uscc"},
    ("web", "enterprise_year_edit"): {"uscc": "uscc", "year": "year"},
    ("web", "screening_run"): {"pk": "run"},
    ("web", "screening_progress"): {"pk": "run"},
    ("web", "screening_export"): {"pk": "run"},
    ("web", "pool_detail"): {"code": "pool"},
    ("web", "pool_add"): {"code": "pool"},
    ("web", "pool_remove"): {"code": "pool", "pk": "membership"},
    ("web", "policy_detail"): {"pk": "policy_draft"},
    ("web", "policy_edit"): {"pk": "policy_draft"},
    ("web", "policy_workflow"): {"pk": "policy_draft"},
    ("web", "policy_item_firms"): {"pk": "policy_item"},
    ("web", "policy_application_grant"): {"pk": "application"},
    ("web", "policy_apply"): {"item_id": "policy_item"},
    ("web", "inbox_read"): {"pk": "notification"},
    ("api", "policy"): {"pk": "policy_draft"},
    ("api", "policy-items"): {"pk": "policy_draft"},
    ("api", "policy-item-firms"): {"pk": "policy_item"},
    ("api", "enterprise-policy-matches"): {"uscc": "uscc"},
    ("api", "notification-read"): {"pk": "notification"},
    ("api", "application-grant"): {"pk": "application"},
    ("api", "enterprise"): {"uscc": "uscc"},
    ("api", "enterprise-assessments"): {"uscc": "uscc"},
    ("api", "enterprise-figures"): {"uscc": "uscc"},
    ("api", "enterprise-figure"): {"uscc": "uscc", "year": "year"},
    ("api", "enterprise-titles"): {"uscc": "uscc"},
    ("api", "enterprise-title"): {"uscc": "uscc", "pk": "title"},
    ("api", "screening-results"): {"pk": "run"},
    ("api", "pool"): {"code": "pool"},
    ("api", "pool-members"): {"code": "pool"},
    ("api", "pool-member-remove"): {"code": "pool", "pk": "membership"},
}
# URLs without another tenant's identifier in the path: still crawled (lists, dashboards,
# exports and filters must not leak either), with query strings that name 博山.
NO_OBJECT = {
    ("web", name)
    for name in (
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "home",
        "dashboard_refresh",
        "enterprise_list",
        "self_assessment",
        "self_assessment_print",
        "screening",
        "pools",
        "audit_log",
        "policy_list",
        "policy_create",
        "policy_review",
        "policy_pushes",
        "policy_tracking",
        "my_policies",
        "policy_search",
        "inbox",
        "inbox_read_all",
        "inbox_mutes",
    )
} | {
    ("api", name)
    for name in (
        "enterprises",
        "assess",
        "screenings",
        "pools",
        "token",
        "schema",
        "docs",
        "policies",
        "notifications",
        "applications",
    )
}
QUERIES = {
    ("web", "enterprise_list"): [
        "",
        "?district=370304",
        "?q=博山",
        "?format=xlsx",
        "?district=370304&format=xlsx",
    ],
    ("web", "self_assessment"): ["", "?uscc={uscc}"],
    ("web", "self_assessment_print"): ["?uscc={uscc}"],
    ("web", "self_assessment_gaps"): ["", "?uscc={uscc}"],
    ("web", "audit_log"): ["", "?object_id={uscc}"],
    ("web", "screening"): [""],
    ("web", "policy_list"): ["", "?q=陶瓷", "?status=draft"],
    ("web", "my_policies"): ["", "?uscc={uscc}"],
    ("web", "policy_search"): ["?q=奖励", "?q=博山"],
    ("web", "policy_pushes"): ["", "?item={policy_item}"],
    ("web", "policy_item_firms"): ["", "?outcome=undetermined", "?format=xlsx"],
    ("web", "policy_tracking"): ["", "?status=applied"],
    ("api", "enterprises"): ["", "?division=370304", "?search=博山"],
    ("api", "policies"): ["", "?search=博山", "?status=draft"],
    ("api", "policy-item-firms"): ["", "?outcome=undetermined"],
}
for _area in AREAS:
    PARAMETERS |= _area.PARAMETERS
    NO_OBJECT |= _area.NO_OBJECT
    QUERIES |= _area.QUERIES


def our_patterns() -> list[tuple[str, str, str]]:
    """(namespace, name, route) of every named web and api URL."""
    found = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace in ("web", "api"):
                found.append((namespace, p.name, prefix + str(p.pattern)))

    walk(get_resolver().url_patterns, "/", "")
    return [f for f in found if f[1] != "not-found"]


def test_every_url_is_in_the_crawl() -> None:
    unclassified = [
        (ns, name, route)
        for ns, name, route in our_patterns()
        if (ns, name) not in PARAMETERS and (ns, name) not in NO_OBJECT
    ]
    assert unclassified == [], "add these URLs to PARAMETERS or NO_OBJECT"


@pytest.fixture
def world(db, firms: Any, make_user: Any) -> dict[str, Any]:
    zhangdian, boshan = firms
    neighbour = Enterprise.objects.create(
        uscc=valid_uscc("91370303MA3C0000N"),
        name="淄博张店邻居科技有限公司",
        division_code="370303",
        industry_code="C3484",
    )
    AnnualFigures.objects.create(enterprise=neighbour, year=2025, revenue=5_000_000)
    city = make_user("crawl_city", Role.CITY_OFFICIAL, division_prefix="3703")
    boshan_official = make_user("crawl_bs", Role.DISTRICT_OFFICIAL, division_prefix="370304")
    pool = create_pool(
        actor=boshan_official, code="boshan-seed", name="博山种子库", division_prefix="370304"
    )
    membership = add_to_pool(
        actor=boshan_official,
        pool=pool,
        enterprise=boshan,
        joined_on=dt.date(2026, 1, 5),
        reason="区县推荐",
    )
    start_screening(dt.date(2026, 5, 1), division_prefix="370304", user=boshan_official)
    boshan_run = start_screening(
        dt.date(2026, 5, 2), division_prefix="370304", user=boshan_official
    )
    city_run = start_screening(dt.date(2026, 5, 1), user=city)
    policies = _policy_world(zhangdian, boshan)
    for area in AREAS:
        policies |= area.build(zhangdian, boshan)
    users = {
        "district": make_user("crawl_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "enterprise": make_user("crawl_firm", Role.ENTERPRISE, enterprise=zhangdian),
        "partner": make_user("crawl_bank", Role.PARTNER, organisation="某银行"),
    }
    return {
        "boshan": boshan,
        "neighbour": neighbour,
        "users": users,
        "city_run": city_run,
        "values": {
            "uscc": boshan.uscc,
            "standard": "sme_size",
            "year": "2025",
            "run": str(boshan_run.pk),
            "pool": pool.code,
            "membership": str(membership.pk),
            "title": str(Title.objects.get(enterprise=boshan).pk),
            **policies,
        },
    }


def _policy_world(zhangdian: Enterprise, boshan: Enterprise) -> dict[str, str]:
    """A published city item both firms pass (stored matches), 博山's application and inbox
    message, and a draft 博山 maintains."""
    doc = PolicyDocument.objects.create(
        title="淄博市专精特新奖励", issuer="市工信局", level="city", regions=["3703"],
        owner_prefix="3703", status=Status.PUBLISHED, categories=["funding"],
    )  # fmt: skip
    item = SupportItem.objects.create(
        document=doc, seq=1, name="小巨人奖励", benefit={"kind": "fixed", "amount": 1000000}
    )
    from smeladder.policies import match_sets

    both = match_sets.MatchSet.of_rows([(f.pk, "pass", 1000000, []) for f in (zhangdian, boshan)])
    match_sets.store(item.pk, both, on=dt.date(2026, 5, 1), version=1)
    application = Application.objects.create(
        item=item, enterprise=boshan, applied_on=dt.date(2026, 5, 2)
    )
    notify_new_matches([(item.pk, boshan.pk), (item.pk, zhangdian.pk)])
    draft = PolicyDocument.objects.create(
        title="博山区专项资金（草稿）", issuer="博山区", level="district", owner_prefix="370304",
        regions=["370304"],
    )  # fmt: skip
    SupportItem.objects.create(document=draft, seq=1, name="窑炉改造补助")
    return {
        "policy_item": str(item.pk),
        "policy_draft": str(draft.pk),
        "application": str(application.pk),
        "notification": str(Notification.objects.get(enterprise=boshan).pk),
    }


def urls_to_try(values: dict[str, str], city_run_pk: int) -> list[tuple[str, str]]:
    urls = []
    for ns, name, route in our_patterns():
        key = (ns, name)
        path = route
        for param, source in PARAMETERS.get(key, {}).items():
            for converter in ("str", "int", "slug"):
                path = path.replace(f"<{converter}:{param}>", values[source])
        for query in QUERIES.get(key, [""]):
            urls.append((name, path + query.format(**values)))
    # the city-wide run: visible to a district official, but only their district's rows
    for suffix in ("", "progress/", "export.xlsx"):
        urls.append(("city run", f"/screening/{city_run_pk}/{suffix}"))
    urls.append(("city run", f"/api/v1/screenings/{city_run_pk}/results/"))
    return urls


def body_text(response: Any) -> str:
    """What a person would see: the decoded page or JSON, or every cell of a workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # xlsx
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    text = content.decode("utf-8", errors="replace")
    try:  # JSON escapes Chinese as \\uXXXX unless told otherwise
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def secrets_of(world: dict[str, Any], role: str) -> list[str]:
    boshan = world["boshan"]
    secrets = [boshan.name, boshan.uscc]
    if role == "enterprise":  # another firm of the same district is just as foreign
        secrets += [world["neighbour"].name, world["neighbour"].uscc]
    return secrets


def foreign_state(world: dict[str, Any], role: str) -> list[Any]:
    """Everything stored about the firms this role must not touch (its own firm may change)."""
    foreign = [world["boshan"].pk] + ([world["neighbour"].pk] if role == "enterprise" else [])
    fields = ("name", "division_code", "industry_code", "founded_on")
    return [
        list(Enterprise.objects.filter(pk__in=foreign).order_by("pk").values_list(*fields)),
        list(
            AnnualFigures.objects.filter(enterprise__in=foreign)
            .order_by("enterprise", "year")
            .values_list("enterprise", "year", "revenue", "employees")
        ),
        list(
            Title.objects.filter(enterprise__in=foreign)
            .order_by("pk")
            .values_list("code", "status", "valid_to")
        ),
        list(
            PoolMembership.objects.filter(enterprise__in=foreign)
            .order_by("pk")
            .values_list("pool", "left_on", "exit_reason")
        ),
        Enterprise.objects.count(),
        *(area.foreign_state(world["boshan"].pk) for area in AREAS),
    ]


@pytest.mark.parametrize("role", ["district", "enterprise", "partner"])
def test_no_page_shows_another_tenants_firm(world: dict[str, Any], role: str) -> None:
    client = client_for(world["users"][role])
    leaks = []
    for _name, url in urls_to_try(world["values"], world["city_run"].pk):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        text = body_text(response)
        leaks += [(url, secret) for secret in secrets_of(world, role) if secret in text]
    assert leaks == []


@pytest.mark.parametrize("role", ["district", "enterprise", "partner"])
def test_no_crafted_post_writes_for_another_tenant(world: dict[str, Any], role: str) -> None:
    """POSTs with plausible bodies (a reason, a revenue, a name) against every URL."""
    client = Client(enforce_csrf_checks=False)
    client.force_login(world["users"][role])
    before = foreign_state(world, role)
    form = {
        "reason": "越权尝试",
        "uscc": world["boshan"].uscc,
        "name": "被篡改的名称",
        "division_code": "370303",
        "revenue": "999",
        "year": "2025",
        "on": "2026-05-01",
        "division_prefix": "370304",
        "save": "1",
    }
    for name, url in urls_to_try(world["values"], world["city_run"].pk):
        if name in ("logout", "login", "token", "password_change"):
            continue  # session and credential endpoints write no registry data
        for response in (
            client.post(url, form),
            client.post(url, json.dumps(form), content_type="application/json"),
        ):
            assert response.status_code < 500, (url, response.status_code)
            # the USCC the request itself sent may be echoed in an error; names may not
            text = body_text(response)
            assert not [s for s in secrets_of(world, role)[::2] if s in text], url
    assert foreign_state(world, role) == before
    assert (
        not AuditEvent.objects.filter(object_id=world["boshan"].uscc)
        .exclude(actor=world["users"][role])
        .filter(action__startswith="registry.enterprise")
        .exists()
    )
