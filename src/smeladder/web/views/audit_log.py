"""审计日志: who changed what, when — for city officials and administrators only.

Which events a city official sees: those about an object of their area (a firm, a pool
membership, a pool or a screening run their scoped querysets hold), and those made by people of
their area (officials of the city or its districts, users of its firms). An administrator's
event about anything else (e.g. a province-wide import) stays with the administrators, who see
everything. District officials, enterprise users and partners: 403.

Changes are shown as a table: `{"field": [old, new]}` (field-level diffs) as old → new, any
other member (the summaries of imports, screenings, older events) as its value."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smeladder.accounts.models import AuditEvent, Role
from smeladder.accounts.roles import is_admin
from smeladder.registry.interchange.schema import ANNUAL_BY_KEY, FACTS_BY_PATH, TITLE_FACTS
from smeladder.registry.models import Enterprise, Pool, PoolMembership, TitleCode, TitleLevel
from smeladder.registry.models.titles import TitleStatus
from smeladder.screening.models import ScreeningRun

from .common import PAGE_SIZE, shown

ENTERPRISE_TYPE = "registry.Enterprise"
MEMBERSHIP_TYPE = "registry.PoolMembership"

#: actions in words; an action not listed here is shown by its code
ACTION_LABELS: dict[str, Any] = {
    "registry.import": gettext_lazy("导入"),
    "registry.enterprise.create": gettext_lazy("新建企业"),
    "registry.enterprise.update": gettext_lazy("修改企业"),
    "registry.admin_add": gettext_lazy("后台新增"),
    "registry.admin_change": gettext_lazy("后台修改"),
    "registry.pool_create": gettext_lazy("新建培育库"),
    "registry.pool_add": gettext_lazy("入库"),
    "registry.pool_remove": gettext_lazy("出库"),
    "screening.queued": gettext_lazy("提交梯度筛选"),
    "screening.run": gettext_lazy("梯度筛选"),
    "screening.run_failed": gettext_lazy("梯度筛选失败"),
    "monitoring.refresh_counts": gettext_lazy("刷新统计"),
}

#: object types in words
TYPE_LABELS: dict[str, Any] = {
    ENTERPRISE_TYPE: gettext_lazy("企业"),
    "registry.ImportRun": gettext_lazy("导入批次"),
    "registry.Pool": gettext_lazy("培育库"),
    "registry.PoolMembership": gettext_lazy("入库记录"),
    "registry.Title": gettext_lazy("称号"),
    "registry.AnnualFigures": gettext_lazy("年度经营数据"),
    "screening.ScreeningRun": gettext_lazy("梯度筛选"),
    "monitoring.RegistryCount": gettext_lazy("统计数"),
}

#: members of summaries and of events written outside the facts format
KEY_LABELS: dict[str, Any] = {
    "file_name": gettext_lazy("来源"),
    "sha256": "SHA-256",
    "format": gettext_lazy("格式"),
    "created": gettext_lazy("新增"),
    "updated": gettext_lazy("更新"),
    "unchanged": gettext_lazy("未变"),
    "warnings": gettext_lazy("警告"),
    "pool": gettext_lazy("培育库"),
    "enterprise": gettext_lazy("企业"),
    "joined_on": gettext_lazy("入库日期"),
    "left_on": gettext_lazy("出库日期"),
    "reason": gettext_lazy("入库理由"),
    "exit_reason": gettext_lazy("出库原因"),
    "code": gettext_lazy("代码"),
    "track": gettext_lazy("所属梯度"),
    "division_prefix": gettext_lazy("管理区划"),
    "description": gettext_lazy("说明"),
    "annual": gettext_lazy("年度数据"),
}
_TITLE_FIELDS = {f.path: f.zh for f in TITLE_FACTS}


def may_read_audit_log(user: Any) -> bool:
    if is_admin(user):
        return True
    return user.role == Role.CITY_OFFICIAL and bool(user.division_prefix)


def _keys(queryset: QuerySet) -> QuerySet:
    """The primary keys of a queryset, to compare with AuditEvent.object_id (text).

    PostgreSQL compares text with text only, so the keys are cast; MariaDB/MySQL would give
    the cast the connection's collation, which may differ from the column's (an error), and
    compares a string with a number numerically anyway; SQLite turns the number into text by
    the column's affinity."""
    keys = queryset.order_by()
    if connection.vendor == "postgresql":
        return keys.annotate(key=Cast("pk", output_field=CharField(max_length=64))).values("key")
    return keys.values("pk")


