"""``import_policies``: a JSON file or the Excel template in, drafts out — all or nothing.

Every document of the file is checked first (format, rule expressions, scope); one problem
anywhere and nothing is written, and the report lists each problem with sheet, row, column and
the reason in Chinese (for JSON: the document's position and the path inside it). Then every
document is saved through ``save_document`` in one transaction, so the revisions and audit
events are the same as for a form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.db import transaction

from smeladder.accounts import audit
from smeladder.accounts.roles import is_admin
from smeladder.zh_labels import zh_label

from ..actions.errors import PolicyError, PolicyInvalid
from ..actions.workflow import _require_official, save_document
from ..models import PolicyDocument, Status
from .excel import CellRef, ExcelRead, read_xlsx
from .json_io import FileUnreadable, read_json
from .validate import validate_document

JSON_SHEET = "JSON"


@dataclass(frozen=True)
class ReportRow:
    """One problem: where (Excel sheet, row and column; for JSON the document's number and
    the path inside it) and why, in Chinese."""

    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.sheet} 第 {self.row} 行" if self.row else self.sheet
        return (
            f"{where}「{self.column}」：{self.reason}" if self.column else f"{where}：{self.reason}"
        )


@dataclass
class ImportReport:
    filename: str
    rows: list[ReportRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    document_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rows

    @property
    def written(self) -> bool:
        return self.ok and bool(self.document_ids)

    def add(self, sheet: str, row: int, column: str, reason: str) -> None:
        self.rows.append(ReportRow(sheet, row, column, reason))


def _locate(read: ExcelRead | None, index: int, path: str) -> tuple[str, int, str, str]:
    """(sheet, row, column, path left inside the cell) of a problem of document ``index``."""
    if read is None:
        return JSON_SHEET, index + 1, path or "（文件）", ""
    ref, inner = read.where(index, path)
    return ref.sheet, ref.row, ref.column, inner


def _read(content: bytes, filename: str, report: ImportReport) -> tuple[list[Any], Any]:
    suffix = PurePath(filename).suffix.lower()
    try:
        if suffix == ".json":
            return read_json(content), None
        if suffix == ".xlsx":
            read = read_xlsx(content)
            for ref, reason in read.problems:
                report.add(ref.sheet, ref.row, ref.column, reason)
            return read.documents, read
    except FileUnreadable as exc:
        report.add(filename, 0, "", str(exc))
        return [], None
    report.add(filename, 0, "", "只能导入 .json 或 .xlsx 文件。")
    return [], None


def _existing(user: Any, data: dict[str, Any]) -> PolicyDocument | None:
    if not data.get("doc_number"):
        return None
    return (
        PolicyDocument.objects.managed_by(user)
        .filter(doc_number=data["doc_number"], title=data["title"])
        .order_by("-pk")
        .first()
    )


def import_policies(user: Any, content: bytes, filename: str) -> ImportReport:
    """Check a policy file and, if nothing is wrong anywhere, write it as drafts."""
    _require_official(user)
    report = ImportReport(filename)
    documents, read = _read(content, filename, report)
    if not report.ok:
        return report
    if not documents:
        report.add(filename, 0, "", "文件中没有政策文件。")
        return report
    plan: list[tuple[int, dict[str, Any], PolicyDocument | None]] = []
    seen: dict[tuple[str, str], int] = {}
    for i, data in enumerate(documents):
        clean, problems = validate_document(data)
        for problem in problems:
            sheet, row, column, inner = _locate(read, i, problem.path)
            report.add(
                sheet, row, column, f"{inner}：{problem.message}" if inner else problem.message
            )
        if problems:
            continue
        prefix = clean["owner_prefix"]
        if prefix and not is_admin(user) and not prefix.startswith(user.division_prefix):
            sheet, row, column, _ = _locate(read, i, "owner_prefix")
            report.add(sheet, row, column, f"维护单位区划 {prefix} 不在您的管辖范围内")
        key = (clean["doc_number"], clean["title"])
        if clean["doc_number"]:
            if key in seen:
                sheet, row, column, _ = _locate(read, i, "doc_number")
                report.add(
                    sheet, row, column, f"与本文件第 {seen[key] + 1} 个政策文件的文号和标题相同"
                )
                continue
            seen[key] = i
        existing = _existing(user, clean)
        if existing is not None and existing.status != Status.DRAFT:
            sheet, row, column, _ = _locate(read, i, "doc_number")
            report.add(
                sheet,
                row,
                column,
                f"文号相同的文件（编号 {existing.pk}）状态为“{zh_label(Status, existing.status)}”，"
                "导入只能更新草稿",
            )
            continue
        plan.append((i, data, existing))
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for i, data, existing in plan:
                before = existing.version if existing else None
                try:
                    doc = save_document(user, data, existing, note=f"导入 {filename}"[:500])
                except PolicyInvalid as exc:
                    for problem in exc.problems:
                        sheet, row, column, _ = _locate(read, i, problem.path)
                        report.add(sheet, row, column, problem.message)
                    raise
                except PolicyError as exc:
                    sheet, row, column, _ = _locate(read, i, "")
                    report.add(sheet, row, column, str(exc))
                    raise
                if existing is None:
                    report.created += 1
                elif doc.version != before:
                    report.updated += 1
                else:
                    report.unchanged += 1
                report.document_ids.append(doc.pk)
            audit.record(
                "policies.import",
                actor=user,
                object_type="policy_import",
                object_id=filename[:64],
                changes={
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
    except PolicyError:
        report.created = report.updated = report.unchanged = 0
        report.document_ids = []
    return report


__all__ = ["CellRef", "ImportReport", "ReportRow", "import_policies"]
