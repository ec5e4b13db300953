"""Telling people about a change of a case: one inbox message per recipient, delivered over the
channels of the policy pushes' interface (`smeladder.policies.channels`: a channel has a `name`
and `send(message) -> Sent`; the same setting ``SMELADDER_PUSH_CHANNELS`` picks which run).

Recipients: the requester (the firm's active users and whoever filed the case) and the
followers; on the events that hand the case to a unit (filed, reassign, escalate, reopen, reply,
supervise) also the members of the assigned department. Never the person who acted."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import connection
from django.db.models import Model, Q

from smeladder.accounts.models import Role, User
from smeladder.policies.channels import CONSOLE_EMAIL, DEFAULT_CHANNELS, Sent
from smeladder.zh_labels import zh_label

from .models import (
    Case,
    CaseDelivery,
    CaseEvent,
    CaseMessage,
    Category,
    Department,
    Follower,
    Level,
    State,
)

M = TypeVar("M", bound=Model)

SMS_LOG = logging.getLogger("smeladder.casework.sms")
#: events after which the department holding the case must act
FOR_DEPARTMENT = ("filed", "reassign", "escalate", "reopen", "reply", "supervise")

TITLES = {
    "filed": "已提交",
    "accept": "已受理",
    "start": "开始办理",
    "wait": "请补充材料",
    "reply": "企业已补充材料",
    "resolve": "已办结，请确认并评价",
    "confirm": "已确认办结",
    "auto_close": "已自动关闭",
    "reopen": "已重新办理",
    "reassign": "已改派",
    "escalate": "已升级",
    "supervise": "超期督办",
    "rate": "已评价",
    "follow_up": "已回访",
    "attachment": "新增附件",
}


class InboxChannel:
    name = "inbox"

    def send(self, message: CaseMessage) -> Sent:
        # the message row is the inbox entry; delivering it is recording that it is there
        return Sent(CaseDelivery.State.SENT, recipient=f"user:{message.recipient_id}")


class EmailChannel:
    name = "email"

    def __init__(self) -> None:
        backend = getattr(settings, "SMELADDER_PUSH_EMAIL_BACKEND", None) or CONSOLE_EMAIL
        self.connection = get_connection(backend)

    def send(self, message: CaseMessage) -> Sent:
        address = message.recipient.email
        if not address:
            return Sent(CaseDelivery.State.SKIPPED, detail="用户未登记电子邮箱")
        try:
            EmailMessage(
                subject=message.title, body=message.body, to=[address], connection=self.connection
            ).send()
        except Exception as err:  # any transport error is a failed delivery
            return Sent(CaseDelivery.State.FAILED, address, str(err)[:500])
        return Sent(CaseDelivery.State.SENT, recipient=address)

    def send_many(self, messages: list[CaseMessage]) -> list[Sent]:
        # one SMTP session for the batch instead of one per message
        try:
            self.connection.open()
        except Exception:  # a failed open: each send then reports its own failure
            return [self.send(message) for message in messages]
        try:
            return [self.send(message) for message in messages]
        finally:
            self.connection.close()


class ConsoleSmsChannel:
    name = "sms"

    def send(self, message: CaseMessage) -> Sent:
        recipient = f"user:{message.recipient_id}"
        SMS_LOG.info("短信 → %s：%s %s", recipient, message.title, message.body)
        return Sent(CaseDelivery.State.SENT, recipient=recipient, detail="控制台短信（未实际发送）")


CHANNELS: dict[str, type] = {"inbox": InboxChannel, "email": EmailChannel, "sms": ConsoleSmsChannel}


def configured_channels() -> list[Any]:
    names = getattr(settings, "SMELADDER_PUSH_CHANNELS", None) or DEFAULT_CHANNELS
    unknown = [n for n in names if n not in CHANNELS]
    if unknown:
        raise ImproperlyConfigured(
            f"SMELADDER_PUSH_CHANNELS: unknown channel(s) {unknown}; known: {sorted(CHANNELS)}"
        )
    return [CHANNELS[n]() for n in names]


def recipients(case: Case, event: CaseEvent) -> list[User]:
    # one query: the escalation job notifies thousands of cases in a run
    who = Q(enterprise_id=case.enterprise_id, role=Role.ENTERPRISE) | Q(
        followed_cases__case_id=case.pk
    )
    if case.filed_by_id:
        who |= Q(pk=case.filed_by_id)
    if event.kind in FOR_DEPARTMENT and case.department_id:
        who |= Q(departments=case.department_id)
    people = User.objects.filter(who, is_active=True).exclude(pk=event.actor_id or 0)
    return list(people.distinct().order_by("pk"))


def compose(case: Case, event: CaseEvent) -> tuple[str, str]:
    category = zh_label(Category, case.category)  # stored and mailed: Chinese for everyone
    title = f"诉求 #{case.pk}（{category}）{TITLES.get(event.kind, event.kind)}"
    lines = [
        f"企业：{case.enterprise.name}",
        f"状态：{zh_label(State, case.state)}；办理层级：{zh_label(Level, case.level)}",
    ]
    if case.department_id:
        lines.append(f"承办部门：{case.department.name}")
    if event.note:
        lines.append(f"说明：{event.note}")
    lines.append(f"操作人：{event.actor_label}，时间：{event.at:%Y-%m-%d %H:%M}")
    return title, "\n".join(lines)


def notify_event(case: Case, event: CaseEvent) -> list[CaseMessage]:
    """Inbox messages for everyone concerned by `event`, each delivered over the channels."""
    people = recipients(case, event)
    return deliver([(case, event, people)])


def recipients_of_many(pairs: Sequence[tuple[Case, CaseEvent]]) -> list[list[User]]:
    """`recipients` of each (case, event), in a constant number of queries however many pairs
    (the escalation job notifies thousands of cases in a run): the same people, in the same
    order, as `recipients` would give one by one."""
    if not pairs:
        return []
    firms = {case.enterprise_id for case, _event in pairs}
    case_ids = {case.pk for case, _event in pairs}
    departments = {
        case.department_id
        for case, event in pairs
        if event.kind in FOR_DEPARTMENT and case.department_id
    }
    by_firm: dict[int, set[int]] = defaultdict(set)
    for pk, firm in User.objects.filter(
        enterprise_id__in=firms, role=Role.ENTERPRISE, is_active=True
    ).values_list("pk", "enterprise_id"):
        by_firm[firm].add(pk)
    by_case: dict[int, set[int]] = defaultdict(set)
    for case_id, user_id in Follower.objects.filter(
        case_id__in=case_ids, user__is_active=True
    ).values_list("case_id", "user_id"):
        by_case[case_id].add(user_id)
    by_department: dict[int, set[int]] = defaultdict(set)
    if departments:
        members = Department.members.through.objects.filter(
            department_id__in=departments, user__is_active=True
        )
        for department_id, user_id in members.values_list("department_id", "user_id"):
            by_department[department_id].add(user_id)
    filers = {case.filed_by_id for case, _event in pairs if case.filed_by_id}
    active_filers = set(
        User.objects.filter(pk__in=filers, is_active=True).values_list("pk", flat=True)
    )
    wanted: list[set[int]] = []
    for case, event in pairs:
        who = by_firm[case.enterprise_id] | by_case[case.pk]
        if case.filed_by_id in active_filers:
            who.add(case.filed_by_id)
        if event.kind in FOR_DEPARTMENT and case.department_id:
            who |= by_department[case.department_id]
        who.discard(event.actor_id or 0)
        wanted.append(who)
    people = User.objects.in_bulk(set().union(*wanted))
    return [[people[pk] for pk in sorted(who) if pk in people] for who in wanted]


def notify_many(pairs: Sequence[tuple[Case, CaseEvent]]) -> list[CaseMessage]:
    """`notify_event` for many events at once: the messages in one insert, each channel sending
    them as one batch (e.g. one SMTP connection), the deliveries in one insert."""
    people = recipients_of_many(pairs)
    return deliver([(case, event, who) for (case, event), who in zip(pairs, people, strict=True)])


def deliver(batch: Sequence[tuple[Case, CaseEvent, list[User]]]) -> list[CaseMessage]:
    messages: list[CaseMessage] = []
    for case, event, people in batch:
        if not people:
            continue
        title, body = compose(case, event)
        messages.extend(
            CaseMessage(
                recipient=person,
                case=case,
                event=event,
                title=title,
                body=body,
                created_at=event.at,
            )
            for person in people
        )
    if not messages:
        return []
    messages = create_all(CaseMessage, messages)
    deliveries = []
    for channel in configured_channels():
        for message, sent in zip(messages, send_all(channel, messages), strict=True):
            deliveries.append(
                CaseDelivery(
                    message=message,
                    channel=channel.name,
                    recipient=sent.recipient[:200],
                    state=sent.state,
                    detail=sent.detail[:500],
                    at=message.created_at,
                )
            )
    CaseDelivery.objects.bulk_create(deliveries)
    return messages


def send_all(channel: Any, messages: list[CaseMessage]) -> list[Sent]:
    """One channel's results for many messages: its `send_many` if it has one (a batch), else
    `send` message by message."""
    send_many = getattr(channel, "send_many", None)
    if send_many is not None:
        return list(send_many(messages))
    return [channel.send(message) for message in messages]


def create_all(model: type[M], objects: list[M]) -> list[M]:
    """Insert rows and learn their ids: one bulk insert where the database returns ids from it
    (SQLite, PostgreSQL, MariaDB 10.5+), else row by row."""
    if connection.features.can_return_rows_from_bulk_insert:
        return model.objects.bulk_create(objects)
    for obj in objects:
        obj.save(force_insert=True)
    return objects
