"""Scope-crawl tables for the casework pages (诉求) (see the package docstring).

博山 has a department of its own and two cases filed through the actions by the platform (a
hotline import): one worked to the end — attachment, resolution, a 满意 rating (which closes it),
a 回访 call, a follower — and one just submitted. The crawl's action URL asks to reopen the
closed one: if scope failed, that POST would change its state and write events."""

from __future__ import annotations

import atexit
import io
from typing import Any

from smeladder.accounts.models import Role, User
from smeladder.casework import actions
from smeladder.casework.models import (
    Attachment,
    Case,
    CaseEvent,
    DeadlineRule,
    Department,
    Follower,
    FollowUpCall,
    Rating,
    RoutingRule,
    UnsatisfiedRule,
)
from smeladder.registry.models import Enterprise

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
ACTOR = "12345热线导入"  # a system actor: the platform acting, as an import would

PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("web", "case_detail"): {"pk": "case"},
    ("web", "case_attachment"): {"pk": "case", "att": "case_attachment"},
    ("web", "case_action"): {"pk": "case", "action": "case_action"},
}
NO_OBJECT: set[tuple[str, str]] = {
    ("web", "cases"),
    ("web", "case_new"),
    ("web", "case_messages_read"),
    ("web", "case_rules"),
}
QUERIES: dict[tuple[str, str], list[str]] = {
    ("web", "cases"): [
        "",
        "?department={case_department}",
        "?state=closed",
        "?category=talent&overdue=1",
        "?format=xlsx",
        "?department={case_department}&format=xlsx",
    ],
    ("web", "case_new"): ["", "?uscc={uscc}"],
}


def build(zhangdian: Enterprise, boshan: Enterprise) -> dict[str, str]:
    """The area's 博山 objects; returns {value name: identifier} for PARAMETERS and QUERIES."""
    department = Department.objects.create(name="博山区人社局", division_prefix="370304")
    RoutingRule.objects.create(category="talent", division_prefix="370304", department=department)
    staff = User.objects.create_user(username="crawl_bs_hr", role=Role.DEPARTMENT)
    department.members.add(staff)
    case = actions.file_case(
        ACTOR,
        boshan,
        category="talent",
        description="博山陶瓷招工困难",
        files=[("博山营业执照.pdf", io.BytesIO(PDF))],
    )
    attachment = case.attachments.get()
    # the stored file lives in the data directory, not the test database: remove it at exit
    atexit.register(attachment.file.storage.delete, attachment.file.name)
    for step in (actions.accept, actions.start, actions.resolve):
        step(case, staff, "博山内部办理")
    actions.rate(case, ACTOR, "satisfied", "满意")
    actions.log_follow_up(case, staff, "企业表示满意", "博山联系人")
    actions.add_follower(case, staff)
    actions.file_case(ACTOR, boshan, category="talent", description="博山第二件诉求")
    return {
        "case": str(case.pk),
        "case_attachment": str(attachment.pk),
        "case_action": "reopen",
        "case_department": str(department.pk),
    }


def foreign_state(boshan_pk: int) -> list[Any]:
    """What another tenant's crafted POSTs must leave unchanged."""
    cases = Case.objects.filter(enterprise_id=boshan_pk)
    return [
        list(
            cases.order_by("pk").values_list(
                "pk", "state", "level", "department", "urgency", "description", "updated_at"
            )
        ),
        list(CaseEvent.objects.filter(case__in=cases).order_by("pk").values_list("pk", "kind")),
        list(Attachment.objects.filter(case__in=cases).order_by("pk").values_list("pk", "file")),
        list(
            Rating.objects.filter(case__in=cases).order_by("pk").values_list("pk", "satisfaction")
        ),
        list(FollowUpCall.objects.filter(case__in=cases).values_list("pk", "summary")),
        list(Follower.objects.filter(case__in=cases).order_by("pk").values_list("user", flat=True)),
        # the rules page (办理规则): only 淄博's city officials may change these
        list(
            Department.objects.order_by("pk").values_list(
                "pk", "name", "division_prefix", "owns_level", "active"
            )
        ),
        list(Department.members.through.objects.order_by("pk").values_list("pk", "user")),
        list(
            RoutingRule.objects.order_by("pk").values_list(
                "category", "division_prefix", "department"
            )
        ),
        list(
            DeadlineRule.objects.order_by("pk").values_list(
                "category", "urgency", "level", "working_days"
            )
        ),
        list(UnsatisfiedRule.objects.order_by("pk").values_list("category", "outcome")),
    ]
