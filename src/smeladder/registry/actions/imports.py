"""Writing to the registry. Every change to enterprises from a file, the API or a web form goes
through here, so the all-or-nothing rule, the ImportRun row and the audit events cannot be
skipped by a caller.

Audit: one `registry.import` event per run (counts), plus one event per enterprise the run
touched — `registry.enterprise.create` (a short summary) or `registry.enterprise.update` with
`changes = {path: [old, new]}` for exactly the values that changed, named by facts-format path
(`name`, `flags.listed`, `annual.2025.revenue`, `titles.hnte.national.2024-11-01.status` …),
JSON-safe (Decimal and dates as text). The per-firm events are bulk-inserted in chunks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from smeladder.accounts.audit import record, record_many

from ..interchange.problems import Problem
from ..interchange.records import ABSENT, CleanRecord, ReadResult
from ..interchange.schema import ENTERPRISE_FACTS
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

#: Enterprise column -> facts-format path, for naming changed values in the audit log
PATH_OF_COLUMN = {f.column: f.path for f in ENTERPRISE_FACTS}
ENTERPRISE_TYPE = "registry.Enterprise"


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
            writer = _Writer(validation.records, result)
            writer.write()
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
            record_many(writer.audit_events(), actor=actor, object_type=ENTERPRISE_TYPE)
            # policy matches follow the new facts once they are committed (policies/matching)
            touched = writer.created_ids | {writer.ids[u] for u in writer.changed}
            transaction.on_commit(lambda: _policies_follow(touched), robust=True)
    except _DryRun:
        return result
    result.written = True
    result.run_id = run.pk
    return result


def _policies_follow(ids: set[int]) -> None:
    from smeladder.policies.matching import on_enterprise_changed

    on_enterprise_changed(sorted(ids))


#: columns that identify a child row rather than hold a value
_KEYS = {"id", "enterprise", "year", "created_at", "updated_at"}


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def audit_value(value: Any) -> Any:
    """A stored value as the audit log keeps it: JSON-safe, exact (Decimal → text)."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return str(value.normalize())
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: audit_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [audit_value(v) for v in value]
    return value


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
        self.created_ids: set[int] = set()
        # enterprise pk -> {facts path: [old, new]}; only for enterprises that existed before
        self.diffs: dict[int, dict[str, list[Any]]] = defaultdict(dict)

    def _note(self, pk: int, path: str, old: Any, new: Any) -> None:
        self.diffs[pk][path] = [audit_value(old), audit_value(new)]

    def audit_events(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(action, object id, changes) for every enterprise this run created or changed."""
        for rec in self.records:
            pk = self.ids[rec.uscc]
            if pk in self.created_ids:
                summary = {
                    "uscc": rec.uscc,
                    "name": rec.fields.get("name"),
                    "division_code": rec.fields.get("division_code"),
                }
                if rec.annual:
                    summary["annual"] = sorted(rec.annual)
                yield "registry.enterprise.create", str(pk), summary
            elif self.diffs.get(pk):
                yield "registry.enterprise.update", str(pk), self.diffs[pk]

    def write(self) -> None:
        created = self._enterprises()
        self.created_ids = {self.ids[uscc] for uscc in created}
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
                    self._note(
                        enterprise.pk,
                        PATH_OF_COLUMN.get(col, col),
                        getattr(enterprise, col),
                        values[col],
                    )
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
        audit_columns = [f.name for f in model._meta.concrete_fields if f.name not in _KEYS]

        def note_row(pk: int, year: int, row: Any, new: dict[str, Any] | None) -> None:
            """Old → new of one year's row (either side may be missing)."""
            if pk in self.created_ids:
                return  # a new firm's figures are in its create event's summary
            for column in audit_columns:
                old_value = None if row is None else getattr(row, column)
                new_value = None if new is None else new.get(column, old_value)
                if old_value != new_value:
                    path = f"{attr}.{year}" if value_column else f"{attr}.{year}.{column}"
                    self._note(pk, path, old_value, new_value)

        for pk in ids:
            years = getattr(by_id[pk], attr)
            if years is None:  # the whole map is null: nothing is known any more
                doomed = stored_by_enterprise.get(pk, [])
                deletes.extend(row.pk for row in doomed)
                for row in doomed:
                    note_row(pk, row.year, row, None)
                if doomed:
                    changed.add(pk)
                continue
            for year, values in years.items():
                row = stored.get((pk, year))
                if values is None:
                    if row is not None:
                        deletes.append(row.pk)
                        note_row(pk, year, row, None)
                        changed.add(pk)
                    continue
                columns = {value_column: values} if value_column else values
                if row is None:
                    creates.append(model(enterprise_id=pk, year=year, **columns))
                    note_row(pk, year, None, columns)
                    changed.add(pk)
                    continue
                diff = [c for c, v in columns.items() if getattr(row, c) != v]
                if diff:
                    note_row(pk, year, row, columns)
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
                where = f"titles.{values['code']}.{values['level']}.{values['valid_from']}"
                audited = pk not in self.created_ids
                if title is None:
                    if values.get("status") is None:
                        values["status"] = _default_title_status(values.get("valid_to"))
                    creates.append(Title(enterprise_id=pk, **values))
                    if audited:
                        held = {c: v for c, v in values.items() if v not in (None, "")}
                        self._note(pk, where, None, held)
                    changed.add(pk)
                    continue
                if values.get("status", "") is None:
                    del values["status"]  # explicit null status: keep what is stored
                diff = [c for c, v in values.items() if getattr(title, c) != v]
                if diff:
                    for c in diff:
                        if audited:
                            self._note(pk, f"{where}.{c}", getattr(title, c), values[c])
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
            if pk not in self.created_ids:
                self._note(pk, attr, have_items, list(wanted))
            deletes.extend(row.pk for row in have)
            creates.extend(model(enterprise_id=pk, **item) for item in wanted)
            changed.add(pk)
        self._delete(model, deletes)
        model.objects.bulk_create(creates, batch_size=CHUNK)
        return changed
