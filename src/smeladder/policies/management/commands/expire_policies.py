"""smeladder expire_policies [--on DATE] — published documents past their expiry date become
expired (run it daily, e.g. from cron)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smeladder.policies.actions import expire_due


class Command(BaseCommand):
    help = "到期政策自动失效 / mark published policies past their expiry date as expired"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="按此日期判断，默认今天 / as of this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["on"]:
            try:
                on = date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD / bad date: {options['on']}") from exc
        count = expire_due(on)
        self.stdout.write(self.style.SUCCESS(f"{count} 个政策文件已失效 / expired (as of {on})"))
