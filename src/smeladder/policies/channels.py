"""Delivery channels for policy pushes, behind one interface.

A channel takes a stored Notification and answers how the delivery went (sent / skipped /
failed, to whom); pushes.py writes one Delivery row per channel from that answer.

- ``inbox``: the in-app 消息 page; the Notification row *is* the message, so delivery is
  recording that the inbox shows it.
- ``email``: Django's mail machinery to the firm's enterprise users that have an address.
  The backend is ``SMELADDER_PUSH_EMAIL_BACKEND`` (console by default, so nothing leaves the
  machine unless a deployment says so).
- ``sms``: a console adapter that writes the text message to the log (logger
  ``smeladder.policies.sms``); a real gateway would replace it behind the same interface.

Which channels run is the setting ``SMELADDER_PUSH_CHANNELS`` (default ``["inbox"]``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection

from .models import Delivery, Notification

DEFAULT_CHANNELS = ["inbox"]
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
SMS_LOG = logging.getLogger("smeladder.policies.sms")


@dataclass(frozen=True)
class Sent:
    """The answer of one channel for one notification."""

    state: str  # Delivery.State
    recipient: str = ""
    detail: str = ""


class Channel(Protocol):
    name: str

    def send(self, notification: Notification) -> Sent: ...


def firm_users(enterprise_id: int) -> list[Any]:
    """Active enterprise users of a firm (the people a push reaches)."""
    from smeladder.accounts.models import Role, User

    return list(
        User.objects.filter(enterprise_id=enterprise_id, role=Role.ENTERPRISE, is_active=True)
    )


class InboxChannel:
    name = "inbox"

    def send(self, notification: Notification) -> Sent:
        return Sent(Delivery.State.SENT, recipient=f"enterprise:{notification.enterprise_id}")


class EmailChannel:
    name = "email"

    def __init__(self) -> None:
        backend = getattr(settings, "SMELADDER_PUSH_EMAIL_BACKEND", None) or CONSOLE_EMAIL
        self.connection = get_connection(backend)

    def send(self, notification: Notification) -> Sent:
        addresses = sorted({u.email for u in firm_users(notification.enterprise_id) if u.email})
        if not addresses:
            return Sent(Delivery.State.SKIPPED, detail="企业用户未登记电子邮箱")
        message = EmailMessage(
            subject=notification.title,
            body=notification.body,
            to=addresses,
            connection=self.connection,
        )
        try:
            message.send()
        except Exception as err:  # any transport error is a failed delivery
            return Sent(Delivery.State.FAILED, ", ".join(addresses), str(err)[:500])
        return Sent(Delivery.State.SENT, recipient=", ".join(addresses)[:200])


class ConsoleSmsChannel:
    name = "sms"

    def send(self, notification: Notification) -> Sent:
        recipient = f"enterprise:{notification.enterprise_id}"
        SMS_LOG.info("短信 → %s：%s %s", recipient, notification.title, notification.body)
        return Sent(Delivery.State.SENT, recipient=recipient, detail="控制台短信（未实际发送）")


CHANNELS: dict[str, type] = {
    "inbox": InboxChannel,
    "email": EmailChannel,
    "sms": ConsoleSmsChannel,
}


def configured_channels() -> list[Channel]:
    """The channels of ``SMELADDER_PUSH_CHANNELS``, in that order."""
    names = getattr(settings, "SMELADDER_PUSH_CHANNELS", None) or DEFAULT_CHANNELS
    unknown = [n for n in names if n not in CHANNELS]
    if unknown:
        raise ImproperlyConfigured(
            f"SMELADDER_PUSH_CHANNELS: unknown channel(s) {unknown}; known: {sorted(CHANNELS)}"
        )
    return [CHANNELS[n]() for n in names]
