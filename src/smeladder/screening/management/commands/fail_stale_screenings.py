"""`smeladder fail_stale_screenings`: mark screening runs whose worker stopped as failed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from smeladder.screening.actions import STALE_AFTER, fail_stale_runs


class Command(BaseCommand):
    help = "将长时间未完成的筛选标记为失败 / mark interrupted screenings failed"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=STALE_AFTER.total_seconds() / 3600,
            help="超过多少小时未完成视为中断（默认 2）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        marked = fail_stale_runs(stale_after=dt.timedelta(hours=options["hours"]))
        self.stdout.write(
            f"已标记 {marked} 个中断的筛选 / {marked} interrupted run(s) marked failed"
        )
