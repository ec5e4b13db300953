"""`smeladder push_policies [--on DATE]`: push the stored pass matches nobody was told about yet
and the application windows closing within 7 days of DATE (default today, China time).
Idempotent: run it daily; a firm hears of each item and each closing window once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.policies.pushes import (
    PushReport,
    notify_closing_windows,
    notify_new_matches,
    pending_new_matches,
)
from smeladder.standards.cli_assess import today_in_china


def _line(what: str, report: PushReport) -> str:
    sent = "，".join(f"{state} {n}" for state, n in sorted(report.deliveries.items())) or "无"
    return (
        f"{what}：新消息 {report.created} 条（免打扰 {report.muted} 条），"
        f"此前已通知 {report.already} 条；发送记录：{sent}"
    )


class Command(BaseCommand):
    help = "推送新的可享政策与即将截止的申报（幂等，可每日运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else today_in_china()
        except ValueError:
            raise CommandError("--on 须为 YYYY-MM-DD 格式") from None
        new = notify_new_matches(list(pending_new_matches()))
        closing = notify_closing_windows(on)
        self.stdout.write(_line("新的可享政策", new))
        self.stdout.write(_line(f"申报即将截止（{on} 起 7 天内）", closing))
