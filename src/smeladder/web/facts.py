"""One enterprise's facts, read the way the export and the screening read them (export_facts),
in a fixed number of queries: the enterprise row and one query per child table."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from smeladder.registry.interchange.export_facts import (
    _ENTERPRISE_COLUMNS,
    _grouped,
    facts_object,
)
from smeladder.registry.models import (
    AnnualFigures,
    Award,
    Enterprise,
    EquityFinancing,
    MakerChinaResult,
    PlatformScore,
    Title,
)


def enterprise_facts(pk: int) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(facts-format object, child rows by table) for the enterprise `pk`."""
    row = Enterprise.objects.filter(pk=pk).values(*_ENTERPRISE_COLUMNS).get()
    ids = [pk]
    children = {
        "annual": _grouped(AnnualFigures, ids, ["year"]),
        "equity_financing": _grouped(EquityFinancing, ids, ["year"]),
        "platform_score": _grouped(PlatformScore, ids, ["year"]),
        "titles": _grouped(Title, ids, ["valid_from", "code", "level"]),
        "awards": _grouped(Award, ids, ["year", "level", F("rank").asc(nulls_first=True)]),
        "maker_china": _grouped(MakerChinaResult, ids, ["year", "group"]),
    }
    rows = {k: v.get(pk, []) for k, v in children.items()}
    return facts_object(row, rows), rows
