"""Policy JSON files: reading (a file object or a bare list of documents) and writing."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..models import PolicyDocument, SupportItem
from .format import FORMAT_NAME, document_to_data, file_data

_CHUNK = 500


class FileUnreadable(ValueError):
    """The file is not policy JSON at all (message in Chinese)."""


def read_json(content: bytes) -> list[Any]:
    """The documents of a policy JSON file, unchecked (validate.py checks each)."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileUnreadable("文件不是 UTF-8 编码的文本。") from None
    except json.JSONDecodeError as exc:
        raise FileUnreadable(
            f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}"
        ) from None
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        if data.get("format", FORMAT_NAME) != FORMAT_NAME:
            raise FileUnreadable(f"不是政策文件格式（format 应为 {FORMAT_NAME}）。")
        return data["documents"]
    raise FileUnreadable('文件应为政策文件的列表，或 {"documents": [...]}。')


def documents_data(docs: Iterable[PolicyDocument]) -> list[dict[str, Any]]:
    """Documents with their items, one query per 500 documents for the items."""
    docs = list(docs)
    items: dict[int, list[SupportItem]] = {d.pk: [] for d in docs}
    ids = [d.pk for d in docs]
    for start in range(0, len(ids), _CHUNK):  # SQLite caps the parameters of one query
        chunk = ids[start : start + _CHUNK]
        for item in SupportItem.objects.filter(document__in=chunk).order_by("document_id", "seq"):
            items[item.document_id].append(item)
    return [document_to_data(d, items[d.pk]) for d in docs]


def export_json(qs: Iterable[PolicyDocument]) -> bytes:
    """The documents (and their items) as one policy JSON file, UTF-8."""
    data = file_data(documents_data(qs))
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
