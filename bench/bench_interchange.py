"""Import / export throughput of the interchange format, each against a plain-SQL baseline.

`run(sizes)` makes N synthetic enterprises (every enterprise fact, ~3 years of annual figures)
from the schema, and measures in enterprises per second:

- import:  read JSON + validate + upsert (`import_enterprises`), vs. a plain `executemany`
  INSERT of the same enterprise and annual rows (no validation, no upsert);
- export:  `iter_facts` + JSON writer, vs. a plain SELECT of the same rows + `json.dumps`.

Without a configured Django it uses a throwaway SQLite file in a temp dir (never the
DATABASE_URL of the environment, so it cannot touch real data)."""

from __future__ import annotations

import io
import json
import os
import random
import tempfile
import time
from decimal import Decimal
from typing import Any

from stdnum.cn import uscc as stdnum_uscc


def _setup() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        tmp = tempfile.mkdtemp(prefix="smeladder-bench-")
        os.environ["DJANGO_SETTINGS_MODULE"] = "smeladder.settings.test"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _uscc(n: int) -> str:
    body = f"91370303MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def _value(fact: Any, rng: random.Random) -> Any:
    kind = fact.kind
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "enum":
        return rng.choice(fact.choices)
    if kind == "date":
        return f"{rng.randint(2000, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind == "year":
        return rng.randint(2015, 2025)
    if kind == "int":
        low = int(fact.min or 0)
        return rng.randint(max(low, 1), int(fact.max) if fact.max is not None else 500)
    if kind == "ratio":
        return Decimal(rng.randint(0, 1000)) / 1000
    if kind == "money":
        return Decimal(rng.randint(0, 10**10)) / 100
    raise AssertionError(kind)


def synthetic(count: int, seed: int = 1) -> list[dict[str, Any]]:
    from smeladder.registry.interchange.schema import ANNUAL_FACTS, ENTERPRISE_FACTS

    rng = random.Random(seed)
    special = {"uscc", "name", "division_code", "industry_code", "main_product.hightech_domain"}
    records = []
    for n in range(count):
        obj: dict[str, Any] = {
            "uscc": _uscc(n),
            "name": f"基准测试企业{n}",
            "division_code": rng.choice(["370302", "370303", "370304", "370305"]),
            "industry_code": rng.choice(["C3484", "C3311", "C3981", "I6513"]),
        }
        for fact in ENTERPRISE_FACTS:
            if fact.path in special:
                continue
            target = obj
            if fact.group:
                target = obj.setdefault(fact.group, {})
            target[fact.key] = _value(fact, rng)
        obj["main_product"]["hightech_domain"] = "40101"
        obj["annual"] = {
            str(year): {f.key: _value(f, rng) for f in ANNUAL_FACTS} for year in (2023, 2024, 2025)
        }
        records.append(obj)
    return records


def _wipe() -> None:
    from smeladder.registry.models import Enterprise, ImportRun

    Enterprise.objects.all().delete()
    ImportRun.objects.all().delete()


def _baseline_insert(records: list[dict[str, Any]]) -> None:
    """The same rows with plain executemany INSERTs: what the database itself costs."""
    from django.db import connection, transaction
    from django.utils import timezone

    from smeladder.registry.interchange.schema import ANNUAL_FACTS, ENTERPRISE_FACTS

    now = timezone.now()
    columns = [f.column for f in ENTERPRISE_FACTS]
    qn = connection.ops.quote_name
    enterprise_sql = "INSERT INTO registry_enterprise ({}) VALUES ({})".format(
        ", ".join(
            qn(c) for c in [*columns, "uscc_checksum_ok", "extra", "created_at", "updated_at"]
        ),
        ", ".join(["%s"] * (len(columns) + 4)),
    )
    annual_columns = ["enterprise_id", "year", *(f.column for f in ANNUAL_FACTS)]
    annual_sql = "INSERT INTO registry_annualfigures ({}) VALUES ({})".format(
        ", ".join(qn(c) for c in annual_columns), ", ".join(["%s"] * len(annual_columns))
    )

    def get(obj: dict[str, Any], path: str) -> Any:
        for part in path.split("."):
            obj = obj.get(part, {}) if isinstance(obj, dict) else {}
        return obj if obj != {} else None

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            enterprise_sql,
            [[get(r, f.path) for f in ENTERPRISE_FACTS] + [True, "{}", now, now] for r in records],
        )
        cursor.execute("SELECT uscc, id FROM registry_enterprise")
        ids = dict(cursor.fetchall())
        cursor.executemany(
            annual_sql,
            [
                [ids[r["uscc"]], int(year), *(figures.get(f.key) for f in ANNUAL_FACTS)]
                for r in records
                for year, figures in r["annual"].items()
            ],
        )


def _baseline_select() -> str:
    """A plain SELECT of the same rows serialised with json.dumps (no shaping, no order)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_enterprise")
        names = [c[0] for c in cursor.description]
        enterprises = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute("SELECT * FROM registry_annualfigures")
        names = [c[0] for c in cursor.description]
        annual = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return json.dumps({"e": enterprises, "a": annual}, ensure_ascii=False, default=str)


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _result(name: str, size: int, seconds: float, baseline_name: str, base: float) -> dict:
    value = size / seconds
    baseline = size / base
    return {
        "name": name,
        "size": size,
        "value": round(value, 1),
        "unit": "enterprises/s",
        "baseline_name": baseline_name,
        "baseline": round(baseline, 1),
        "ratio": round(value / baseline, 3),
    }


def run(sizes: list[int]) -> list[dict]:
    _setup()
    from smeladder.registry.actions import import_enterprises
    from smeladder.registry.interchange.export_facts import iter_facts
    from smeladder.registry.interchange.read_json import read_json
    from smeladder.registry.interchange.write_json import dumps, write_json

    results = []
    for size in sizes:
        records = synthetic(size)
        raw = dumps(records).encode()

        _wipe()
        base_import = _timed(lambda records=records: _baseline_insert(records))
        base_export = _timed(_baseline_select)
        _wipe()

        outcome: dict[str, Any] = {}

        def do_import(raw: bytes = raw, outcome: dict[str, Any] = outcome) -> None:
            outcome["result"] = import_enterprises(read_json(raw), file_name="bench.json")

        import_seconds = _timed(do_import)
        result = outcome["result"]
        assert result.written and result.created == size, result.errors[:5]
        export_seconds = _timed(lambda: write_json(iter_facts(), io.StringIO()))
        _wipe()
        results.append(
            _result(
                "interchange_import_json", size, import_seconds, "executemany_insert", base_import
            )
        )
        results.append(
            _result(
                "interchange_export_json", size, export_seconds, "select_json_dumps", base_export
            )
        )
    return results


if __name__ == "__main__":
    for row in run([1000]):
        print(row)
