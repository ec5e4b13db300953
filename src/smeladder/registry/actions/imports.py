"""Writing to the registry. Every change to enterprises from a file goes through here, so the
all-or-nothing rule, the ImportRun row and the audit event cannot be skipped by a caller
(the CLI today, the upload view later)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from smeladder.accounts.audit import record

from ..interchange.problems import Problem
from ..interchange.records import ABSENT, CleanRecord, ReadResult
from ..interchange.validate import validate
from ..models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    ImportRun,
    MakerChinaResult,
    PlatformScore,
    Title,
)

#: rows per bulk statement and ids per IN (...) list: well under every backend's limits
CHUNK = 500


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    run_id: int | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"新增 {self.created}，更新 {self.updated}，未变 {self.unchanged} / "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )


class _DryRun(Exception):
    """Raised inside the transaction to roll back a dry run after counting."""


def import_enterprises(
    read: ReadResult,
    *,
    actor: Any = None,
    accepted_checksum_failures: Iterable[str] = (),
    file_name: str = "",
    sha256: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Validate every record; write all of them in one transaction only if none has an error.

    Returns the problems (errors and warnings) and the counts; never raises for bad data."""
    validation = validate(read.records, accepted_checksum_failures=accepted_checksum_failures)
    result = ImportResult(problems=[*read.problems, *validation.problems])
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _Writer(validation.records, result).write()
            if dry_run:
                raise _DryRun
            run = ImportRun.objects.create(
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                file_name=file_name[:300],
                sha256=sha256,
                format=read.format,
                enterprises_created=result.created,
                enterprises_updated=result.updated,
                enterprises_unchanged=result.unchanged,
                warnings=[p.as_dict() for p in result.warnings],
            )
            record(
                "registry.import",
                actor=actor,
                object_type="registry.ImportRun",
                object_id=str(run.pk),
                changes={
                    "file_name": file_name,
                    "sha256": sha256,
                    "format": read.format,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "warnings": len(result.warnings),
                },
            )
    except _DryRun:
        return result
    result.written = True
    result.run_id = run.pk
    return result


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _default_title_status(valid_to: dt.date | None) -> str:
    today = timezone.localdate()
    return Title.Status.ACTIVE if valid_to is None or valid_to >= today else Title.Status.EXPIRED


