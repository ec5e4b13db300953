"""Casework of the demo city: departments and rules for the prefecture, about 50 cases filed over
the last ten weeks in every state, the daily escalation job run over those weeks, visits and
service packages (and liaison pairings, when officials already exist), then the metrics.

The history is written by the platform acting as "演示数据" (a system actor): the demo creates
no log-ins — the people who log in are the demo accounts (`smeladder demo_accounts`), which see
these cases through their scope, the demo firm among them.

Everything goes through the actions, at the moments of a simulated clock (`clock_at`), so the
event log, the notifications and the due dates are exactly what real use would have produced.
Deterministic by seed, for a given "today"."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from smeladder.accounts.models import Role, User
from smeladder.registry.models import Enterprise

from . import actions
from .actions.common import clock_at
from .metrics import refresh_metrics
from .models import Case, Department, RoutingRule, ServiceKind, ServiceStatus

DAYS_OF_HISTORY = 70
ACTOR = "演示数据"  # the system actor of the demo history

#: category → the city department that handles it
CITY_DEPARTMENTS = {
    "financing": "市地方金融监管局",
    "land_energy": "市自然资源和规划局",
    "talent": "市人力资源和社会保障局",
    "policy": "市工业和信息化局",
    "approval": "市行政审批服务局",
    "innovation": "市科学技术局",
    "market": "市商务局",
    "other": "市工业和信息化局",
}
#: the demo district's own units for the categories it handles itself
DISTRICT_DEPARTMENTS = {"talent": "区人力资源和社会保障局", "approval": "区行政审批服务局"}
LEVEL_OWNERS = {"task_force": "市企业诉求工作专班", "leading_group": "市优化营商环境领导小组"}

DESCRIPTIONS = {
    "financing": ["流动资金贷款到期续贷困难，希望对接银行", "申请科技型中小企业信用贷款"],
    "land_energy": ["扩产项目用地指标未落实", "新上产线用电增容审批较慢"],
    "talent": ["急需数控技工 20 名", "高层次人才落户及子女入学咨询"],
    "policy": ["专精特新奖补政策申报条件咨询", "研发费用加计扣除政策如何享受"],
    "approval": ["新建厂房施工许可办理进度慢", "环评批复材料补正要求不明确"],
    "innovation": ["希望对接高校共建研发中心", "高新技术企业认定辅导"],
    "market": ["希望参加省外展会拓展市场", "产品进入政府采购目录咨询"],
    "other": ["厂区周边道路破损影响物流", "企业名称变更后证照联动办理"],
}
SHANGHAI = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class DemoReport:
    cases: int
    departments: int
    visits: int
    metric_rows: int


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), SHANGHAI)


def _organisation(prefecture: str, district: str) -> dict[str, Any]:
    city = prefecture[:4]
    departments: dict[str, Department] = {}
    for category, name in CITY_DEPARTMENTS.items():
        dept, _ = Department.objects.get_or_create(name=name, division_prefix=city)
        departments[f"city:{category}"] = dept
        RoutingRule.objects.get_or_create(
            category=category, division_prefix=city, defaults={"department": dept}
        )
    for category, name in DISTRICT_DEPARTMENTS.items():
        dept, _ = Department.objects.get_or_create(name=name, division_prefix=district)
        departments[f"district:{category}"] = dept
        RoutingRule.objects.get_or_create(
            category=category, division_prefix=district, defaults={"department": dept}
        )
    for level, name in LEVEL_OWNERS.items():
        dept, _ = Department.objects.get_or_create(
            name=name, division_prefix=city, defaults={"owns_level": level}
        )
        departments[f"level:{level}"] = dept
    return departments


def _firms(prefecture: str, district: str, n: int, rng: random.Random) -> list[Enterprise]:
    from smeladder.accounts.management.commands.demo_accounts import demo_enterprise

    city_code = prefecture[:4]
    city = Enterprise.objects.filter(division_code__startswith=city_code)
    ids = list(city.order_by("pk").values_list("pk", flat=True)[:5000])
    chosen = rng.sample(ids, min(n, len(ids)))
    # the demo firm's user (demo_accounts) should find requests of its own
    first = demo_enterprise()
    if first is not None and first.pk not in chosen and first.division_code.startswith(city_code):
        chosen[:3] = [first.pk] * 3
    firms = {e.pk: e for e in Enterprise.objects.filter(pk__in=chosen)}
    return [firms[pk] for pk in chosen]


def _plan(
    firms: list[Enterprise], start: dt.date, today: dt.date, rng: random.Random
) -> list[tuple[dt.datetime, int, str, dict[str, Any]]]:
    """(moment, case index, action, arguments), to be run in time order."""
    steps: list[tuple[dt.datetime, int, str, dict[str, Any]]] = []
    categories = list(CITY_DEPARTMENTS)
    for i, firm in enumerate(firms):
        day = start + dt.timedelta(days=rng.randint(0, DAYS_OF_HISTORY - 1))
        category = rng.choice(categories)
        steps.append(
            (
                _moment(day, rng),
                i,
                "file",
                {
                    "firm": firm,
                    "category": category,
                    "description": rng.choice(DESCRIPTIONS[category]),
                    "urgency": "urgent" if rng.random() < 0.15 else "normal",
                    "channel": rng.choice(["phone", "visit", "hotline"]),
                },
            )
        )
        path = ["accept", "start"]
        if rng.random() < 0.25:
            path += ["wait", "reply"]
        path += ["resolve"]
        roll = rng.random()
        if roll < 0.35:
            path += ["rate_good"]
        elif roll < 0.45:
            path += ["rate_bad"]
        elif roll < 0.6:
            path += ["confirm"]
        # cut some paths short so every state is represented today; older cases are mostly done
        recent = (today - day).days < 21
        if rng.random() < (0.6 if recent else 0.15):
            path = path[: rng.randint(0, len(path) - 1)]
        if recent and "wait" in path and rng.random() < 0.5:
            path = path[: path.index("wait") + 1]  # still waiting for the firm's answer
        for kind in path:
            day += dt.timedelta(days=rng.choice([1, 1, 1, 2, 2, 3, 4, 7]))
            if day > today:
                break
            steps.append((_moment(day, rng), i, kind, {}))
    steps.sort(key=lambda s: (s[0], s[1]))
    return steps


def _act(case: Case, kind: str, worker: str) -> None:
    if kind == "rate_good":
        actions.rate(case, worker, random.Random(case.pk).choice(["satisfied", "fairly"]))
    elif kind == "rate_bad":
        actions.rate(case, worker, "unsatisfied", "企业反映问题未彻底解决")
    else:
        {
            "accept": actions.accept,
            "start": actions.start,
            "wait": actions.wait_for_enterprise,
            "reply": actions.enterprise_replied,
            "resolve": actions.resolve,
            "confirm": actions.confirm,
        }[kind](case, worker)


def build_casework_demo(
    prefecture: str = "370300",
    *,
    seed: int = 2026,
    cases: int = 50,
    today: dt.date | None = None,
    district: str = "370303",
) -> DemoReport:
    """Add the demo casework (once: a second call with cases present does nothing)."""
    if Case.objects.exists():
        return DemoReport(Case.objects.count(), Department.objects.count(), 0, 0)
    rng = random.Random(seed)
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=DAYS_OF_HISTORY)
    with transaction.atomic():
        _organisation(prefecture, district)
        worker = ACTOR
        firms = _firms(prefecture, district, cases, rng)
        if not firms:
            return DemoReport(0, Department.objects.count(), 0, 0)
        made: dict[int, Case] = {}
        job_days = [start + dt.timedelta(days=d) for d in range(1, DAYS_OF_HISTORY + 1)]
        for moment, index, kind, args in _plan(firms, start, today, rng):
            while job_days and job_days[0] <= moment.date():
                # the daily job, at 07:00, before the day's work
                with clock_at(_moment(job_days[0], rng).replace(hour=7)):
                    actions.run_escalation()
                job_days.pop(0)
            with clock_at(moment):
                if kind == "file":
                    made[index] = actions.file_case(
                        worker,
                        args.pop("firm"),
                        **args,
                    )
                elif index in made:
                    # e.g. the job closed it first: a real caseworker would skip the step too
                    with contextlib.suppress(actions.CaseworkError):
                        _act(made[index], kind, worker)
        for day in job_days:
            with clock_at(_moment(day, rng).replace(hour=7)):
                actions.run_escalation()
        visits = _liaison(firms, worker, start, today, rng)
        with clock_at(_moment(today, rng)):
            rows = refresh_metrics(on=today, actor="demo")
    return DemoReport(len(made), Department.objects.count(), visits, rows)


def _liaison(
    firms: list[Enterprise], worker: str, start: dt.date, today: dt.date, rng: random.Random
) -> int:
    visits = 0
    kinds = list(ServiceKind.values)
    officers = list(
        User.objects.filter(
            role__in=(Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL), is_active=True
        ).exclude(division_prefix="")
    )
    for firm in firms[:12]:
        covering = [o for o in officers if firm.division_code.startswith(o.division_prefix)]
        if covering:  # a rebuilt demo pairs firms with the officials that exist by then
            actions.assign_liaison(worker, firm, covering[0], start)
        day = start + dt.timedelta(days=rng.randint(0, DAYS_OF_HISTORY))
        with clock_at(_moment(min(day, today), rng)):
            opens = rng.random() < 0.2
            actions.log_visit(
                worker,
                firm,
                visited_on=min(day, today),
                people="包联干部、企业负责人",
                findings="走访了解生产经营情况" + ("，企业反映融资需求" if opens else ""),
                open_case={"category": "financing", "description": "走访发现：流动资金紧张"}
                if opens
                else None,
            )
            visits += 1
            for kind in rng.sample(kinds, 2):
                actions.set_service_item(worker, firm, kind, rng.choice(list(ServiceStatus.values)))
    return visits