def visible_events(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if is_admin(user):
        return events
    prefix = user.division_prefix
    # objects of these types are visible when their own scoped queryset holds them
    scoped = {
        ENTERPRISE_TYPE: Enterprise.objects.for_user(user),
        MEMBERSHIP_TYPE: PoolMembership.objects.for_user(user),
        "registry.Pool": Pool.objects.for_user(user),
        "screening.ScreeningRun": ScreeningRun.objects.for_user(user),
    }
    about_area = Q()
    for object_type, queryset in scoped.items():
        about_area |= Q(object_type=object_type, object_id__in=_keys(queryset))
    return events.filter(
        about_area
        | Q(actor__division_prefix__startswith=prefix)
        | Q(actor__enterprise__division_code__startswith=prefix)
    )


def field_label(key: str) -> str:
    """A facts-format path (or a summary member) in words: annual.2025.revenue → 2025年营业收入."""
    if key in FACTS_BY_PATH:
        return FACTS_BY_PATH[key].zh
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "annual" and parts[2] in ANNUAL_BY_KEY:
        return _("%(year)s年%(label)s") % {"year": parts[1], "label": ANNUAL_BY_KEY[parts[2]].zh}
    if len(parts) == 5 and parts[0] == "titles":
        code, level, since, item = parts[1:]
        title = dict(TitleCode.choices).get(code, code)
        level_label = dict(TitleLevel.choices).get(level, level)
        return f"{level_label}{title}（{since}）· {_TITLE_FIELDS.get(item, item)}"
    if key in KEY_LABELS:
        return str(KEY_LABELS[key])
    return key


def value_text(value: Any) -> str:
    members = value.values() if isinstance(value, dict) else value
    if isinstance(value, dict | list) and any(isinstance(v, dict | list) for v in members):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value == "":
        return "—"
    return shown(value)


def _choice_label(key: str, value: Any) -> Any:
    """A title's status in words (有效, 已撤销 …); other values as they are."""
    if key.startswith("titles.") and key.endswith(".status") and value in TitleStatus.values:
        return str(TitleStatus(value).label)
    return value


@dataclass
class ChangeRow:
    label: str
    old: str
    new: str
    is_diff: bool


#: events whose members are summaries, even when a member happens to be a pair
SUMMARY_ACTIONS = ("registry.import", "registry.enterprise.create", "screening.", "monitoring.")


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    changes = event.changes
    if not isinstance(changes, dict):
        return [ChangeRow("", "", value_text(changes), False)]
    summary = event.action.startswith(SUMMARY_ACTIONS)
    rows = []
    for key, value in changes.items():
        if not summary and isinstance(value, list) and len(value) == 2:
            old, new = (value_text(_choice_label(key, v)) for v in value)
            rows.append(ChangeRow(field_label(key), old, new, True))
        else:
            rows.append(ChangeRow(field_label(key), "", value_text(value), False))
    return rows


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(events: QuerySet[AuditEvent], user: Any, f: dict[str, str]) -> QuerySet[AuditEvent]:
    if f["actor"]:
        events = events.filter(actor_label__icontains=f["actor"])
    if f["action"]:
        events = events.filter(action=f["action"])
    if f["type"]:
        events = events.filter(object_type=f["type"])
    if f["object"]:
        key = f["object"]
        match = Q(object_id=key)
        firm = Enterprise.objects.for_user(user).filter(uscc=key.upper()).values("pk").first()
        if firm is not None:  # a USCC: the firm's own events and its pool memberships'
            match |= Q(object_type=ENTERPRISE_TYPE, object_id=str(firm["pk"]))
            memberships = PoolMembership.objects.filter(enterprise_id=firm["pk"])
            match |= Q(object_type=MEMBERSHIP_TYPE, object_id__in=_keys(memberships))
        events = events.filter(match)
    # bounds as instants of the local day, not a __date lookup (MariaDB without time zone
    # tables cannot convert)
    tz = timezone.get_current_timezone()
    if since := _day(f["since"]):
        events = events.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until := _day(f["until"]):
        after = until + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(after, dt.time.min, tzinfo=tz))
    return events


def _firm_of(event: AuditEvent, by_pk: dict, by_uscc: dict) -> Enterprise | None:
    """The firm an event is about, if the user may open it: the object itself, or the firm a
    pool event names."""
    if event.object_type == ENTERPRISE_TYPE:
        return by_pk.get(event.object_id)
    if isinstance(event.changes, dict) and isinstance(event.changes.get("enterprise"), str):
        return by_uscc.get(event.changes["enterprise"])
    return None


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not may_read_audit_log(user):
        raise PermissionDenied(_("审计日志仅限市级工作人员和系统管理员查看。"))
    names = ("actor", "action", "type", "object", "since", "until")
    f = {name: request.GET.get(name, "").strip()[:100] for name in names}
    bad_dates = [n for n in ("since", "until") if f[n] and _day(f[n]) is None]
    visible = visible_events(user)
    events = _filtered(visible, user, f).order_by("-at", "-id")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)

    # the firms named by these events, within the user's scope: one query
    ids = {e.object_id for e in rows if e.object_type == ENTERPRISE_TYPE}
    usccs = {
        e.changes.get("enterprise")
        for e in rows
        if isinstance(e.changes, dict) and isinstance(e.changes.get("enterprise"), str)
    }
    firms = Enterprise.objects.for_user(user).filter(
        Q(pk__in=[int(i) for i in ids if i.isdigit()]) | Q(uscc__in=usccs)
    )
    by_pk, by_uscc = {}, {}
    for firm in firms.only("pk", "uscc", "name"):
        by_pk[str(firm.pk)] = by_uscc[firm.uscc] = firm
    for event in rows:
        event.action_label = ACTION_LABELS.get(event.action, event.action)
        event.type_label = TYPE_LABELS.get(event.object_type, event.object_type)
        event.firm = _firm_of(event, by_pk, by_uscc)
        event.rows = change_rows(event)
        event.has_diff = any(r.is_diff for r in event.rows)

    pairs = visible.order_by().values_list("action", "object_type").distinct()
    actions, types = set(), set()
    for action, object_type in pairs:
        actions.add(action)
        if object_type:
            types.add(object_type)
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {
        "page": page,
        "events": rows,
        "count": page.paginator.count,
        "f": f,
        "bad_dates": bad_dates,
        "actions": sorted((a, ACTION_LABELS.get(a, a)) for a in actions),
        "types": sorted((t, TYPE_LABELS.get(t, t)) for t in types),
        "query": keep.urlencode(),
    }
    return render(request, "web/audit_log.html", context)


urlpatterns = [path("audit/", audit_log, name="audit_log")]
