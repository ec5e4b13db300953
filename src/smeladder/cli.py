"""The `smeladder` console script: every Django management command, plus the project's own
(import, export, template, demo …), under one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smeladder.settings.dev")
    from django.core.management import execute_from_command_line

    args = ["smeladder", *(sys.argv[1:] if argv is None else argv)]
    try:
        execute_from_command_line(args)
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do; point stdout at
        # /dev/null so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
