"""smeladder import FILE — validate a whole file, then write all of it or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.registry.actions import import_enterprises
from smeladder.registry.interchange.problems import format_table, to_json
from smeladder.registry.interchange.readers import FORMATS, read_file


class Command(BaseCommand):
    help = (
        "导入企业信息（JSON / JSON Lines / Excel），整个文件校验无误才写入 / "
        "import enterprise facts; nothing is written unless the whole file is valid"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="文件 / file (.json, .jsonl, .xlsx)")
        parser.add_argument(
            "--format", choices=FORMATS, help="文件格式，默认按扩展名 / format (default: extension)"
        )
        parser.add_argument(
            "--accept-checksum",
            action="append",
            default=[],
            metavar="USCC",
            help="接受校验位不符的统一社会信用代码（可重复）/ accept this USCC despite its "
            "check digit (repeatable)",
        )
        parser.add_argument(
            "--report", metavar="FILE", help="问题清单另存为 JSON / write the problems as JSON"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只校验并统计，不写入 / validate and count only"
        )
        parser.add_argument("--user", help="记入审计日志的用户名 / username for the audit log")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 / cannot read {path}: {exc}") from exc
        fmt = options["format"]
        try:
            read = read_file(raw, name=path.name, fmt=fmt)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        actor: Any = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"用户不存在 / no such user: {options['user']}")
        result = import_enterprises(
            read,
            actor=actor,
            accepted_checksum_failures=options["accept_checksum"],
            file_name=path.name,
            sha256=hashlib.sha256(raw).hexdigest(),
            dry_run=options["dry_run"],
        )
        if options["report"]:
            Path(options["report"]).write_text(to_json(result.problems), encoding="utf-8")
        if result.problems:
            self.stderr.write(format_table(result.problems), ending="")
        if result.errors:
            raise CommandError(
                f"发现 {len(result.errors)} 个错误，未写入任何数据 / "
                f"{len(result.errors)} error(s); nothing was written",
                returncode=1,
            )
        prefix = (
            "校验通过（未写入）/ valid (dry run, nothing written): " if options["dry_run"] else ""
        )
        self.stdout.write(prefix + result.summary())
