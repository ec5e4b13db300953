"""The daily schedule as data: which jobs run, at what local time (Asia/Shanghai, TIME_ZONE).

Default times, in the order the night needs them:

- expire_policies 00:10 — first, so nothing that runs later today (counts, pushes) still treats
  a policy past its expiry date as open;
- escalate_cases 00:30 — overdue is judged per day; officials find the 督办 notices when they
  start work;
- refresh_counts 01:00 — the dashboard after the night's changes, in the quiet hours;
- refresh_case_metrics 01:30 — after the escalation job, so its escalations and auto-closes count;
- push_policies 08:30 — messages (inbox, e-mail, SMS) reach firms at office hours, not at night,
  and after the expiry run, so no firm is told about an expired policy.

A scheduler that starts late catches up today's missed jobs in this order (actions.due_jobs).

SMELADDER_SCHEDULE (settings, or the environment as a string) overrides some of the times or
turns a job off: a dict ``{"push_policies": "09:00", "escalate_cases": None}`` or the string
``"push_policies=09:00,escalate_cases=off"``. Unknown job names and bad times are refused with
ImproperlyConfigured (and a system check, so `runserver`, `migrate` and `scheduler` stop at start).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Job:
    name: str
    label: str  # what it does, for people (command output, admin)
    task_path: str  # a django-tasks @task taking on="YYYY-MM-DD"
    at: dt.time  # local time (TIME_ZONE) from which it is due each day


#: name → (label, task, default time); the order breaks ties between equal times
JOBS: dict[str, tuple[str, str, str]] = {
    "expire_policies": (
        "到期政策失效",
        "smeladder.policies.tasks.expire_policies_job",
        "00:10",
    ),
    "escalate_cases": (
        "诉求超期升级与自动关闭",
        "smeladder.casework.tasks.escalate_cases_job",
        "00:30",
    ),
    "refresh_counts": (
        "更新首页统计数",
        "smeladder.monitoring.tasks.refresh_counts_job",
        "01:00",
    ),
    "refresh_case_metrics": (
        "更新诉求办理统计",
        "smeladder.casework.tasks.refresh_case_metrics_job",
        "01:30",
    ),
    "push_policies": (
        "推送可享政策与即将截止的申报",
        "smeladder.policies.tasks.push_policies_job",
        "08:30",
    ),
}

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_OFF = {"off", "none"}


def _parse_string(raw: str, errors: list[str]) -> dict[str, Any]:
    """ "a=HH:MM,b=off" → {"a": "HH:MM", "b": "off"}; malformed pieces go to `errors`."""
    out: dict[str, Any] = {}
    for piece in raw.split(","):
        piece = piece.strip()
        if not piece:
            continue
        name, sep, value = (part.strip() for part in piece.partition("="))
        if not sep:
            errors.append(f"{piece!r} 缺少“=”，应为 任务=HH:MM / expected job=HH:MM")
        elif name in out:
            errors.append(f"任务 {name!r} 出现两次 / {name!r} given twice")
        else:
            out[name] = value
    return out


def _time(value: Any) -> dt.time | str | None:
    """A time, None for off, or the error text."""
    if value is None or (isinstance(value, str) and value.strip().lower() in _OFF):
        return None
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str) and (m := _TIME.match(value.strip())):
        return dt.time(int(m.group(1)), int(m.group(2)))
    return f"时间 {value!r} 无效，应为 HH:MM（00:00–23:59）或 off / not HH:MM nor off"


def load_schedule(raw: Mapping[str, Any] | str | None) -> list[Job]:
    """The enabled jobs, by time (then by JOBS order), with `raw` laid over the default times.
    Every problem is named at once in one ImproperlyConfigured."""
    errors: list[str] = []
    if isinstance(raw, str):
        overrides = _parse_string(raw, errors)
    elif raw is None or isinstance(raw, Mapping):
        overrides = dict(raw or {})
    else:
        overrides = {}
        errors.append(f"应为字典或字符串 / expected a dict or a string, not {type(raw).__name__}")
    times: dict[str, dt.time | None] = {
        name: dt.time.fromisoformat(default) for name, (_, _, default) in JOBS.items()
    }
    for name, value in overrides.items():
        if name not in JOBS:
            errors.append(f"未知任务 {name!r}（可用：{'、'.join(JOBS)}）/ unknown job {name!r}")
            continue
        parsed = _time(value)
        if isinstance(parsed, str):
            errors.append(f"{name}：{parsed}")
        else:
            times[name] = parsed
    if errors:
        raise ImproperlyConfigured("SMELADDER_SCHEDULE 配置有误 / is invalid: " + "；".join(errors))
    order = list(JOBS)
    jobs = [
        Job(name=name, label=JOBS[name][0], task_path=JOBS[name][1], at=at)
        for name, at in times.items()
        if at is not None
    ]
    return sorted(jobs, key=lambda job: (job.at, order.index(job.name)))


def current_schedule() -> list[Job]:
    """The schedule in force (read on each call, so a changed setting counts at once)."""
    return load_schedule(getattr(settings, "SMELADDER_SCHEDULE", None))
