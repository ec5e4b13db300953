"""Pushes: one notification per firm × item × kind over every configured channel, idempotent,
muted categories logged as skipped, windows closing within 7 days, the command."""

from __future__ import annotations

import datetime as dt
import io
import logging
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from smeladder.accounts.models import Role
from smeladder.policies.channels import configured_channels
from smeladder.policies.match_sets import pass_pairs
from smeladder.policies.models import (
    Application,
    CategoryMute,
    Delivery,
    ItemMatchSet,
    Notification,
    NotificationKind,
)
from smeladder.policies.pushes import (
    closing_pairs,
    inbox_of,
    notify_closing_windows,
    notify_new_matches,
)

from .library_fixtures import build_library, put_matches

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise OSError("SMTP 服务器无响应")


@pytest.fixture
def lib(db) -> dict[str, Any]:
    return build_library()


def test_one_notification_per_pair_and_a_rerun_adds_nothing(lib):
    pairs = [(lib["giant"].pk, lib["zd"].pk), (lib["giant"].pk, lib["bs"].pk)]
    first = notify_new_matches(pairs + pairs[:1])  # a duplicate pair in the input too
    assert first.created == 2 and first.already == 0
    assert first.deliveries == {"sent": 2}
    n = Notification.objects.get(enterprise=lib["zd"])
    assert n.kind == NotificationKind.NEW_ITEM and n.item == lib["giant"]
    assert n.title == "新的可享政策：小巨人一次性奖励"
    assert "100.00 万元" in n.body and "申报截止：2026-06-06" in n.body
    assert list(n.deliveries.values_list("channel", "state")) == [("inbox", "sent")]
    again = notify_new_matches(pairs)
    assert again.created == 0 and again.already == 2
    assert Notification.objects.count() == 2 and Delivery.objects.count() == 2


def test_items_of_unpublished_documents_are_never_pushed(lib):
    report = notify_new_matches([(lib["draft_item"].pk, lib["bs"].pk)])
    assert report.created == 0 and not Notification.objects.exists()


def test_a_muted_category_is_recorded_but_skipped_on_every_channel(lib, settings):
    settings.SMELADDER_PUSH_CHANNELS = ["inbox", "sms"]
    CategoryMute.objects.create(enterprise=lib["zd"], category="funding")
    report = notify_new_matches(
        [(lib["giant"].pk, lib["zd"].pk), (lib["rd"].pk, lib["zd"].pk)]  # funding, innovation
    )
    assert report.created == 2 and report.muted == 1
    muted = Notification.objects.get(item=lib["giant"])
    assert sorted(muted.deliveries.values_list("channel", "state", "detail")) == [
        ("inbox", "skipped", "企业已设免打扰：资金奖补"),
        ("sms", "skipped", "企业已设免打扰：资金奖补"),
    ]
    assert list(inbox_of(lib["zd"].pk)) == [Notification.objects.get(item=lib["rd"])]
    # unmuting later does not push the recorded event again
    CategoryMute.objects.all().delete()
    assert notify_new_matches([(lib["giant"].pk, lib["zd"].pk)]).created == 0


def test_email_and_sms_channels(lib, settings, make_user, caplog):
    settings.SMELADDER_PUSH_CHANNELS = ["inbox", "email", "sms"]
    settings.SMELADDER_PUSH_EMAIL_BACKEND = LOCMEM
    make_user("jia", Role.ENTERPRISE, enterprise=lib["zd"], email="boss@jia.example")
    gone = make_user("jia_off", Role.ENTERPRISE, enterprise=lib["zd"], email="x@jia.example")
    gone.is_active = False
    gone.save()
    with caplog.at_level(logging.INFO, logger="smeladder.policies.sms"):
        notify_new_matches([(lib["giant"].pk, lib["zd"].pk), (lib["giant"].pk, lib["bs"].pk)])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["boss@jia.example"]  # the inactive user is not mailed
    assert mail.outbox[0].subject == "新的可享政策：小巨人一次性奖励"
    rows = {
        (d.notification.enterprise_id, d.channel): (d.state, d.recipient, d.detail)
        for d in Delivery.objects.select_related("notification")
    }
    assert rows[(lib["zd"].pk, "email")] == ("sent", "boss@jia.example", "")
    assert rows[(lib["bs"].pk, "email")] == ("skipped", "", "企业用户未登记电子邮箱")
    assert rows[(lib["bs"].pk, "sms")][0] == "sent"
    assert sum("短信 →" in r.getMessage() for r in caplog.records) == 2


def test_a_failing_mail_server_is_a_failed_delivery(lib, settings, make_user):
    settings.SMELADDER_PUSH_CHANNELS = ["email", "inbox"]
    settings.SMELADDER_PUSH_EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    make_user("jia", Role.ENTERPRISE, enterprise=lib["zd"], email="boss@jia.example")
    report = notify_new_matches([(lib["giant"].pk, lib["zd"].pk)])
    assert report.deliveries == {"failed": 1, "sent": 1}
    failed = Delivery.objects.get(channel="email")
    assert failed.state == "failed" and "SMTP 服务器无响应" in failed.detail
    assert inbox_of(lib["zd"].pk).count() == 1  # the inbox still has it


def test_console_email_is_the_default(lib, settings, make_user, capsys):
    settings.SMELADDER_PUSH_CHANNELS = ["email"]
    make_user("jia", Role.ENTERPRISE, enterprise=lib["zd"], email="boss@jia.example")
    notify_new_matches([(lib["giant"].pk, lib["zd"].pk)])
    assert "boss@jia.example" in capsys.readouterr().out  # written to the console, not sent
    assert mail.outbox == []


