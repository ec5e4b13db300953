"""smeladder refresh_case_metrics [--on DATE] — recompute the casework metrics table."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.casework.metrics import refresh_metrics


class Command(BaseCommand):
    help = "更新诉求办理统计 / recompute the casework metrics (precomputed rows)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="统计日期 YYYY-MM-DD（默认今天）/ default today")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"日期 {options['on']!r} 不是 YYYY-MM-DD 格式") from None
        started = time.perf_counter()
        rows = refresh_metrics(on=on)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"诉求统计 {rows} 行，用时 {seconds:.2f} 秒 / {rows} rows in {seconds:.2f} s"
        )
