"""Telling people about a change of a case: one inbox message per recipient, delivered over the
channels of the policy pushes' interface (`smeladder.policies.channels`: a channel has a `name`
and `send(message) -> Sent`; the same setting ``SMELADDER_PUSH_CHANNELS`` picks which run).

Recipients: the requester (the firm's active users and whoever filed the case) and the
followers; on the events that hand the case to a unit (filed, reassign, escalate, reopen, reply,
supervise) also the members of the assigned department. Never the person who acted."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q

from smeladder.accounts.models import Role, User
from smeladder.policies.channels import CONSOLE_EMAIL, DEFAULT_CHANNELS, Sent

from .models import Case, CaseDelivery, CaseEvent, CaseMessage, Level, State

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
    title = f"诉求 #{case.pk}（{case.get_category_display()}）{TITLES.get(event.kind, event.kind)}"
    lines = [
        f"企业：{case.enterprise.name}",
        f"状态：{State(case.state).label}；办理层级：{Level(case.level).label}",
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
    if not people:
        return []
    title, body = compose(case, event)
    messages = CaseMessage.objects.bulk_create(
        [
            CaseMessage(
                recipient=person,
                case=case,
                event=event,
                title=title,
                body=body,
                created_at=event.at,
            )
            for person in people
        ]
    )
    deliveries = []
    for channel in configured_channels():
        for message in messages:
            sent = channel.send(message)
            deliveries.append(
                CaseDelivery(
                    message=message,
                    channel=channel.name,
                    recipient=sent.recipient[:200],
                    state=sent.state,
                    detail=sent.detail[:500],
                    at=event.at,
                )
            )
    CaseDelivery.objects.bulk_create(deliveries)
    return messages