def test_an_unknown_channel_is_a_configuration_error(settings):
    settings.SMELADDER_PUSH_CHANNELS = ["inbox", "pigeon"]
    with pytest.raises(ImproperlyConfigured, match="pigeon"):
        configured_channels()


def _window(lib, days: int | None, apply_from_days: int | None = -30) -> None:
    doc = lib["doc"]
    on = lib["on"]
    doc.apply_to = None if days is None else on + dt.timedelta(days=days)
    doc.apply_from = None if apply_from_days is None else on + dt.timedelta(days=apply_from_days)
    doc.save()


@pytest.mark.parametrize(
    ("days", "apply_from_days", "pushed"),
    [
        (0, -30, True),  # closes today
        (7, -30, True),  # the 7th day
        (8, -30, False),  # beyond the week
        (-1, -30, False),  # already closed
        (None, -30, False),  # open-ended: nothing is closing
        (3, None, True),  # open start
        (3, 1, False),  # not open yet
    ],
)
def test_closing_window_boundaries(lib, days, apply_from_days, pushed):
    _window(lib, days, apply_from_days)
    report = notify_closing_windows(lib["on"])
    expected = {lib["zd"].pk, lib["bs"].pk} if pushed else set()
    got = set(
        Notification.objects.filter(kind=NotificationKind.WINDOW_CLOSING).values_list(
            "enterprise_id", flat=True
        )
    )
    assert got == expected and report.created == len(expected)


def test_closing_skips_firms_that_applied_and_undetermined_matches(lib):
    Application.objects.create(item=lib["giant"], enterprise=lib["bs"], applied_on=lib["on"])
    put_matches(lib["rd"], [(lib["zd2"].pk, "undetermined", None, ["项目通过专家评审"])], lib["on"])
    assert set(closing_pairs(lib["on"])) == {(lib["giant"].pk, lib["zd"].pk)}
    first = notify_closing_windows(lib["on"])
    n = Notification.objects.get(kind=NotificationKind.WINDOW_CLOSING)
    assert n.enterprise == lib["zd"] and "2026-06-06 截止申报" in n.body
    assert first.created == 1
    assert notify_closing_windows(lib["on"] + dt.timedelta(days=1)).created == 0  # once


def test_the_command_pushes_pending_matches_and_closing_windows(lib):
    out = io.StringIO()
    call_command("push_policies", "--on", "2026-06-01", stdout=out)
    text = out.getvalue()
    assert "新的可享政策：新消息 2 条" in text  # the two pass matches; undetermined not pushed
    assert "申报即将截止（2026-06-01 起 7 天内）：新消息 2 条" in text
    assert Notification.objects.count() == 4
    out = io.StringIO()
    call_command("push_policies", "--on", "2026-06-01", stdout=out)
    assert "新消息 0 条" in out.getvalue() and "此前已通知 2 条" in out.getvalue()
    assert Notification.objects.count() == 4
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("push_policies", "--on", "6/1", stdout=io.StringIO())


def test_the_amount_in_the_body_comes_from_the_stored_match(lib):
    put_matches(
        lib["giant"],
        [(lib["zd"].pk, "pass", 1000000, []), (lib["bs"].pk, "pass", Decimal("1234567.89"), [])],
        lib["on"],
    )
    notify_new_matches([(lib["giant"].pk, lib["bs"].pk)])
    assert "123.46 万元" in Notification.objects.get(enterprise=lib["bs"]).body


def test_the_sweep_pushes_newly_passing_pairs_once(lib):
    """With the real sweep (policies/sweep.py): firms whose stored matches are recomputed hear
    of the items they newly pass — once, however often the sweep runs."""
    from smeladder.policies.matching import store_matches_for_enterprises

    ItemMatchSet.objects.all().delete()  # as before the first sweep
    on = lib["on"]
    store_matches_for_enterprises([lib["zd"].pk, lib["zd2"].pk, lib["bs"].pk], on)
    items = [lib["giant"].pk, lib["rd"].pk]
    assert set(pass_pairs(items)) == {(lib["giant"].pk, lib["zd"].pk)}  # only 甲 holds 小巨人
    pushed = Notification.objects.filter(kind=NotificationKind.NEW_ITEM)
    assert list(pushed.values_list("item_id", "enterprise_id")) == [(lib["giant"].pk, lib["zd"].pk)]
    assert "100.00 万元" in pushed.get().body
    store_matches_for_enterprises([lib["zd"].pk], on)
    assert pushed.count() == 1 and Delivery.objects.count() == 1


def test_the_full_sweep_pushes_only_what_newly_passes(lib):
    """The full sweep compares each item's new pass set with the stored one: the first run
    pushes every pass, a re-run nothing, a firm that starts passing exactly that pair."""
    from smeladder.policies.sweep import sweep

    ItemMatchSet.objects.all().delete()
    on = lib["on"]
    first = sweep(on)
    pushed = Notification.objects.filter(kind=NotificationKind.NEW_ITEM)
    assert first["new_pairs"] == 1
    assert list(pushed.values_list("item_id", "enterprise_id")) == [(lib["giant"].pk, lib["zd"].pk)]
    assert sweep(on)["new_pairs"] == 0 and pushed.count() == 1
    # 丙 is granted the 小巨人 title too: the next sweep pushes it alone
    from smeladder.registry.models import Title

    title = Title.objects.get(enterprise=lib["zd"])
    title.pk, title.enterprise = None, lib["bs"]
    title.save()
    assert sweep(on)["new_pairs"] == 1
    assert set(pushed.values_list("enterprise_id", flat=True)) == {lib["zd"].pk, lib["bs"].pk}
