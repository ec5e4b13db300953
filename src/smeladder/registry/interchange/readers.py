"""Choosing a reader by format or file extension."""

from __future__ import annotations

from pathlib import PurePath

from .read_json import read_json, read_jsonl
from .records import ReadResult

FORMATS = ("json", "jsonl", "xlsx")
_EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


def format_for(name: str) -> str:
    fmt = _EXTENSIONS.get(PurePath(name).suffix.lower())
    if fmt is None:
        raise ValueError(
            f"无法从扩展名判断格式，请用 --format {'|'.join(FORMATS)} / "
            f"cannot tell the format of {name!r}; use --format"
        )
    return fmt


def read_file(raw: bytes, *, name: str = "", fmt: str | None = None) -> ReadResult:
    fmt = fmt or format_for(name)
    if fmt == "json":
        return read_json(raw)
    if fmt == "jsonl":
        return read_jsonl(raw)
    if fmt == "xlsx":
        from .read_excel import read_excel  # openpyxl is slow to import; only when needed

        return read_excel(raw)
    raise ValueError(f"unknown format {fmt!r}")
