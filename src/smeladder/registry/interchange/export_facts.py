"""Reading the registry back into facts-format objects (dicts), for every writer.

Deterministic by construction: enterprises by USCC, keys in facts-format.md order, years
ascending, list items sorted; unknown (NULL) facts are left out, as the format says."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import F

from ..models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    MakerChinaResult,
    PlatformScore,
    PoolMembership,
    Title,
)
from .schema import (
    ANNUAL_FACTS,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    GROUPS,
    MAKER_CHINA_FACTS,
    TITLE_FACTS,
    TOP_LEVEL_ORDER,
)

#: enterprises per batch: bounds memory and the size of IN (...) lists
BATCH = 2000

_TOP = {f.path: f for f in ENTERPRISE_FACTS if f.group is None}
_GROUPED = {g: [f for f in ENTERPRISE_FACTS if f.group == g] for g in GROUPS}
_ENTERPRISE_COLUMNS = ["id", "extra", *(f.column for f in ENTERPRISE_FACTS)]


def number(value: Decimal) -> int | Decimal:
    """Whole amounts as integers (20000000, not 20000000.00); others keep their digits."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def _out(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _grouped(model: Any, ids: list[int], order: list[Any]) -> dict[int, list[dict[str, Any]]]:
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        model.objects.filter(enterprise_id__in=ids).order_by("enterprise_id", *order).values()
    ):
        rows[row["enterprise_id"]].append(row)
    return rows


def iter_facts(division_prefix: str = "") -> Iterator[dict[str, Any]]:
    """Every enterprise (within `division_prefix`) as a facts-format object."""
    enterprises = Enterprise.objects.in_division(division_prefix).order_by("uscc")
    pks = list(enterprises.values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        ids = pks[start : start + BATCH]
        rows = Enterprise.objects.filter(pk__in=ids).order_by("uscc").values(*_ENTERPRISE_COLUMNS)
        children = _children(ids)
        for row in rows:
            yield facts_object(row, {k: v.get(row["id"], []) for k, v in children.items()})


def _children(ids: list[int]) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """The child rows of these enterprises, one query per table, in the export's order."""
    return {
        "annual": _grouped(AnnualFigures, ids, ["year"]),
        "equity_financing": _grouped(EquityFinancing, ids, ["year"]),
        "platform_score": _grouped(PlatformScore, ids, ["year"]),
        "titles": _grouped(Title, ids, ["valid_from", "code", "level"]),
        # NULL ranks first on every backend (PostgreSQL would sort them last).
        "awards": _grouped(Award, ids, ["year", "level", F("rank").asc(nulls_first=True)]),
        "maker_china": _grouped(MakerChinaResult, ids, ["year", "group"]),
    }


def enterprise_facts_and_rows(
    pk: int,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """One enterprise as the export writes it, and its child rows by table (7 queries). The
    caller has already checked scope."""
    row = Enterprise.objects.filter(pk=pk).values(*_ENTERPRISE_COLUMNS).get()
    rows = {k: v.get(pk, []) for k, v in _children([pk]).items()}
    return facts_object(row, rows), rows


def enterprise_facts(pk: int) -> dict[str, Any]:
    """One enterprise as its facts-format object, the way the file export writes it."""
    return enterprise_facts_and_rows(pk)[0]


def _sorted_keys(value: Any) -> Any:
    """`extra` with its keys sorted: PostgreSQL's jsonb does not keep key order, so sorting
    is the only order every backend can give back."""
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    return value


def _items(rows: list[dict[str, Any]], facts: tuple) -> list[dict[str, Any]]:
    items = []
    for row in rows:
        item = {}
        for fact in facts:
            value = row[fact.column]
            if value is None or value == "":
                continue  # unknown, or an empty optional text
            item[fact.key] = _out(value)
        items.append(item)
    return items


def facts_object(row: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key in TOP_LEVEL_ORDER:
        if key in _TOP:
            value = row[_TOP[key].column]
            if value is not None and value != "":
                obj[key] = _out(value)
        elif key in _GROUPED:
            group = {f.key: _out(row[f.column]) for f in _GROUPED[key] if row[f.column] is not None}
            if group:
                obj[key] = group
        elif key == "annual":
            annual = {
                str(r["year"]): {
                    f.key: _out(r[f.column]) for f in ANNUAL_FACTS if r[f.column] is not None
                }
                for r in children["annual"]
            }
            if annual:
                obj[key] = annual
        elif key == "equity_financing" and children[key]:
            obj[key] = {str(r["year"]): number(r["amount"]) for r in children[key]}
        elif key == "platform_score" and children[key]:
            obj[key] = {str(r["year"]): number(r["score"]) for r in children[key]}
        elif key == "titles" and children[key]:
            obj[key] = _items(children[key], TITLE_FACTS)
        elif key == "awards" and children[key]:
            obj[key] = _items(children[key], AWARD_FACTS)
        elif key == "maker_china" and children[key]:
            obj[key] = _items(children[key], MAKER_CHINA_FACTS)
        elif key == "extra" and row["extra"]:
            obj[key] = _sorted_keys(row["extra"])
    return obj


def engine_facts(value: Any) -> Any:
    """The facts object as the engine gets it from JSON (`smeladder export | smeladder assess`):
    Decimals (non-whole amounts, market share) as floats; the engine does not take Decimals."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: engine_facts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [engine_facts(v) for v in value]
    return value


#: lists the registry keeps as complete records: a firm with no rows holds none (not "unknown")
RECORD_LISTS = ("titles", "awards", "maker_china")


def registry_facts(obj: dict[str, Any]) -> dict[str, Any]:
    """Exported facts as the engine reads a registry record: Decimals as floats and the record
    lists present (empty when the registry has no rows), exactly what the screening's SQL path
    sees. Every reader of a registry firm for the engine (screening, profile page, API) goes
    through here."""
    facts = engine_facts(obj)
    for key in RECORD_LISTS:
        facts.setdefault(key, [])
    return facts


def pool_facts(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The ``pools`` fact of these enterprises (培育库 memberships, past ones included, each
    ``{"code", "joined_on", "left_on"}``), for the engine's ``pool`` operator. Not part of the
    file export: pools are kept by officials on the platform, not imported with a firm."""
    out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    rows = (
        PoolMembership.objects.filter(enterprise_id__in=ids)
        .order_by("enterprise_id", "pool__code", "joined_on")
        .values_list("enterprise_id", "pool__code", "joined_on", "left_on")
    )
    for pk, code, joined, left in rows:
        out[pk].append(
            {"code": code, "joined_on": joined.isoformat(), "left_on": left and left.isoformat()}
        )
    return out


def enterprise_engine_facts(pk: int) -> dict[str, Any]:
    """One registry firm as the engine reads it: ``registry_facts`` plus its ``pools`` (a
    complete record: empty when it is in no pool)."""
    facts = registry_facts(enterprise_facts(pk))
    facts["pools"] = pool_facts([pk])[pk]
    return facts
