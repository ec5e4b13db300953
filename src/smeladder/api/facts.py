"""One enterprise as its facts-format object, the way the file export writes it."""

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


def enterprise_facts(pk: int) -> dict[str, Any]:
    """Same query shapes and orders as export_facts.iter_facts, for one enterprise (7 queries).
    The caller has already checked scope."""
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
    return facts_object(row, {k: v.get(pk, []) for k, v in children.items()})
