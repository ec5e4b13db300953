"""smeladder demo — build the synthetic demo city (see docs/demo-city.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smeladder.casework.demo import build_casework_demo
from smeladder.policies.demo import build_demo_library
from smeladder.reference import lookups
from smeladder.registry.demo import build, delete_registry, registry_count

DEFAULT_ENTERPRISES = 5_000
DEFAULT_SEED = 2026


class Command(BaseCommand):
    help = (
        "生成演示城市（合成数据）/ build the synthetic demo city: enterprises, three years of "
        "figures, titles and cultivation pools, deterministic by seed"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enterprises",
            type=int,
            default=DEFAULT_ENTERPRISES,
            metavar="N",
            help=f"企业数量 / number of enterprises (default {DEFAULT_ENTERPRISES:,})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            metavar="S",
            help=f"随机种子，同一种子生成相同数据 / seed (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--prefecture",
            default="370300",
            metavar="CODE",
            help="地级市行政区划代码 / prefecture division code (default 370300 淄博市)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="库中已有企业时什么也不做 / do nothing when the registry has enterprises",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="先清空企业库再生成 / delete the whole registry first",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=50_000,
            metavar="N",
            help="每个事务写入的企业数 / enterprises per transaction (default 50,000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n = options["enterprises"]
        if n < 1:
            raise CommandError("--enterprises must be at least 1")
        prefecture = options["prefecture"]
        if not lookups.counties_of(prefecture):
            # checked before --replace deletes anything
            raise CommandError(
                f"{prefecture} 不是现行地级区划代码 / not a current prefecture code with counties"
            )
        existing = registry_count()
        if existing:
            if options["if_empty"]:
                self.stdout.write(
                    f"企业库已有 {existing:,} 家企业，跳过演示数据 / "
                    f"registry has {existing:,} enterprises, demo skipped"
                )
                return
            if not options["replace"]:
                raise CommandError(
                    f"企业库已有 {existing:,} 家企业；如需替换请加 --replace / registry has "
                    f"{existing:,} enterprises; use --replace to delete them first"
                )
            self.stdout.write(f"清空企业库 / deleting {existing:,} enterprises …")
            delete_registry()

        verbose = options["verbosity"] >= 1

        def progress(done: int, total: int) -> None:
            if verbose and total > 50_000:
                self.stdout.write(f"  {done:,} / {total:,}")

        try:
            report = build(
                n,
                seed=options["seed"],
                prefecture=options["prefecture"],
                chunk_size=options["chunk_size"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        rows = ", ".join(f"{k} {v:,}" for k, v in report.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"演示城市已生成 / demo city built: {n:,} enterprises (seed {options['seed']}, "
                f"prefecture {options['prefecture']}) in {report.seconds:.1f}s"
            )
        )
        if verbose:
            self.stdout.write(f"  rows: {rows}")
        # the demo policy library of the same city, published, marked 【演示数据】
        items = build_demo_library(options["prefecture"][:4], timezone.localdate())
        self.stdout.write(f"演示政策库 / demo policy library: {items:,} items")
        # the demo casework of the same city: cases in every state, liaison work, metrics
        casework = build_casework_demo(options["prefecture"], seed=options["seed"])
        self.stdout.write(f"演示诉求 / demo cases: {casework.cases}, visits {casework.visits}")