class _Writer:
    """Upserts clean records with a fixed number of queries per table and chunk."""

    def __init__(self, records: list[CleanRecord], result: ImportResult) -> None:
        self.records = records
        self.result = result
        self.now = timezone.now()
        self.changed: set[str] = set()  # USCCs of existing enterprises with any change
        self.ids: dict[str, int] = {}

    def write(self) -> None:
        created = self._enterprises()
        by_id = {self.ids[r.uscc]: r for r in self.records}
        uscc_of = {pk: r.uscc for pk, r in by_id.items()}
        for changed_ids in (
            self._per_year(AnnualFigures, "annual", by_id, None),
            self._per_year(EquityFinancing, "equity_financing", by_id, "amount"),
            self._per_year(PlatformScore, "platform_score", by_id, "score"),
            self._titles(by_id),
            self._replace_list(Award, "awards", by_id, ("level", "year", "rank")),
            self._replace_list(MakerChinaResult, "maker_china", by_id, ("year", "group")),
        ):
            self.changed.update(uscc_of[pk] for pk in changed_ids)
        self.changed -= created
        self.result.created = len(created)
        self.result.updated = len(self.changed)
        self.result.unchanged = len(self.records) - len(created) - len(self.changed)

    # -- enterprises -------------------------------------------------------------------------

    def _enterprises(self) -> set[str]:
        usccs = [r.uscc for r in self.records]
        existing: dict[str, Enterprise] = {}
        for chunk in _chunks(usccs):
            existing.update((e.uscc, e) for e in Enterprise.objects.filter(uscc__in=chunk))
        to_create: list[Enterprise] = []
        to_update: list[Enterprise] = []
        update_fields: set[str] = set()
        for rec in self.records:
            enterprise = existing.get(rec.uscc)
            if enterprise is None:
                to_create.append(
                    Enterprise(uscc=rec.uscc, uscc_checksum_ok=rec.checksum_ok, **rec.fields)
                )
                continue
            values = dict(rec.fields)
            if not rec.checksum_ok:
                values["uscc_checksum_ok"] = False
            changed = [col for col, v in values.items() if getattr(enterprise, col) != v]
            if changed:
                for col in changed:
                    setattr(enterprise, col, values[col])
                enterprise.updated_at = self.now  # bulk_update skips auto_now
                to_update.append(enterprise)
                update_fields.update(changed)
                self.changed.add(rec.uscc)
        Enterprise.objects.bulk_create(to_create, batch_size=CHUNK)
        if to_update:
            Enterprise.objects.bulk_update(
                to_update, sorted(update_fields | {"updated_at"}), batch_size=CHUNK
            )
        self.ids = {uscc: e.pk for uscc, e in existing.items()}
        missing_pk = [e.uscc for e in to_create if e.pk is None]
        self.ids.update((e.uscc, e.pk) for e in to_create if e.pk is not None)
        # Backends that cannot return ids from a bulk insert: one look-up per chunk.
        for chunk in _chunks(missing_pk):
            self.ids.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "pk"))
        return {e.uscc for e in to_create}

    # -- children ----------------------------------------------------------------------------

    @staticmethod
    def _existing(model: type[models.Model], ids: list[int]) -> list[Any]:
        rows: list[Any] = []
        for chunk in _chunks(ids):
            rows.extend(model.objects.filter(enterprise_id__in=chunk))
        return rows

    @staticmethod
    def _delete(model: type[models.Model], pks: list[int]) -> None:
        for chunk in _chunks(pks):
            model.objects.filter(pk__in=chunk).delete()

    def _per_year(
        self,
        model: type[models.Model],
        attr: str,
        by_id: dict[int, CleanRecord],
        value_column: str | None,
    ) -> set[int]:
        """Upsert by (enterprise, year). `value_column` is set for the one-value maps
        (equity_financing, platform_score); annual rows carry several columns."""
        ids = [pk for pk, r in by_id.items() if getattr(r, attr) is not ABSENT]
        if not ids:
            return set()
        stored = {(row.enterprise_id, row.year): row for row in self._existing(model, ids)}
        stored_by_enterprise: dict[int, list[Any]] = defaultdict(list)
        for row in stored.values():
            stored_by_enterprise[row.enterprise_id].append(row)
        creates, updates, deletes = [], [], []
        update_fields: set[str] = set()
        changed: set[int] = set()
        for pk in ids:
            years = getattr(by_id[pk], attr)
            if years is None:  # the whole map is null: nothing is known any more
                doomed = stored_by_enterprise.get(pk, [])
                deletes.extend(row.pk for row in doomed)
                if doomed:
                    changed.add(pk)
                continue
            for year, values in years.items():
                row = stored.get((pk, year))
                if values is None:
                    if row is not None:
                        deletes.append(row.pk)
                        changed.add(pk)
                    continue
                columns = {value_column: values} if value_column else values
                if row is None:
                    creates.append(model(enterprise_id=pk, year=year, **columns))
                    changed.add(pk)
                    continue
                diff = [c for c, v in columns.items() if getattr(row, c) != v]
                if diff:
                    for c in diff:
                        setattr(row, c, columns[c])
                    updates.append(row)
                    update_fields.update(diff)
                    changed.add(pk)
        self._delete(model, deletes)
        model.objects.bulk_create(creates, batch_size=CHUNK)
        if updates:
            model.objects.bulk_update(updates, sorted(update_fields), batch_size=CHUNK)
        return changed

    def _titles(self, by_id: dict[int, CleanRecord]) -> set[int]:
        """Upsert by (code, level, valid_from). Titles missing from the file stay: they are
        the history of the enterprise, and a file is rarely the complete record."""
        ids = [pk for pk, r in by_id.items() if r.titles]
        if not ids:
            return set()
        stored = {
            (t.enterprise_id, t.code, t.level, t.valid_from): t for t in self._existing(Title, ids)
        }
        creates, updates = [], []
        update_fields: set[str] = set()
        changed: set[int] = set()
        for pk in ids:
            for item in by_id[pk].titles:
                values = dict(item)
                for text in ("batch", "source_document"):
                    if text in values and values[text] is None:
                        values[text] = ""  # NOT NULL text columns: "" is "none"
                key = (pk, values["code"], values["level"], values["valid_from"])
                title = stored.get(key)
                if title is None:
                    if values.get("status") is None:
                        values["status"] = _default_title_status(values.get("valid_to"))
                    creates.append(Title(enterprise_id=pk, **values))
                    changed.add(pk)
                    continue
                if values.get("status", "") is None:
                    del values["status"]  # explicit null status: keep what is stored
                diff = [c for c, v in values.items() if getattr(title, c) != v]
                if diff:
                    for c in diff:
                        setattr(title, c, values[c])
                    title.updated_at = self.now
                    updates.append(title)
                    update_fields.update(diff)
                    changed.add(pk)
        Title.objects.bulk_create(creates, batch_size=CHUNK)
        if updates:
            Title.objects.bulk_update(
                updates, sorted(update_fields | {"updated_at"}), batch_size=CHUNK
            )
        return changed

    def _replace_list(
        self,
        model: type[models.Model],
        attr: str,
        by_id: dict[int, CleanRecord],
        columns: tuple[str, ...],
    ) -> set[int]:
        """The list in the file replaces the stored list (awards, maker_china); rows are only
        rewritten when the lists differ, so a re-import changes nothing."""
        ids = [pk for pk, r in by_id.items() if getattr(r, attr) is not ABSENT]
        if not ids:
            return set()
        stored: dict[int, list[Any]] = defaultdict(list)
        for row in self._existing(model, ids):
            stored[row.enterprise_id].append(row)

        def signature(items: Iterable[dict[str, Any]]) -> list[tuple]:
            return sorted(tuple(str(item.get(c)) for c in columns) for item in items)

        creates, deletes = [], []
        changed: set[int] = set()
        for pk in ids:
            wanted = getattr(by_id[pk], attr) or []
            have = stored.get(pk, [])
            have_items = [{c: getattr(row, c) for c in columns} for row in have]
            if signature(have_items) == signature(wanted):
                continue
            deletes.extend(row.pk for row in have)
            creates.extend(model(enterprise_id=pk, **item) for item in wanted)
            changed.add(pk)
        self._delete(model, deletes)
        model.objects.bulk_create(creates, batch_size=CHUNK)
        return changed
