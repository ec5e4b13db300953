"""Checking an uploaded attachment before it is stored: the extension must be on the list AND
the content must be that kind of file (magic bytes; for .docx/.xlsx, the Office parts inside the
zip), and the size within the limit. The stored name is generated (models.attachment_path)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

#: extension → kind; .jpeg is the same kind as .jpg
EXTENSIONS = {
    ".pdf": "pdf",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".png": "png",
    ".docx": "docx",
    ".xlsx": "xlsx",
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: the part every Office Open XML file of the kind has
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class BadAttachment(ValueError):
    pass


def max_bytes() -> int:
    return int(getattr(settings, "SMELADDER_CASE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes, data: IO[bytes] | None = None) -> str | None:
    """The kind the content says it is, from its first bytes (and the zip directory for Office
    files); None for anything else."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            data.seek(0)
            names = set(zipfile.ZipFile(data).namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            for kind, part in OFFICE_PARTS.items():
                if part in names:
                    return kind
    return None


def clean_name(name: str) -> str:
    """The uploader's file name, for display only: no directories, no control characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable())
    return base[-200:] or "附件"


def check(name: str, content: IO[bytes], size: int | None = None) -> str:
    """The kind of a valid attachment; BadAttachment (a Chinese message) otherwise."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    kind = EXTENSIONS.get(suffix)
    allowed = "PDF、JPG、PNG、DOCX、XLSX"
    if kind is None:
        raise BadAttachment(f"不支持的文件类型「{suffix or '无扩展名'}」，仅支持 {allowed}")
    if size is None:
        content.seek(0, io.SEEK_END)
        size = content.tell()
    limit = max_bytes()
    if size > limit:
        raise BadAttachment(
            f"文件过大（{size / 1048576:.1f} MB），单个附件不能超过 {limit / 1048576:.0f} MB"
        )
    if size == 0:
        raise BadAttachment("文件为空")
    content.seek(0)
    head = content.read(16)
    actual = sniff(head, content)
    content.seek(0)
    if actual != kind:
        raise BadAttachment(
            f"文件内容与扩展名「{suffix}」不符"
            + (f"（实际为 {actual.upper()}）" if actual else "（无法识别的文件内容）")
            + f"，仅支持 {allowed}"
        )
    return kind
