"""Editing who handles cases and by which rules: departments and their members, routing rules,
deadline rules and the unsatisfied-rating rule. City officials (and admins) edit them, inside
their city; each change is audited old → new. Cases already filed keep the deadline copied into
their events, so a rule edit never moves a running due date."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from smeladder.accounts.audit import record
from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_admin

from ..models import (
    Category,
    DeadlineRule,
    Department,
    Level,
    RoutingRule,
    UnsatisfiedRule,
    Urgency,
)
from .errors import InvalidInput, NotAllowed


def _city_official(actor: Any, prefix: str) -> None:
    """Rules are the city's: a city official whose area covers `prefix` (or an admin)."""
    if is_admin(actor):
        return
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.role == Role.CITY_OFFICIAL
        and actor.division_prefix
    ):
        raise NotAllowed("只有市级工作人员可以维护承办部门和规则")
    if not prefix.startswith(actor.division_prefix):
        # an empty prefix (catch-all) reaches beyond any one city
        raise NotAllowed(f"区划前缀「{prefix or '全部'}」超出您的管辖范围")


def _audit(actor: Any, action: str, obj: Any, changes: dict[str, Any]) -> None:
    record(
        f"casework.{action}",
        actor=actor,
        object_type=f"casework.{type(obj).__name__}",
        object_id=str(obj.pk),
        changes=changes,
    )


def save_department(
    actor: Any,
    *,
    name: str,
    division_prefix: str,
    owns_level: str = "",
    active: bool = True,
    department: Department | None = None,
) -> Department:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("请填写部门名称")
    if not division_prefix.isdigit() or len(division_prefix) not in (2, 4, 6):
        raise InvalidInput("服务区划代码前缀应为 2、4 或 6 位数字")
    if owns_level and owns_level not in Level.values:
        raise InvalidInput(f"未知的办理层级「{owns_level}」")
    _city_official(actor, division_prefix)
    if department is not None:
        _city_official(actor, department.division_prefix)
    with transaction.atomic():
        dept = department or Department()
        old = {f: getattr(dept, f) for f in ("name", "division_prefix", "owns_level", "active")}
        dept.name, dept.division_prefix, dept.owns_level, dept.active = (
            name,
            division_prefix,
            owns_level,
            active,
        )
        dept.save()
        new = {f: getattr(dept, f) for f in old}
        if department is None:  # created: every field is new
            changes = {k: [None, v] for k, v in new.items()}
        else:
            changes = {k: [old[k], v] for k, v in new.items() if old[k] != v}
        _audit(actor, "save_department", dept, changes)
    return dept


def set_members(actor: Any, department: Department, users: list[Any]) -> Department:
    _city_official(actor, department.division_prefix)
    with transaction.atomic():
        old = sorted(department.members.values_list("pk", flat=True))
        department.members.set(users)
        new = sorted(u.pk for u in users)
        _audit(actor, "set_members", department, {"members": [old, new]})
    return department


def set_routing_rule(
    actor: Any, *, category: str, division_prefix: str, department: Department
) -> RoutingRule:
    """Create or change the rule of a category and area."""
    if category not in Category.values:
        raise InvalidInput(f"未知的诉求类别「{category}」")
    if not department.active:
        raise InvalidInput(f"承办部门「{department.name}」已停用")
    _city_official(actor, division_prefix)
    with transaction.atomic():
        rule = (
            RoutingRule.objects.select_for_update()
            .filter(category=category, division_prefix=division_prefix)
            .first()
        )
        old = rule.department_id if rule else None
        if rule is None:
            rule = RoutingRule(category=category, division_prefix=division_prefix)
        rule.department = department
        rule.save()
        _audit(actor, "set_routing_rule", rule, {"department": [old, department.pk]})
    return rule


def delete_routing_rule(actor: Any, rule: RoutingRule) -> None:
    _city_official(actor, rule.division_prefix)
    with transaction.atomic():
        _audit(
            actor,
            "delete_routing_rule",
            rule,
            {"category": rule.category, "division_prefix": rule.division_prefix},
        )
        rule.delete()


def set_deadline_rule(
    actor: Any, *, category: str, urgency: str, level: str, working_days: int
) -> DeadlineRule:
    """Deadline rules apply city-wide; only admins and city officials change them."""
    if category and category not in Category.values:
        raise InvalidInput(f"未知的诉求类别「{category}」")
    if urgency not in Urgency.values or level not in Level.values:
        raise InvalidInput("未知的紧急程度或办理层级")
    if not isinstance(working_days, int) or not 1 <= working_days <= 365:
        raise InvalidInput("办理时限应为 1 至 365 个工作日")
    if not is_admin(actor):
        _city_official(actor, getattr(actor, "division_prefix", "") or "")
    with transaction.atomic():
        rule, created = DeadlineRule.objects.select_for_update().get_or_create(
            category=category, urgency=urgency, level=level, defaults={"working_days": working_days}
        )
        old = None if created else rule.working_days
        rule.working_days = working_days
        rule.save()
        _audit(actor, "set_deadline_rule", rule, {"working_days": [old, working_days]})
    return rule


def set_unsatisfied_rule(actor: Any, *, category: str, outcome: str) -> UnsatisfiedRule:
    if category and category not in Category.values:
        raise InvalidInput(f"未知的诉求类别「{category}」")
    if outcome not in UnsatisfiedRule.Outcome.values:
        raise InvalidInput(f"未知的处理方式「{outcome}」")
    if not is_admin(actor):
        _city_official(actor, getattr(actor, "division_prefix", "") or "")
    with transaction.atomic():
        rule, created = UnsatisfiedRule.objects.get_or_create(
            category=category, defaults={"outcome": outcome}
        )
        old = None if created else rule.outcome
        rule.outcome = outcome
        rule.save()
        _audit(actor, "set_unsatisfied_rule", rule, {"outcome": [old, outcome]})
    return rule
