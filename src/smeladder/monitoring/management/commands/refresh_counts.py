"""smeladder refresh_counts [--on DATE] — recount the dashboard figures (for cron or make run)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.monitoring.actions import refresh_counts


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"日期 {value!r} 不是 YYYY-MM-DD 格式 / date {value!r} is not YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = "更新首页统计数 / recount the dashboard figures (precomputed counts)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="统计日期 YYYY-MM-DD（默认今天）/ date, default today")

    def handle(self, *args: Any, **options: Any) -> None:
        on = _date(options["on"]) if options["on"] else None
        started = time.perf_counter()
        summary = refresh_counts(on=on, actor="refresh_counts")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"统计日期 {summary.on.isoformat()}：{summary.rows} 行，用时 {seconds:.2f} 秒 / "
            f"counts for {summary.on.isoformat()}: {summary.rows} rows in {seconds:.2f} s"
        )
        for prop, n in sorted(summary.by_property.items()):
            self.stdout.write(f"  {prop}: {n}")
