"""Writing the demo city: raw `executemany` per table, one transaction per chunk.

Column lists come from the models' `_meta`, so a new nullable field is simply left NULL and a new
required field without a default fails loudly instead of drifting. Primary keys are assigned
here (the registry is empty or has just been emptied), so child rows can point at their
enterprise without a round trip; PostgreSQL sequences are reset afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models, transaction

from smeladder.registry.models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    MakerChinaResult,
    PlatformScore,
    Pool,
    PoolMembership,
    Title,
)

from . import calibration as cal
from .generate import Columns, Context, generate_block, make_context

#: Insert order (parents first); keys are what generate_block returns.
TABLES: tuple[tuple[str, type[models.Model]], ...] = (
    ("enterprise", Enterprise),
    ("annualfigures", AnnualFigures),
    ("title", Title),
    ("poolmembership", PoolMembership),
    ("equityfinancing", EquityFinancing),
    ("platformscore", PlatformScore),
    ("award", Award),
    ("makerchinaresult", MakerChinaResult),
)
#: Registry children removed with raw DELETE before the enterprises (no ORM collector at 1M rows).
CHILD_MODELS = tuple(model for _, model in TABLES[1:])


class TableWriter:
    """INSERT for one model with every concrete column; fills ids, timestamps and defaults."""

    def __init__(self, model: type[models.Model], created_at: Any) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = {f.attname for f in self.fields}
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"
        self.created_at = created_at
        self.next_id = 1
        self.rows_written = 0

    def rows(self, columns: Columns) -> list[tuple[Any, ...]]:
        unknown = set(columns) - self.attnames
        if unknown:
            raise ImproperlyConfigured(f"{self.model.__name__}: no field(s) {sorted(unknown)}")
        n = len(next(iter(columns.values()))) if columns else 0
        if "id" not in columns:
            columns = {"id": range(self.next_id, self.next_id + n), **columns}
            self.next_id += n
        lists: list[Iterable[Any]] = []
        for f in self.fields:
            if f.attname in columns:
                lists.append(columns[f.attname])
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                lists.append(repeat(self.created_at, n))
            elif f.has_default():
                lists.append(repeat(f.get_db_prep_save(f.get_default(), connection), n))
            elif f.null:
                lists.append(repeat(None, n))
            else:
                raise ImproperlyConfigured(
                    f"{self.model.__name__}.{f.name} is required but the demo does not fill it"
                )
        return list(zip(*lists, strict=False))

    def write(self, cursor: Any, columns: Columns) -> None:
        rows = self.rows(columns)
        if not rows:
            return
        if connection.vendor == "postgresql":
            # COPY is several times faster than even pipelined INSERTs on PostgreSQL
            with cursor.cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, rows)
        self.rows_written += len(rows)


@dataclass
class BuildReport:
    enterprises: int
    rows: dict[str, int]
    seconds: float


def registry_count() -> int:
    return Enterprise.objects.count()


def delete_registry() -> None:
    """Empty the registry fast: raw DELETE of the registry's own tables, ORM delete for rows of
    other apps that cascade from an enterprise, NULL for SET_NULL links (e.g. users)."""
    qn = connection.ops.quote_name
    with transaction.atomic():
        for rel in Enterprise._meta.related_objects:
            related = rel.related_model
            if related in CHILD_MODELS:
                continue
            if rel.on_delete is models.SET_NULL:
                related._base_manager.filter(**{f"{rel.field.name}__isnull": False}).update(
                    **{rel.field.name: None}
                )
            else:  # cascades we do not know: let the ORM run its collector on those rows
                related._base_manager.filter(**{f"{rel.field.name}__isnull": False}).delete()
        with connection.cursor() as cursor:
            for model in (*CHILD_MODELS, Enterprise):
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)}")


def ensure_pools() -> dict[str, int]:
    ids: dict[str, int] = {}
    for code, name, track, description in cal.POOLS:
        pool, _ = Pool.objects.update_or_create(
            code=code, defaults={"name": name, "track": track, "description": description}
        )
        ids[code] = pool.pk
    return ids


def _sqlite_fast(on: bool) -> None:
    # The load can be redone from the seed, so losing it to a power cut is acceptable.
    # (PRAGMA synchronous cannot change inside a transaction, e.g. under a test's atomic block)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={'OFF' if on else 'NORMAL'}")
            cursor.execute(f"PRAGMA cache_size={-262144 if on else -2000}")


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [m for _, m in TABLES])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def build(
    enterprises: int,
    seed: int,
    prefecture: str = "370300",
    chunk_size: int = 50_000,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Generate and insert `enterprises` firms; the registry must be empty."""
    started = time.perf_counter()
    if Enterprise.objects.exists():
        raise RuntimeError("the registry is not empty")
    ctx: Context = make_context(seed, prefecture)
    ctx.pool_ids = ensure_pools()
    created_at = connection.ops.adapt_datetimefield_value(cal.CREATED_AT)
    writers = {key: TableWriter(model, created_at) for key, model in TABLES}
    blocks_per_chunk = max(1, chunk_size // cal.BLOCK)
    block_starts = list(range(0, enterprises, cal.BLOCK))
    _sqlite_fast(True)
    try:
        for c in range(0, len(block_starts), blocks_per_chunk):
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "mysql":
                    # mysqlclient batches executemany into multi-row INSERTs of at most this size
                    cursor.cursor.max_stmt_length = 4 * 1024 * 1024
                for b in range(c, min(c + blocks_per_chunk, len(block_starts))):
                    start = block_starts[b]
                    size = min(cal.BLOCK, enterprises - start)
                    tables = generate_block(ctx, b, start, size)
                    for key, _model in TABLES:
                        writers[key].write(cursor, tables[key])
                    del tables
            if progress:
                done = min(enterprises, (c + blocks_per_chunk) * cal.BLOCK)
                progress(done, enterprises)
        _reset_sequences()
    finally:
        _sqlite_fast(False)
    return BuildReport(
        enterprises=enterprises,
        rows={key: w.rows_written for key, w in writers.items()},
        seconds=time.perf_counter() - started,
    )
