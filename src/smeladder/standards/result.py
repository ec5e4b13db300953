"""Assessment results, serialising exactly to facts-format.md "Assessment results"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .logic import UNKNOWN, Interval


def _plain(value: Any) -> Any:
    """UNKNOWN → None, floats rounded for display, intervals → [lo, hi]."""
    if value is UNKNOWN:
        return None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() else rounded
    if isinstance(value, Interval):
        return [_plain(value.lo), _plain(value.hi)]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Check:
    """One line of the explanation: what was tested, the firm's value, band, points, source."""

    code: str
    label: str
    value: Any
    passed: bool | None  # None = undetermined
    rule: str
    band: str | None = None
    points: float | None = None
    points_range: tuple[float, float] | None = None
    max_points: float | None = None
    source: dict[str, str] = field(default_factory=dict)
    confidence: str | None = None
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "label": self.label,
            "value": _plain(self.value),
            "band": self.band,
            "points": _plain(self.points),
            "max_points": _plain(self.max_points),
            "passed": self.passed,
            "rule": self.rule,
            "source": dict(self.source),
            "confidence": self.confidence,
        }
        if self.points_range is not None:
            out["points_range"] = [_plain(x) for x in self.points_range]
        if self.missing:
            out["missing"] = list(self.missing)
        return out


@dataclass(frozen=True)
class Result:
    """One (enterprise, standard) assessment."""

    uscc: str | None
    standard: str
    rulebook: str
    outcome: str  # pass | fail | undetermined
    score: float | None = None
    score_range: tuple[float, float] | None = None
    route: str | None = None  # score | direct | conditions
    size_class: str | None = None  # sme_size only: large | medium | small | micro
    checks: tuple[Check, ...] = ()
    missing: tuple[str, ...] = ()
    gaps: tuple[dict[str, Any], ...] = ()

    def check(self, code: str) -> Check:
        for c in self.checks:
            if c.code == code:
                return c
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "uscc": self.uscc,
            "standard": self.standard,
            "rulebook": self.rulebook,
            "outcome": self.outcome,
            "score": _plain(self.score),
        }
        if self.score_range is not None:
            out["score_range"] = [_plain(x) for x in self.score_range]
        out |= {
            "route": self.route,
            "class": self.size_class,
            "checks": [c.to_dict() for c in self.checks],
            "missing": list(self.missing),
            "gaps": [dict(g) for g in self.gaps],
        }
        return out
