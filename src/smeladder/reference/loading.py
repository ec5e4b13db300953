"""Load / compare the reference tables against the packaged CSVs.

Works with real or historical (migration) model classes: rows are trimmed to the
fields the given model actually has, so data migration 0002 keeps working after
later migrations add columns (those would be filled by their own migration).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from smeladder.reference import datafiles

BATCH_SIZE = 500  # well under SQLite's variable limit and MariaDB's max_allowed_packet

ModelGetter = Callable[[str], type[models.Model]]


def _field_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if not f.primary_key]


def _expected(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    names = _field_names(model)
    return [{name: row[name] for name in names if name in row} for row in rows]


def load_all(get_model: ModelGetter, using: str = "default") -> dict[str, int]:
    """Replace every reference table with the packaged data; returns rows per model.

    Delete-then-insert inside one transaction, so it is idempotent and readers never
    see a half-loaded table (on backends with transactional DDL/DML, i.e. all three).
    """
    counts: dict[str, int] = {}
    with transaction.atomic(using=using):
        for model_name, rows in datafiles.iter_all():
            model = get_model(model_name)
            model._default_manager.using(using).all().delete()
            objs = [model(**values) for values in _expected(model, rows)]
            model._default_manager.using(using).bulk_create(objs, batch_size=BATCH_SIZE)
            counts[model_name] = len(objs)
    return counts


def unload_all(get_model: ModelGetter, using: str = "default") -> None:
    """Reverse of ``load_all``: empty the reference tables."""
    with transaction.atomic(using=using):
        for model_name, _rows in datafiles.iter_all():
            get_model(model_name)._default_manager.using(using).all().delete()


@dataclass
class TableDiff:
    model: str
    expected: int
    actual: int
    missing: list[dict[str, Any]] = field(default_factory=list)  # in files, not in DB
    extra: list[dict[str, Any]] = field(default_factory=list)  # in DB, not in files

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


def _key(values: dict[str, Any], names: list[str]) -> tuple[Any, ...]:
    return tuple(values.get(name) for name in names)


def compare_all(get_model: ModelGetter, using: str = "default") -> list[TableDiff]:
    """Compare each table row-for-row (all loaded fields) with the packaged files."""
    diffs: list[TableDiff] = []
    for model_name, rows in datafiles.iter_all():
        model = get_model(model_name)
        names = [n for n in _field_names(model) if n in rows[0]]
        expected = Counter(_key(values, names) for values in _expected(model, rows))
        db_rows = model._default_manager.using(using).values_list(*names)
        actual = Counter(tuple(row) for row in db_rows)
        missing = expected - actual
        extra = actual - expected
        diffs.append(
            TableDiff(
                model=model_name,
                expected=sum(expected.values()),
                actual=sum(actual.values()),
                missing=[dict(zip(names, key, strict=True)) for key in missing.elements()],
                extra=[dict(zip(names, key, strict=True)) for key in extra.elements()],
            )
        )
    return diffs
