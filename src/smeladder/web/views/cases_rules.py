"""办理规则: the handling departments, routing rules, deadline rules and unsatisfied-rating rules
of a city, edited by its city officials (and admins) through casework.actions.organisation.

District officials of the city may read the page (they see where their firms' requests go and how
long each level has) but every POST of theirs is refused: the rules are the city's. Enterprises,
partners and department staff get 403. Every write goes through the action, which checks the
prefix again and audits old → new; a refused write shows the action's message and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smeladder.accounts.models import Role, User
from smeladder.accounts.roles import is_admin, is_official
from smeladder.casework.actions import (
    delete_routing_rule,
    save_department,
    set_deadline_rule,
    set_members,
    set_routing_rule,
    set_unsatisfied_rule,
)
from smeladder.casework.actions.errors import CaseworkError, InvalidInput, NotAllowed
from smeladder.casework.models import (
    Category,
    DeadlineRule,
    Department,
    Level,
    RoutingRule,
    UnsatisfiedRule,
    Urgency,
)


def _city_prefix(user: Any) -> str:
    """The city whose rules the user reads: '' (all) for admins, else the first 4 digits."""
    return "" if is_admin(user) else (user.division_prefix or "")[:4]


def _reader(request: HttpRequest) -> Any:
    user = request.user
    if is_official(user) and (is_admin(user) or len(user.division_prefix) >= 4):
        return user
    raise PermissionDenied(_("办理规则仅供市级和区县工作人员查看。"))


def may_edit(user: Any) -> bool:
    return is_admin(user) or (user.role == Role.CITY_OFFICIAL and bool(user.division_prefix))


def departments_of(user: Any) -> QuerySet[Department]:
    return Department.objects.filter(division_prefix__startswith=_city_prefix(user))


def member_candidates(user: Any) -> QuerySet[User]:
    """Officials of the city, department staff of the city or not tied to an area (the staff
    of a bureau usually have no division of their own), and anyone already a member of one of
    the city's departments (so saving a department's members never drops one silently)."""
    city = _city_prefix(user)
    officials = Q(
        role__in=[Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL],
        division_prefix__startswith=city,
    ) & ~Q(division_prefix="")
    staff = Q(role=Role.DEPARTMENT) & (Q(division_prefix__startswith=city) | Q(division_prefix=""))
    members = Q(pk__in=departments_of(user).values("members"))
    return User.objects.filter(Q(is_active=True) & (officials | staff) | members).order_by(
        "username"
    )


def _int(value: str | None, what: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise InvalidInput(_("请填写有效的%(what)s") % {"what": what}) from None


def _department(user: Any, pk: str | None) -> Department:
    found = departments_of(user).filter(pk=_int(pk, _("承办部门"))).first()
    if found is None:
        raise InvalidInput(_("找不到该承办部门"))
    return found


def _apply(user: Any, data: Any) -> str:
    """Run the action the form asks for; returns the success message."""
    op = data.get("op", "")
    if op == "department":
        existing = _department(user, data.get("id")) if data.get("id") else None
        dept = save_department(
            user,
            name=data.get("name", ""),
            division_prefix=data.get("division_prefix", "").strip(),
            owns_level=data.get("owns_level", ""),
            active=data.get("active") == "on",
            department=existing,
        )
        return _("已保存承办部门「%(name)s」") % {"name": dept.name}
    if op == "members":
        dept = _department(user, data.get("id"))
        wanted = {_int(pk, _("成员")) for pk in data.getlist("members")}
        users = list(member_candidates(user).filter(pk__in=wanted))
        if len(users) != len(wanted):
            raise InvalidInput(_("所选成员不在可选范围内"))
        set_members(user, dept, users)
        return _("已更新「%(name)s」的成员") % {"name": dept.name}
    if op == "route":
        rule = set_routing_rule(
            user,
            category=data.get("category", ""),
            division_prefix=data.get("division_prefix", "").strip(),
            department=_department(user, data.get("department")),
        )
        return _("已保存分办规则：%(rule)s") % {"rule": rule}
    if op == "route_delete":
        city = _city_prefix(user)
        found = RoutingRule.objects.filter(pk=_int(data.get("id"), _("分办规则"))).first()
        if found is None or not found.division_prefix.startswith(city):
            raise InvalidInput(_("找不到该分办规则"))
        delete_routing_rule(user, found)
        return _("已删除分办规则")
    if op == "deadline":
        set_deadline_rule(
            user,
            category=data.get("category", ""),
            urgency=data.get("urgency", ""),
            level=data.get("level", ""),
            working_days=_int(data.get("working_days"), _("工作日数")),
        )
        return _("已保存办理时限")
    if op == "unsatisfied":
        set_unsatisfied_rule(
            user, category=data.get("category", ""), outcome=data.get("outcome", "")
        )
        return _("已保存不满意处理规则")
    raise InvalidInput(_("未知的操作"))


def _context(user: Any) -> dict[str, Any]:
    city = _city_prefix(user)
    departments = list(departments_of(user).prefetch_related("members"))
    routes = (
        RoutingRule.objects.filter(Q(division_prefix__startswith=city) | Q(division_prefix=""))
        .select_related("department")
        .order_by("category", "-division_prefix")
    )
    return {
        "editable": may_edit(user),
        "departments": departments,
        "active_departments": [d for d in departments if d.active],
        "candidates": list(member_candidates(user)) if may_edit(user) else [],
        "routes": list(routes),
        "deadlines": list(DeadlineRule.objects.order_by("category", "urgency", "level")),
        "unsatisfied": list(UnsatisfiedRule.objects.order_by("category")),
        "categories": Category.choices,
        "urgencies": Urgency.choices,
        "levels": Level.choices,
        "outcomes": UnsatisfiedRule.Outcome.choices,
        "city": city,
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_rules(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if request.method == "POST":
        if not may_edit(user):
            raise PermissionDenied(_("只有市级工作人员可以维护承办部门和规则"))
        try:
            done = _apply(user, request.POST)
        except CaseworkError as error:
            context = _context(user) | {"error": error.message}
            status = 403 if isinstance(error, NotAllowed) else 400
            return render(request, "web/cases/rules.html", context, status=status)
        messages.success(request, done)
        return redirect("web:case_rules")
    return render(request, "web/cases/rules.html", _context(user))


urlpatterns = [path("cases/rules/", case_rules, name="case_rules")]
