"""包联 work: pairing an officer with a firm (dated), visits (a finding can open a case in the
same call), and the firm's service package items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from smeladder.accounts.audit import record
from smeladder.accounts.roles import in_scope, is_official
from smeladder.registry.models import Enterprise

from ..models import LiaisonAssignment, ServiceKind, ServicePackageItem, ServiceStatus, Visit
from ..permissions import is_system
from .common import actor_fields, now
from .errors import InvalidInput, NotAllowed, OutOfScope
from .filing import file_case


def _firm_in_scope(actor: Any, enterprise: Enterprise | int) -> Enterprise:
    firm_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    firm = Enterprise.objects.filter(pk=firm_id).first()
    if firm is None or not (is_system(actor) or in_scope(actor, firm.division_code)):
        raise OutOfScope(f"企业 #{firm_id} 不存在或不在您的管辖范围内")
    return firm


def assign_liaison(
    actor: Any, enterprise: Enterprise | int, officer: Any, valid_from: dt.date
) -> LiaisonAssignment:
    """Make `officer` the firm's liaison from `valid_from`; the current pairing ends the day
    before. The officer must be an official whose area holds the firm."""
    firm = _firm_in_scope(actor, enterprise)
    if not in_scope(officer, firm.division_code):
        raise InvalidInput(
            f"{officer.get_username()} 不是该企业所在区域的工作人员，不能担任包联干部"
        )
    with transaction.atomic():
        # the firm's row is the lock: two pairings of one firm at once run one after the other
        list(Enterprise.objects.select_for_update().filter(pk=firm.pk).values_list("pk"))
        current = LiaisonAssignment.objects.filter(enterprise=firm, valid_to__isnull=True).first()
        old_officer = None
        if current is not None:
            if current.officer_id == officer.pk:
                return current
            if valid_from <= current.valid_from:
                raise InvalidInput(
                    f"新的包联起始日期须晚于当前包联起始日期 {current.valid_from.isoformat()}"
                )
            current.valid_to = valid_from - dt.timedelta(days=1)
            current.save(update_fields=["valid_to"])
            old_officer = current.officer_id
        row = LiaisonAssignment.objects.create(
            officer=officer,
            enterprise=firm,
            valid_from=valid_from,
            assigned_by=actor_fields(actor)[0],
        )
        record(
            "casework.assign_liaison",
            actor=actor,
            object_type="registry.Enterprise",
            object_id=str(firm.pk),
            changes={"officer": [old_officer, officer.pk], "valid_from": valid_from.isoformat()},
        )
    return row


def liaison_on(enterprise: Enterprise | int, day: dt.date) -> LiaisonAssignment | None:
    """Who was the firm's liaison officer on a day."""
    firm_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    return (
        LiaisonAssignment.objects.filter(enterprise_id=firm_id, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .first()
    )


def log_visit(
    actor: Any,
    enterprise: Enterprise | int,
    *,
    visited_on: dt.date,
    findings: str,
    people: str = "",
    open_case: dict[str, Any] | None = None,
) -> Visit:
    """A visit; with `open_case` ({"category": …, "description": …, "urgency": …}) the finding
    also becomes a case filed on the firm's behalf (channel 走访), in the same transaction."""
    if not (is_system(actor) or is_official(actor)):
        raise NotAllowed("只有工作人员可以登记走访")
    firm = _firm_in_scope(actor, enterprise)
    findings = (findings or "").strip()
    if not findings:
        raise InvalidInput("请填写走访情况")
    with transaction.atomic():
        case = None
        if open_case is not None:
            case = file_case(
                actor,
                firm,
                category=open_case.get("category", ""),
                description=open_case.get("description") or findings,
                urgency=open_case.get("urgency", "normal"),
                channel="visit",
            )
        visit = Visit.objects.create(
            enterprise=firm,
            visited_on=visited_on,
            officer=actor_fields(actor)[0],
            people=people.strip(),
            findings=findings,
            case=case,
            logged_at=now(),
        )
        record(
            "casework.log_visit",
            actor=actor,
            object_type="casework.Visit",
            object_id=str(visit.pk),
            changes={"enterprise": firm.pk, "case": case.pk if case else None},
        )
    return visit


def set_service_item(
    actor: Any, enterprise: Enterprise | int, kind: str, status: str, note: str = ""
) -> ServicePackageItem:
    """Create or update one service of the firm's 服务包."""
    if kind not in ServiceKind.values:
        raise InvalidInput(f"未知的服务内容「{kind}」")
    if status not in ServiceStatus.values:
        raise InvalidInput(f"未知的服务状态「{status}」")
    firm = _firm_in_scope(actor, enterprise)
    with transaction.atomic():
        item = ServicePackageItem.objects.select_for_update().filter(enterprise=firm, kind=kind)
        existing = item.first()
        old = (existing.status, existing.note) if existing else (None, None)
        if existing is None:
            existing = ServicePackageItem(enterprise=firm, kind=kind)
        existing.status = status
        existing.note = note.strip()
        existing.updated_at = now()
        existing.updated_by = actor_fields(actor)[0]
        existing.save()
        record(
            "casework.set_service_item",
            actor=actor,
            object_type="casework.ServicePackageItem",
            object_id=str(existing.pk),
            changes={"kind": kind, "status": [old[0], status], "note": [old[1], existing.note]},
        )
    return existing
