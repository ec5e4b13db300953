"""The `smeladder` console script: every Django management command, plus the project's own
(import, export, template, demo …), under one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeladder.settings.dev")
    from django.core.management import execute_from_command_line

    args = ["smeladder", *(sys.argv[1:] if argv is None else argv)]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
