"""smeladder import_policies FILE --user NAME — a policy JSON file or Excel template in, as
drafts; the whole file is checked first and nothing is written if anything is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.policies.actions import PolicyError
from smeladder.policies.interchange import import_policies


class Command(BaseCommand):
    help = (
        "导入政策文件（JSON / Excel 模板），整个文件校验无误才写入，导入后为草稿 / import policy "
        "documents as drafts; nothing is written unless the whole file is valid"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="文件 / file (.json, .xlsx)")
        parser.add_argument(
            "--user",
            required=True,
            help="以此工作人员身份导入（决定管辖范围，记入审计）/ the official importing",
        )
        parser.add_argument(
            "--report", metavar="FILE", help="问题清单另存为 JSON / write the problems as JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 / cannot read {path}: {exc}") from exc
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户不存在 / no such user: {options['user']}")
        try:
            report = import_policies(user, content, path.name)
        except PolicyError as exc:
            raise CommandError(str(exc)) from exc
        if options["report"]:
            Path(options["report"]).write_text(
                json.dumps([r.as_dict() for r in report.rows], ensure_ascii=False, indent=2),
                encoding="utf-8",
            )
        for row in report.rows:
            self.stderr.write(str(row))
        if not report.ok:
            raise CommandError(
                f"发现 {len(report.rows)} 个问题，未写入任何数据 / "
                f"{len(report.rows)} problem(s); nothing was written",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 / imported: 新建 {report.created}，更新 {report.updated}，"
                f"未变 {report.unchanged}（草稿，待提交审核）"
            )
        )
