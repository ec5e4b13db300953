"""smeladder template — the empty Excel import template, with a 填写说明 sheet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from smeladder.registry.interchange.template import write_template


class Command(BaseCommand):
    help = "生成 Excel 导入模板 / write the Excel import template"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            default="企业信息导入模板.xlsx",
            metavar="FILE",
            help="输出文件 / output file (.xlsx)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        write_template(options["output"])
        self.stdout.write(f"已生成模板 / template written: {options['output']}")
