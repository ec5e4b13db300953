"""smeladder sweep_policies [--on DATE] — match every published support item against every
firm and store the results (one ItemMatchSet per item), as the background job does; prints the
counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smeladder.policies.models import SweepRun
from smeladder.policies.tasks import perform_sweep


class Command(BaseCommand):
    help = "政策匹配全量计算 / match every published policy item against every enterprise"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", help="计算日期，默认今天 / as of this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["on"]:
            try:
                on = date.fromisoformat(options["on"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD / bad date: {options['on']}") from exc
        run = SweepRun.objects.create(scope="full", on=on)
        run = perform_sweep(run.pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.items} 个事项 × {run.enterprises} 家企业：符合 {run.passed}，"
                f"待核实 {run.undetermined}，用时 {run.seconds:.1f} 秒 / "
                f"{run.passed} pass, {run.undetermined} undetermined (as of {on})"
            )
        )
