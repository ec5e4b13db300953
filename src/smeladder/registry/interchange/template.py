"""The empty Excel import template: the export layout, no rows, drop-down lists."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from .write_excel import write_workbook


def write_template(dest: str | Path | IO[bytes]) -> None:
    write_workbook([], dest)
