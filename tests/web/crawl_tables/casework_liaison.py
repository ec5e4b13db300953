"""Scope-crawl tables for the liaison pages (包联) and the casework metrics page.

See the package docstring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smeladder.accounts.models import Role, User
from smeladder.casework.actions.liaison import assign_liaison, log_visit, set_service_item
from smeladder.casework.metrics import refresh_metrics
from smeladder.casework.models import Case, LiaisonAssignment, ServicePackageItem, Visit
from smeladder.registry.models import Enterprise

PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("web", name): {"uscc": "uscc"}
    for name in ("liaison_firm", "liaison_assign", "liaison_visit", "liaison_service")
}
NO_OBJECT: set[tuple[str, str]] = {
    ("web", "liaison"),
    ("web", "liaison_mine"),
    ("web", "casework_metrics"),
}
QUERIES: dict[tuple[str, str], list[str]] = {
    ("web", "liaison"): [
        "",
        "?district=370304",
        "?q=博山",
        "?q=陶瓷",  # (a USCC typed in the search box is echoed back: the crawl would flag it)
        "?officer=none",
        "?officer={liaison_officer}",
    ],
    ("web", "liaison_mine"): [""],
    ("web", "casework_metrics"): [
        "",
        "?district=370304",
        "?district=370304&from=2020-01",
        "?format=xlsx",
        "?district=370304&format=xlsx",
    ],
}


def build(zhangdian: Enterprise, boshan: Enterprise) -> dict[str, str]:
    """A 博山 officer paired with the 博山 firm, a visit whose finding opened a request, a
    service item; then the metrics are refreshed so the metrics page has 博山 rows to hide."""
    officer = User.objects.create_user(
        username="crawl_liaison_bs",
        password="pw-for-tests",
        role=Role.DISTRICT_OFFICIAL,
        division_prefix="370304",
        first_name="博山包联干部",
    )
    assign_liaison(officer, boshan, officer, dt.date(2026, 3, 1))
    log_visit(
        officer,
        boshan,
        visited_on=dt.date(2026, 4, 1),
        findings="博山窑炉改造资金缺口",
        people="博山陶瓷厂长",
        open_case={"category": "financing", "description": "博山窑炉改造融资"},
    )
    set_service_item(officer, boshan, "financing_referral", "in_progress", "博山对接中")
    refresh_metrics()
    return {"liaison_officer": str(officer.pk)}


def foreign_state(boshan_pk: int) -> list[Any]:
    """What another tenant's crafted POSTs must leave unchanged."""
    return [
        list(
            LiaisonAssignment.objects.filter(enterprise=boshan_pk)
            .order_by("pk")
            .values_list("officer", "valid_from", "valid_to")
        ),
        list(
            Visit.objects.filter(enterprise=boshan_pk)
            .order_by("pk")
            .values_list("visited_on", "findings", "case")
        ),
        list(
            ServicePackageItem.objects.filter(enterprise=boshan_pk)
            .order_by("pk")
            .values_list("kind", "status", "note")
        ),
        Case.objects.filter(enterprise=boshan_pk).count(),
        LiaisonAssignment.objects.count(),
        Visit.objects.count(),
    ]
