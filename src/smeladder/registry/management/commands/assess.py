"""smeladder assess — assess enterprise facts from a file against the standards; no database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.standards.cli_assess import AssessInputError, run
from smeladder.standards.facts_check import MalformedFacts


class Command(BaseCommand):
    help = (
        "按标准评估企业事实（JSON 对象、数组或 JSON Lines），不使用数据库 / assess enterprise "
        "facts (one JSON object, an array or JSON Lines) against the standards, without a database"
    )
    # Works without any database: no system checks (they may touch the DB), no queries.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="FILE", help="事实文件，- 为标准输入 / facts file, - = stdin"
        )
        parser.add_argument(
            "--on",
            metavar="DATE",
            help=(
                "评估日期 YYYY-MM-DD，默认今天（北京时间）/ "
                "assessment date (default: today, Asia/Shanghai)"
            ),
        )
        parser.add_argument(
            "--standard",
            action="append",
            metavar="CODE",
            help="标准代码，可重复；默认全部 / standard code, repeatable (default: all)",
        )
        parser.add_argument("--format", choices=("json", "table"), default="json")
        parser.add_argument(
            "--no-gaps",
            action="store_true",
            help=(
                "不计算差距（更快）/ skip the gaps (the smallest verified changes that would "
                "pass; computed by default)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise CommandError(f"无法读取 {path} / cannot read {path}: {err}") from None
        standards = options.get("standard") or None
        if isinstance(standards, str):
            standards = [standards]
        try:
            output = run(
                text,
                options.get("on"),
                standards,
                options.get("format") or "json",
                gaps=not options.get("no_gaps", False),
            )
        except MalformedFacts as err:
            count = len(err.problems)
            raise CommandError(
                f"事实格式有误（{count} 处）/ malformed facts ({count}):\n{err}"
            ) from None
        except AssessInputError as err:
            raise CommandError(str(err)) from None
        self.stdout.write(output)
