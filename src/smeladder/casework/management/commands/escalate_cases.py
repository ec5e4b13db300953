"""smeladder escalate_cases [--on DATE] — the scheduled escalation job (run it daily, e.g. from
cron or the job runner): overdue cases one rung up with a 督办 notice, resolved cases the firm
left unconfirmed for 5 working days closed. Running it twice does nothing the second time."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.casework.actions import InvalidInput, run_escalation


class Command(BaseCommand):
    help = "诉求超期升级与自动关闭 / escalate overdue cases, close unconfirmed resolved cases"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", help="按哪一天判断超期 YYYY-MM-DD（默认今天，不能晚于今天）/ default today"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"日期 {options['on']!r} 不是 YYYY-MM-DD 格式") from None
        started = time.perf_counter()
        try:
            s = run_escalation(on)
        except InvalidInput as err:
            raise CommandError(err.message) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{s.on.isoformat()}：检查 {s.checked} 件，升级 {s.escalated} 件，督办 {s.notices} 件，"
            f"自动关闭 {s.auto_closed} 件，用时 {seconds:.2f} 秒 / checked {s.checked}, "
            f"escalated {s.escalated}, notices {s.notices}, auto-closed {s.auto_closed}"
        )
        for case_id, why in sorted(s.not_computable.items()):
            self.stderr.write(f"诉求 #{case_id}：{why}")
