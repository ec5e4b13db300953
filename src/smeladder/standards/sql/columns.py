"""Where each fact lives in the registry tables, and how its column is typed."""

from __future__ import annotations

from dataclasses import dataclass

from smeladder.registry.interchange.schema import (
    ANNUAL_FACTS,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    MAKER_CHINA_FACTS,
    TITLE_FACTS,
    Fact,
)

from .values import (
    Bool,
    Num,
    Text,
    Value,
)

NUMERIC_KINDS = frozenset({"money", "ratio", "int", "year", "score"})


@dataclass(frozen=True)
class Tables:
    """Where the facts live (the registry's Django tables by default)."""

    enterprise: str = "registry_enterprise"
    annual: str = "registry_annualfigures"
    equity: str = "registry_equityfinancing"
    platform: str = "registry_platformscore"
    title: str = "registry_title"
    award: str = "registry_award"
    maker_china: str = "registry_makerchinaresult"
    pool: str = "registry_pool"
    pool_membership: str = "registry_poolmembership"


REGISTRY_TABLES = Tables()


_TOP = {f.path: f for f in ENTERPRISE_FACTS}
_ANNUAL = {f.key: f for f in ANNUAL_FACTS}
_ITEMS: dict[str, tuple[str, dict[str, Fact]]] = {
    "awards": ("award", {f.key: f for f in AWARD_FACTS}),
    "maker_china": ("maker_china", {f.key: f for f in MAKER_CHINA_FACTS}),
    "titles": ("title", {f.key: f for f in TITLE_FACTS}),
}


def _retarget(value: Value, column: str) -> Value:
    """The same kind of value, read from a level-0 column."""
    if isinstance(value, Num):
        return Num(column)
    if isinstance(value, Bool):
        return Bool(column)
    return Text(column)


def _typed(column_sql: str, kind: str) -> Value:
    if kind in NUMERIC_KINDS:
        return Num(f"CAST({column_sql} AS DOUBLE PRECISION)")
    if kind == "bool":
        return Bool(column_sql)
    if kind == "date":
        return Text(column_sql)
    return Text(column_sql)
