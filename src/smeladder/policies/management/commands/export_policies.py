"""smeladder export_policies FILE — documents with their items as policy JSON or the Excel
template (by the file's extension); --template writes the empty Excel template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.policies.interchange import export_json, export_xlsx, template_xlsx
from smeladder.policies.models import PolicyDocument, Status


class Command(BaseCommand):
    help = "导出政策文件（.json 或 .xlsx）/ export policy documents (JSON or the Excel template)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件 / output file (.json, .xlsx)")
        parser.add_argument(
            "--status",
            choices=Status.values,
            action="append",
            help="只导出这些状态（可重复）/ only these statuses (repeatable)",
        )
        parser.add_argument(
            "--owner-prefix", default="", help="只导出此区划维护的 / only kept by this area"
        )
        parser.add_argument(
            "--no-demo", action="store_true", help="不含演示数据 / leave out demo data"
        )
        parser.add_argument(
            "--template", action="store_true", help="只写空白 Excel 模板 / the empty template"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        suffix = path.suffix.lower()
        if suffix not in (".json", ".xlsx"):
            raise CommandError("只能导出 .json 或 .xlsx / the file must end in .json or .xlsx")
        if options["template"]:
            if suffix != ".xlsx":
                raise CommandError("模板是 Excel 文件 / the template is an .xlsx file")
            path.write_bytes(template_xlsx())
            self.stdout.write(self.style.SUCCESS(f"模板已写入 / template written: {path}"))
            return
        qs = PolicyDocument.objects.all().order_by("pk")
        if options["status"]:
            qs = qs.filter(status__in=options["status"])
        if options["owner_prefix"]:
            qs = qs.filter(owner_prefix__startswith=options["owner_prefix"])
        if options["no_demo"]:
            qs = qs.filter(demo=False)
        content = export_json(qs) if suffix == ".json" else export_xlsx(qs)
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(f"已导出 {qs.count():,} 个政策文件 / exported to {path}")
        )
