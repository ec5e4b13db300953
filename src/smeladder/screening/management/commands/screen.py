"""smeladder screen — assess the registry (or one area) on a date and write recommendation lists."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smeladder.screening.actions import (
    ScreeningInputError,
    check_division_prefix,
    outcome_counts,
    parse_date,
    select_standards,
    start_screening,
)
from smeladder.screening.evaluate_sql import emit_sql
from smeladder.screening.export import standard_title, write_jsonl, write_workbook
from smeladder.screening.models import Engine, Outcome

OUT_SUFFIXES = (".xlsx", ".jsonl")


class Command(BaseCommand):
    help = (
        "梯度筛选：按评估日期生效的规则集评估全部（或某区划）企业，保存结果并输出推荐名单 / "
        "screen the registry against the standards in force on a date; write recommendation lists"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", required=True, metavar="DATE", help="评估日期 YYYY-MM-DD / assessment date"
        )
        parser.add_argument(
            "--standard",
            action="append",
            metavar="CODE",
            help="标准代码，可重复；默认全部生效标准 / standard code, repeatable (default: all)",
        )
        parser.add_argument(
            "--division",
            default="",
            metavar="PREFIX",
            help="区划代码前缀（2、4 或 6 位）/ division code prefix (2, 4 or 6 digits)",
        )
        parser.add_argument(
            "--engine",
            default=Engine.SQL.value,
            metavar="ENGINE",
            help="sql（默认，数据库内计算）或 python / sql (default, in the database) or python",
        )
        parser.add_argument(
            "--emit-sql",
            metavar="DIALECT",
            help=(
                "只输出编译后的 SQL（sqlite、postgres、mysql、duckdb、spark），不筛选 / "
                "print the compiled SQL for DIALECT and stop (for analytic engines)"
            ),
        )
        parser.add_argument(
            "--out",
            metavar="FILE",
            help="推荐名单文件 .xlsx 或 .jsonl / recommendation list file (.xlsx or .jsonl)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = options.get("out")
        if out and Path(out).suffix.lower() not in OUT_SUFFIXES:
            raise CommandError(
                f"--out 须为 .xlsx 或 .jsonl 文件：{out} / --out must end in .xlsx or .jsonl: {out}"
            )
        if out and not Path(out).resolve().parent.is_dir():
            raise CommandError(
                f"--out 所在目录不存在：{out} / the directory of --out does not exist: {out}"
            )
        engine = options.get("engine") or Engine.SQL.value
        standards = options.get("standard") or None
        if isinstance(standards, str):
            standards = [standards]
        try:
            on = parse_date(options["on"])
            prefix = check_division_prefix(options.get("division"))
            if options.get("emit_sql"):
                codes = select_standards(standards, on)
                self.stdout.write(emit_sql(on, codes, prefix, options["emit_sql"]))
                return
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                run = start_screening(on, standards, prefix, engine=engine)
        except (ScreeningInputError, ValueError) as err:
            raise CommandError(str(err)) from None
        except Exception as err:
            raise CommandError(f"筛选失败 / screening failed: {err}") from err
        for warning in caught:
            self.stderr.write(f"警告 / warning: {warning.message}")
        self.stdout.write(self.summary(run))
        if out:
            path = Path(out)
            if path.suffix.lower() == ".jsonl":
                with path.open("w", encoding="utf-8", newline="\n") as fh:
                    count = write_jsonl(run, fh)
            else:
                count = write_workbook(run, path)
            self.stdout.write(f"推荐名单 {count} 行 → {out} / {count} rows written")

    @staticmethod
    def summary(run: Any) -> str:
        seconds = (run.finished_at - run.started_at).total_seconds()
        lines = [
            f"筛选批次 #{run.pk}：评估日期 {run.on.isoformat()}，"
            f"区划 {run.division_prefix or '全部'}，计算方式 {run.engine}，"
            f"企业 {run.enterprises} 家，评估 {run.evaluations} 项，用时 {seconds:.1f} 秒"
        ]
        for standard, books in outcome_counts(run).items():
            if not books:
                books = {run.rulebooks.get(standard, ""): {}}
            for book, n in books.items():
                lines.append(
                    f"  {standard_title(standard)}（{standard}，规则集 {book}）："
                    f"通过 {n.get(Outcome.PASS, 0)}，未通过 {n.get(Outcome.FAIL, 0)}，"
                    f"待定 {n.get(Outcome.UNDETERMINED, 0)}"
                )
        return "\n".join(lines)
