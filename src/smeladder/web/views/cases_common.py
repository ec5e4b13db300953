"""What the 企业诉求 pages share: who may open them, the due date of a case as people read it
(never a 500 when the holiday calendar does not cover a year), and the list's filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_official
from smeladder.casework.calendar import CalendarNotCovered, working_days_between
from smeladder.casework.deadlines import compute
from smeladder.casework.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    Department,
    Level,
    State,
)


def casework_user(request: Any) -> Any:
    """Officials, enterprise users with a firm, and department staff; partners (and anyone else)
    get 403 — they have no 诉求 of their own."""
    user = request.user
    if (
        is_official(user)
        or (user.role == Role.ENTERPRISE and user.enterprise_id)
        or user.role == Role.DEPARTMENT
    ):
        return user
    raise PermissionDenied(_("企业诉求仅供企业用户、部门工作人员和主管部门工作人员使用。"))


def events_prefetch() -> Prefetch:
    # only what deadlines.compute reads
    return Prefetch("events", queryset=CaseEvent.objects.only("case_id", "kind", "at", "data"))


@dataclass(frozen=True)
class Due:
    """A case's deadline for people: the date (or why there is none) and the days left."""

    due_on: dt.date | None
    clock: str  # running | paused | stopped | unknown
    overdue: bool
    text: str  # the date, or 日历未覆盖 / 暂停
    detail: str  # 剩余 N 个工作日 / 已超期 N 个工作日 / 按期办结 …
    error: str = ""


def due_of(events: Any, today: dt.date) -> Due:
    """The due date from the event log. The calendar package knows a limited range of years:
    a date beyond it is shown as 日历未覆盖 with the reason, never guessed, never a 500."""
    try:
        deadline = compute(events, today)
        overdue = deadline.overdue(today)
        if deadline.clock == "paused":
            if deadline.due_on is not None:  # paused with no days left: still late
                late = working_days_between(deadline.due_on, today)
                return Due(
                    deadline.due_on,
                    "paused",
                    False,
                    deadline.due_on.isoformat(),
                    _("待企业补充（计时暂停），已超期 %(n)d 个工作日") % {"n": late},
                )
            return Due(
                None,
                "paused",
                False,
                _("计时暂停"),
                _("待企业补充，剩余 %(n)d 个工作日") % {"n": deadline.remaining},
            )
        if deadline.due_on is None:
            return Due(None, deadline.clock, False, "—", "")
        text = deadline.due_on.isoformat()
        if deadline.clock == "stopped":
            detail = _("按期办结") if deadline.on_time else _("超期办结")
            return Due(deadline.due_on, "stopped", False, text, detail)
        if overdue:
            late = working_days_between(deadline.due_on, today)
            return Due(
                deadline.due_on, "running", True, text, _("已超期 %(n)d 个工作日") % {"n": late}
            )
        left = working_days_between(today, deadline.due_on)
        return Due(deadline.due_on, "running", False, text, _("剩余 %(n)d 个工作日") % {"n": left})
    except CalendarNotCovered as err:
        return Due(None, "unknown", False, _("日历未覆盖"), str(err), error=str(err))


@dataclass
class CaseFilter:
    """The list's filters from the query string (unknown values are ignored, never an error)."""

    state: str = ""
    category: str = ""
    department: str = ""
    level: str = ""
    overdue: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> CaseFilter:
        def pick(name: str, allowed: Any) -> str:
            value = (query.get(name) or "").strip()
            return value if value in allowed else ""

        department = (query.get("department") or "").strip()
        return cls(
            state=pick("state", [*State.values, "open"]),
            category=pick("category", Category.values),
            department=department if department.isdigit() else "",
            level=pick("level", Level.values),
            overdue=query.get("overdue") in ("1", "on", "true"),
        )

    def apply(self, cases: QuerySet[Case], today: dt.date) -> QuerySet[Case]:
        if self.state == "open":
            cases = cases.filter(state__in=OPEN_STATES)
        elif self.state:
            cases = cases.filter(state=self.state)
        if self.category:
            cases = cases.filter(category=self.category)
        if self.department:
            cases = cases.filter(department_id=int(self.department))
        if self.level:
            cases = cases.filter(level=self.level)
        if self.overdue:
            cases = cases.filter(pk__in=overdue_ids(cases, today))
        return cases

    def query(self) -> str:
        """The filters as a query string (for pages and the export link)."""
        q = QueryDict(mutable=True)
        for name in ("state", "category", "department", "level"):
            if getattr(self, name):
                q[name] = getattr(self, name)
        if self.overdue:
            q["overdue"] = "1"
        return q.urlencode()


def overdue_ids(cases: QuerySet[Case], today: dt.date) -> list[int]:
    """The open cases past their due date (computed from the events: nothing stores it). A case
    the calendar cannot judge is not counted as overdue."""
    ids = []
    candidates = cases.filter(state__in=OPEN_STATES).only("pk").prefetch_related(events_prefetch())
    for case in candidates.iterator(chunk_size=2000):  # a city's backlog, a chunk at a time
        if due_of(case.events.all(), today).overdue:
            ids.append(case.pk)
    return ids


def department_choices(user: Any) -> list[Department]:
    """The departments of the cases the user sees (so a filter names no unit they cannot see)."""
    visible = Case.objects.for_user(user).values("department")
    return list(Department.objects.filter(pk__in=visible).only("pk", "name"))


def reassign_targets(case: Case) -> list[Department]:
    """Active departments serving the firm's area (city-wide or the firm's district)."""
    code = case.enterprise.division_code
    return [
        d
        for d in Department.objects.filter(active=True).only("pk", "name", "division_prefix")
        if code.startswith(d.division_prefix) and d.pk != case.department_id
    ]
