"""smeladder export — the registry in the interchange format (deterministic output)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.registry.interchange.export_facts import iter_facts
from smeladder.registry.interchange.write_json import write_json, write_jsonl


class Command(BaseCommand):
    help = "导出企业信息 / export enterprise facts (json, jsonl or xlsx)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=("json", "jsonl", "xlsx"), default="json")
        parser.add_argument(
            "--division", default="", metavar="PREFIX", help="区划代码前缀 / division code prefix"
        )
        parser.add_argument(
            "--output", "-o", metavar="FILE", help="输出文件，默认标准输出 / file (default stdout)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, output = options["format"], options["output"]
        facts = iter_facts(options["division"])
        if fmt == "xlsx":
            if not output:
                raise CommandError("xlsx 需要 --output 文件 / xlsx needs --output FILE")
            from smeladder.registry.interchange.write_excel import write_workbook

            count = write_workbook(facts, output)
        else:
            writer = write_json if fmt == "json" else write_jsonl
            if output:
                with Path(output).open("w", encoding="utf-8", newline="\n") as out:
                    count = writer(facts, out)
            else:
                # The command's own stdout wrapper would add newlines; write through as is.
                out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
                count = writer(facts, out)
        if output:
            self.stderr.write(f"已导出 {count} 家企业 / exported {count} enterprises → {output}")
