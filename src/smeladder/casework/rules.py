"""Reads of the rule tables: which department a new case goes to, how many working days a level
has, what an unsatisfied rating does, and who owns a rung of the ladder."""

from __future__ import annotations

from .actions.errors import CaseworkError
from .models import DeadlineRule, Department, RoutingRule, UnsatisfiedRule


class NoDeadlineRule(CaseworkError):
    def __init__(self, category: str, urgency: str, level: str) -> None:
        super().__init__(
            f"未配置办理时限规则（类别 {category}，紧急程度 {urgency}，层级 {level}），"
            "请市级工作人员先维护办理时限规则"
        )


def route(category: str, division_code: str) -> Department | None:
    """The department of the most specific rule (longest prefix covering the firm's division)
    for the category; None when no rule covers it (officials then assign by hand)."""
    rules = RoutingRule.objects.filter(category=category, department__active=True).select_related(
        "department"
    )
    best = None
    for rule in rules:
        if division_code.startswith(rule.division_prefix) and (
            best is None or len(rule.division_prefix) > len(best.division_prefix)
        ):
            best = rule
    return best.department if best else None


def deadline_days(category: str, urgency: str, level: str) -> int:
    """Working days for the level: the category's own rule, else the default (empty category)."""
    found = {
        r.category: r.working_days
        for r in DeadlineRule.objects.filter(
            category__in=[category, ""], urgency=urgency, level=level
        )
    }
    if category in found:
        return found[category]
    if "" in found:
        return found[""]
    raise NoDeadlineRule(category, urgency, level)


def unsatisfied_outcome(category: str) -> str:
    found = dict(
        UnsatisfiedRule.objects.filter(category__in=[category, ""]).values_list(
            "category", "outcome"
        )
    )
    return found.get(category) or found.get("") or UnsatisfiedRule.Outcome.REOPEN


def level_owner(level: str, division_code: str) -> Department | None:
    """The department leading a rung for the firm's area (most specific prefix), if any."""
    owners = Department.objects.filter(owns_level=level, active=True)
    best = None
    for dept in owners:
        if division_code.startswith(dept.division_prefix) and (
            best is None or len(dept.division_prefix) > len(best.division_prefix)
        ):
            best = dept
    return best
