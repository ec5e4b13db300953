"""Reading JSON (a top-level array of enterprise objects) and JSON Lines (one per line)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .problems import Problem
from .records import ReadResult, SourceRecord, keyed_dict


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in the interchange format")


def loads(text: str) -> Any:
    # Decimal, not float: money must arrive exactly as written (no 0.1 + 0.2 noise).
    return json.loads(
        text,
        parse_float=Decimal,
        object_pairs_hook=keyed_dict,
        parse_constant=_reject_constant,
    )


def _decode(raw: bytes, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                "error",
                f"字节 byte {exc.start}",
                "",
                "",
                "文件不是 UTF-8 编码",
                "the file is not UTF-8 encoded",
            )
        )
        return None


def read_json(raw: bytes) -> ReadResult:
    problems: list[Problem] = []
    text = _decode(raw, problems)
    if text is None:
        return ReadResult("json", [], problems)
    try:
        data = loads(text)
    except (json.JSONDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", "?")
        problems.append(
            Problem(
                "error",
                f"第{line}行 line {line}",
                "",
                "",
                f"JSON 语法错误：{exc}",
                f"JSON syntax error: {exc}",
            )
        )
        return ReadResult("json", [], problems)
    if not isinstance(data, list):
        problems.append(
            Problem(
                "error",
                "文件 file",
                "",
                "",
                "顶层应为企业对象数组 [...]",
                "the top level must be an array of enterprise objects",
            )
        )
        return ReadResult("json", [], problems)
    records = [SourceRecord(f"[{i}]", item) for i, item in enumerate(data)]
    return ReadResult("json", records, problems)


def read_jsonl(raw: bytes) -> ReadResult:
    problems: list[Problem] = []
    text = _decode(raw, problems)
    if text is None:
        return ReadResult("jsonl", [], problems)
    records: list[SourceRecord] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue  # blank lines (often a trailing one) carry nothing
        location = f"第{number}行 line {number}"
        try:
            records.append(SourceRecord(location, loads(line)))
        except (json.JSONDecodeError, ValueError) as exc:
            problems.append(
                Problem(
                    "error",
                    location,
                    "",
                    _show(line),
                    f"JSON 语法错误：{exc}",
                    f"JSON syntax error: {exc}",
                )
            )
    return ReadResult("jsonl", records, problems)


def _show(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "..."
