"""`smeladder load_reference [--check]`: reload the reference tables, or verify them."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from smeladder.reference.loading import compare_all, load_all

SHOW_ROWS = 5  # enough to see what is wrong without flooding the terminal


def _get_model(name: str):
    return apps.get_model("reference", name)


class Command(BaseCommand):
    help = (
        "Reload the reference tables (GB/T 2260, GB/T 4754-2017, 高新技术领域) from the "
        "CSVs shipped in the package; with --check only compare and exit 1 on mismatch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Do not write; exit non-zero if the tables differ from the packaged files.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias.")

    def handle(self, *args: Any, check: bool = False, database: str, **options: Any) -> None:
        if not check:
            counts = load_all(_get_model, using=database)
            for model_name, count in counts.items():
                self.stdout.write(f"{model_name}: {count} rows loaded")
            return
        failed = False
        for diff in compare_all(_get_model, using=database):
            if diff.ok:
                self.stdout.write(f"{diff.model}: OK ({diff.actual} rows)")
                continue
            failed = True
            self.stderr.write(
                f"{diff.model}: MISMATCH — {diff.actual} rows in DB, {diff.expected} in files; "
                f"{len(diff.missing)} missing, {len(diff.extra)} unexpected"
            )
            for label, rows in (("missing", diff.missing), ("unexpected", diff.extra)):
                for row in rows[:SHOW_ROWS]:
                    self.stderr.write(f"  {label}: {row}")
        if failed:
            raise CommandError(
                "reference tables differ from the packaged files; run load_reference"
            )
