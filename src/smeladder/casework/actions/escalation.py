"""Moving a case between units and up the ladder: reassignment (with a reason), escalation by
hand, and the scheduled job that escalates overdue cases, issues 督办 notices and closes resolved
cases the firm left unconfirmed."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from smeladder.accounts.audit import record_many
from smeladder.zh_labels import zh_label

from .. import rules
from ..calendar import CalendarNotCovered, working_days_between
from ..deadlines import compute
from ..event_logs import logs_of, with_logs
from ..models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    Category,
    Department,
    Level,
    State,
    SupervisionNotice,
    next_level,
)
from ..notifications import create_all, notify_many
from ..permissions import is_handler, is_supervisor
from .common import audit_changes, locked_case, log_event, now
from .errors import IllegalTransition, InvalidInput, NotAllowed
from .transitions import TRANSITIONS

AUTO_CLOSE_WORKING_DAYS = 5
#: overdue cases escalated per transaction (each chunk costs the same few queries)
CHUNK = 500
JOB = "escalate_cases"
LOG = logging.getLogger("smeladder.casework")


def _require_open(case: Case, what: str) -> None:
    if case.state not in OPEN_STATES:
        raise IllegalTransition(
            f"诉求 #{case.pk} 当前状态为「{zh_label(State, case.state)}」，"
            f"已办结或关闭的诉求不能{what}"
        )


def reassign(case: Case | int, actor: Any, department: Department | int, reason: str) -> Case:
    """Hand the case to another department; the reason is required and kept in the event."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("改派诉求须说明理由")
    dept_id = department.pk if isinstance(department, Department) else department
    with transaction.atomic():
        # scope and role first: someone outside learns nothing, not even which departments exist
        locked = locked_case(case, actor)
        if not is_handler(actor, locked):
            raise NotAllowed(f"只有承办部门或辖区工作人员可以改派诉求 #{locked.pk}")
        _require_open(locked, "改派")
        target = Department.objects.filter(pk=dept_id, active=True).first()
        if target is None:
            raise InvalidInput(f"承办部门 #{dept_id} 不存在或已停用")
        if locked.department_id == target.pk:
            raise InvalidInput(f"诉求 #{locked.pk} 已由「{target.name}」承办")
        old = locked.department_id
        at = now()
        locked.department = target
        locked.updated_at = at
        locked.save(update_fields=["department", "updated_at"])
        log_event(
            locked,
            "reassign",
            actor,
            at=at,
            from_state=locked.state,
            to_state=locked.state,
            note=reason,
            data={"department": [old, target.pk]},
        )
    return locked


def escalate_locked(case: Case, actor: Any, note: str, at: dt.datetime) -> Case:
    """One rung up: the new level's deadline from today, and its owners if a department leads
    that level for the firm's area. The caller holds the lock and checked who may."""
    _require_open(case, "升级")
    new = next_level(case.level)
    if new is None:
        top = zh_label(Level, case.level)
        raise IllegalTransition(f"诉求 #{case.pk} 已在最高层级「{top}」，不能再升级")
    days = rules.deadline_days(case.category, case.urgency, new)
    owner = rules.level_owner(new, case.enterprise.division_code)
    data = _climb(case, new, days, owner, at)
    case.save(update_fields=["level", "department", "updated_at"])
    log_event(
        case,
        "escalate",
        actor,
        at=at,
        from_state=case.state,
        to_state=case.state,
        note=note,
        data=data,
    )
    return case


def _climb(
    case: Case, new: str, days: int, owner: Department | None, at: dt.datetime
) -> dict[str, Any]:
    """Move the (unsaved) case to level `new` and its owner, if any; the escalate event's data."""
    old_level, old_dept = case.level, case.department_id
    case.level = new
    if owner is not None:
        case.department = owner
    case.updated_at = at
    return {
        "level": [old_level, new],
        "deadline_days": days,
        "department": [old_dept, case.department_id],
    }


def escalate(case: Case | int, actor: Any, note: str = "") -> Case:
    """Escalation by hand (an official of the area, with or without a breach)."""
    with transaction.atomic():
        locked = locked_case(case, actor)
        if not is_supervisor(actor, locked):
            raise NotAllowed(f"只有辖区工作人员可以升级诉求 #{locked.pk}")
        return escalate_locked(locked, actor, note or "人工升级", now())


# --- the scheduled job -------------------------------------------------------------------


