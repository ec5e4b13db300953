"""Writing facts objects as JSON (indent 2, trailing newline) or JSON Lines.

Numbers: whole amounts print as integers, others with exactly their decimal digits. The json
module cannot print a Decimal as a bare number, and float() would add noise to large amounts,
so non-whole Decimals travel through the encoder as marked strings and the marks are removed
afterwards."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TextIO

_MARK = "\x00"
# ensure_ascii=False still escapes NUL, so the marked string appears as "\u0000<digits>\u0000".
_MARKED = re.compile(r'"\\u0000(-?[0-9]+(?:\.[0-9]+)?)\\u0000"')


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{value:f}{_MARK}"
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _prepare(value: Any) -> Any:
    # `default` is only consulted for types json does not know; Decimal is one of them, but
    # it must be converted to a str here because default's result is encoded as a str anyway.
    if isinstance(value, Decimal):
        return _default(value)
    if isinstance(value, dict):
        return {k: _prepare(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_prepare(v) for v in value]
    return value


def dumps(obj: Any, *, indent: int | None = None) -> str:
    separators = (",", ": ") if indent is not None else (",", ":")
    text = json.dumps(_prepare(obj), ensure_ascii=False, indent=indent, separators=separators)
    return _MARKED.sub(r"\1", text)


def write_json(objects: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A JSON array, one enterprise per element; returns the number written."""
    count = 0
    out.write("[")
    for obj in objects:
        out.write(",\n  " if count else "\n  ")
        # Indent each object's lines by one level so the file equals json.dumps(list, indent=2).
        out.write(dumps(obj, indent=2).replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(objects: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for obj in objects:
        out.write(dumps(obj))
        out.write("\n")
        count += 1
    return count
