"""Scope-crawl tables for the casework API (/api/v1/cases…) (see the package docstring).

博山 has two cases, written through the actions by a system actor: an open one (accepted, with
an attachment, assigned to a 博山 unit) that every case URL names — open, so a crafted
escalation or reassignment would really change it — and a closed one with a rating and a 回访.
Their description and the attachment's name carry the 博山 firm's name, so any answer that
shows them to another tenant is caught as a leak."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.test import override_settings

from smeladder.casework import actions
from smeladder.casework.models import Attachment, Case, CaseEvent, Department, FollowUpCall, Rating
from smeladder.registry.models import Enterprise

ACTOR = "scope_crawl"  # a system actor: the world is built, not crawled
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

_CASE = {"pk": "api_case"}
PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("api", "case"): _CASE,
    ("api", "case-transitions"): _CASE,
    ("api", "case-escalate"): _CASE,
    ("api", "case-reassign"): _CASE,
    ("api", "case-rating"): _CASE,
    ("api", "case-follow-ups"): _CASE,
    ("api", "case-attachments"): _CASE,
    ("api", "case-attachment"): {"pk": "api_case", "att": "api_case_attachment"},
}
NO_OBJECT: set[tuple[str, str]] = {
    ("api", "cases"),
    ("api", "case-metrics"),
    ("api", "departments"),
}
QUERIES: dict[tuple[str, str], list[str]] = {
    ("api", "cases"): [
        "",
        "?uscc={uscc}",
        "?overdue=true",
        "?state=closed",
        "?department={api_case_department}",
    ],
    ("api", "case-metrics"): ["", "?area=370304", "?dimension=department"],
}


def build(zhangdian: Enterprise, boshan: Enterprise) -> dict[str, str]:
    """The area's 博山 objects; returns {value name: identifier} for PARAMETERS and QUERIES."""
    unit, _ = Department.objects.get_or_create(
        name="博山区诉求接口承办科", division_prefix="370304"
    )
    describe = f"{boshan.name}：窑炉改造项目用地指标未落实"
    open_case = actions.file_case(
        ACTOR, boshan, category="land_energy", description=describe, channel="hotline"
    )
    actions.reassign(open_case, ACTOR, unit, "由区承办科办理")
    actions.accept(open_case, ACTOR)
    # the file lives in a directory of its own: the crawl's requests never reach it, and
    # nothing is left in the project's data directory
    with override_settings(DATA_DIR=Path(tempfile.mkdtemp(prefix="crawl-casework-api-"))):
        attachment = actions.add_attachment(
            open_case, ACTOR, f"{boshan.name}营业执照.pdf", io.BytesIO(PDF)
        )
    closed = actions.file_case(
        ACTOR, boshan, category="financing", description=describe, channel="phone"
    )
    for step in (actions.accept, actions.start, actions.resolve):
        step(closed, ACTOR)
    actions.rate(closed, ACTOR, "satisfied", f"{boshan.name}表示满意")
    actions.log_follow_up(closed, ACTOR, f"{boshan.name}确认已解决", "王经理")
    return {
        "api_case": str(open_case.pk),
        "api_case_attachment": str(attachment.pk),
        "api_case_department": str(unit.pk),
    }


def foreign_state(boshan_pk: int) -> list[Any]:
    """What another tenant's crafted POSTs must leave unchanged: the 博山 cases (state, level,
    unit), their events, ratings, 回访 and attachments."""
    cases = Case.objects.filter(enterprise_id=boshan_pk)
    return [
        list(
            cases.order_by("pk").values_list(
                "pk", "state", "level", "department_id", "urgency", "description"
            )
        ),
        list(
            CaseEvent.objects.filter(case__in=cases)
            .order_by("pk")
            .values_list("pk", "kind", "to_state", "note")
        ),
        list(
            Rating.objects.filter(case__in=cases).order_by("pk").values_list("pk", "satisfaction")
        ),
        list(
            FollowUpCall.objects.filter(case__in=cases).order_by("pk").values_list("pk", "summary")
        ),
        list(Attachment.objects.filter(case__in=cases).order_by("pk").values_list("pk", "size")),
    ]