@dataclass
class JobSummary:
    on: dt.date
    checked: int = 0
    escalated: int = 0
    notices: int = 0
    auto_closed: int = 0
    #: cases whose deadline the holiday calendar cannot compute (its years end): case id → why
    not_computable: dict[int, str] = field(default_factory=dict)


def _notice_text(case: Case, due_on: dt.date, new_level: str | None) -> str:
    what = (
        f"已升级至「{zh_label(Level, new_level)}」办理"
        if new_level
        else f"已在最高层级「{zh_label(Level, case.level)}」，请牵头领导督促办结"
    )
    return (
        f"督办：诉求 #{case.pk}（{case.enterprise.name}，{zh_label(Category, case.category)}）"
        f"应于 {due_on.isoformat()} 前在「{zh_label(Level, case.level)}」层级办结，已超期；{what}。"
    )


class _RuleReads:
    """The rule reads of one run, each asked once: a run escalates thousands of cases against a
    handful of (category, urgency, level) rules and owning departments."""

    def __init__(self) -> None:
        self._days: dict[tuple[str, str, str], int] = {}
        self._owners: dict[tuple[str, str], Department | None] = {}

    def deadline_days(self, category: str, urgency: str, level: str) -> int:
        key = (category, urgency, level)
        if key not in self._days:
            self._days[key] = rules.deadline_days(category, urgency, level)
        return self._days[key]

    def level_owner(self, level: str, division_code: str) -> Department | None:
        key = (level, division_code)
        if key not in self._owners:
            self._owners[key] = rules.level_owner(level, division_code)
        return self._owners[key]


def _job_event(case: Case, kind: str, at: dt.datetime, note: str, data: dict) -> CaseEvent:
    # what log_event would write for the job (no user, the job's name as actor)
    return CaseEvent(
        case=case,
        kind=kind,
        actor=None,
        actor_label=JOB,
        at=at,
        from_state=case.state,
        to_state=case.state,
        note=note,
        data=data,
    )


def _escalate_chunk(
    case_ids: list[int], today: dt.date, at: dt.datetime, summary: JobSummary, reads: _RuleReads
) -> None:
    """Escalate a chunk of overdue cases in one transaction and a fixed number of queries: lock
    them, re-read them with their events (another run may have escalated some meanwhile),
    then write notices, events, audit records, level changes and messages in bulk. A crash
    rolls the chunk back whole; the next run finds those cases still overdue."""
    with transaction.atomic():
        # the lock is taken without joins (see locked_case), in id order (no deadlock between
        # two runs); the rows are read again with what the texts need
        locked = list(
            Case.objects.select_for_update()
            .filter(pk__in=case_ids, state__in=OPEN_STATES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        cases = (
            Case.objects.filter(pk__in=locked)
            .select_related("enterprise", "department")
            .order_by("pk")
        )
        logs = logs_of(locked)
        # the case rows are locked, so checking for the notice before inserting cannot race
        # (and the unique constraint stands behind it)
        notices = {
            (n.case_id, n.level, n.due_on): n
            for n in SupervisionNotice.objects.filter(case_id__in=locked).only(
                "case_id", "level", "due_on", "text"
            )
        }
        new_notices: list[SupervisionNotice] = []
        new_events: list[CaseEvent] = []
        to_notify: list[tuple[Case, CaseEvent]] = []
        moves: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        for case in cases:
            try:
                deadline = compute(logs.get(case.pk, []), today)
            except CalendarNotCovered as err:
                summary.not_computable[case.pk] = str(err)
                continue
            if not deadline.overdue(today):
                continue
            assert deadline.due_on is not None
            missed_level = case.level
            new = next_level(missed_level)
            notice = notices.get((case.pk, missed_level, deadline.due_on))
            if notice is None:
                notice = SupervisionNotice(
                    case=case,
                    level=missed_level,
                    due_on=deadline.due_on,
                    escalated_to=new or "",
                    issued_at=at,
                    text=_notice_text(case, deadline.due_on, new),
                )
                new_notices.append(notice)
                summary.notices += 1
                data = {"level": missed_level, "due_on": deadline.due_on.isoformat()}
                supervise = _job_event(case, "supervise", at, notice.text, data)
                new_events.append(supervise)
                # when the case also climbs, the escalation's message carries the notice
                if new is None:
                    to_notify.append((case, supervise))
            if new is not None:
                days = reads.deadline_days(case.category, case.urgency, new)
                owner = reads.level_owner(new, case.enterprise.division_code)
                data = _climb(case, new, days, owner, at)
                escalation = _job_event(case, "escalate", at, notice.text, data)
                new_events.append(escalation)
                to_notify.append((case, escalation))
                moves[(case.level, case.department_id)].append(case.pk)
                summary.escalated += 1
        SupervisionNotice.objects.bulk_create(new_notices)
        create_all(CaseEvent, new_events)
        record_many(
            ((f"casework.{e.kind}", str(e.case_id), audit_changes(e)) for e in new_events),
            actor=JOB,
            object_type="casework.Case",
        )
        # one UPDATE per (new level, department): a handful, however many cases
        for (level, department_id), ids in moves.items():
            Case.objects.filter(pk__in=ids).update(
                level=level, department_id=department_id, updated_at=at
            )
        notify_many(to_notify)


def _close_chunk(case_ids: list[int], today: dt.date, at: dt.datetime, summary: JobSummary) -> None:
    """Close a chunk of cases resolved `AUTO_CLOSE_WORKING_DAYS` ago and never confirmed, like
    the escalations: locked, re-read, written in bulk in one transaction."""
    auto_close = TRANSITIONS["auto_close"]
    note = f"办结后 {AUTO_CLOSE_WORKING_DAYS} 个工作日内企业未确认，自动关闭"
    with transaction.atomic():
        locked = list(
            Case.objects.select_for_update()
            .filter(pk__in=case_ids, state__in=auto_close.sources)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        cases = (
            Case.objects.filter(pk__in=locked)
            .select_related("enterprise", "department")
            .order_by("pk")
        )
        logs = logs_of(locked)
        closing: list[tuple[Case, CaseEvent]] = []
        for case in cases:
            try:
                deadline = compute(logs.get(case.pk, []), today)
                if deadline.stopped_on is None or (
                    working_days_between(deadline.stopped_on, today) < AUTO_CLOSE_WORKING_DAYS
                ):
                    continue
            except CalendarNotCovered as err:
                summary.not_computable[case.pk] = str(err)
                continue
            old = case.state
            case.state = auto_close.target
            case.updated_at = at
            event = _job_event(case, "auto_close", at, note, {})
            event.from_state = old
            closing.append((case, event))
        if not closing:
            return
        events = create_all(CaseEvent, [event for _case, event in closing])
        record_many(
            ((f"casework.{e.kind}", str(e.case_id), audit_changes(e)) for e in events),
            actor=JOB,
            object_type="casework.Case",
        )
        Case.objects.filter(pk__in=[case.pk for case, _event in closing]).update(
            state=auto_close.target, updated_at=at
        )
        notify_many(closing)
        summary.auto_closed += len(closing)


def run_escalation(on: dt.date | None = None) -> JobSummary:
    """Escalate every overdue open case one rung (督办 notice, notifications), and close every
    case resolved at least 5 working days ago and not confirmed. Idempotent: a second run on the
    same day finds nothing to do (the escalated cases have a fresh deadline; the notices are
    unique per missed deadline)."""
    at = now()
    today = on or timezone.localdate(at)
    if today > timezone.localdate(at):
        # escalation restarts the clock on the day it happens (today), so judging by a later
        # day would find the freshly escalated case overdue again and climb the whole ladder
        raise InvalidInput(f"不能按未来日期 {today.isoformat()} 判断超期")
    summary = JobSummary(on=today)
    # read without locks to find candidates; each candidate is re-read under its lock
    overdue: list[int] = []
    resolved: list[int] = []
    candidates = (
        Case.objects.filter(state__in=(*OPEN_STATES, State.RESOLVED))
        .order_by("pk")
        .values_list("pk", "state")
    )
    for (pk, state), log in with_logs(candidates.iterator(chunk_size=2000)):
        summary.checked += 1
        try:
            deadline = compute(log, today)
            if state == State.RESOLVED:
                if deadline.stopped_on and (
                    working_days_between(deadline.stopped_on, today) >= AUTO_CLOSE_WORKING_DAYS
                ):
                    resolved.append(pk)
            elif deadline.overdue(today):
                overdue.append(pk)
        except CalendarNotCovered as err:
            summary.not_computable[pk] = str(err)
    reads = _RuleReads()
    for start in range(0, len(overdue), CHUNK):
        _escalate_chunk(overdue[start : start + CHUNK], today, at, summary, reads)
    for start in range(0, len(resolved), CHUNK):
        _close_chunk(resolved[start : start + CHUNK], today, at, summary)
    if summary.not_computable:
        LOG.warning(
            "%d 件诉求无法计算办理时限（节假日日历未覆盖）: %s",
            len(summary.not_computable),
            next(iter(summary.not_computable.values())),
        )
    return summary
