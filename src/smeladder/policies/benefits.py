"""What a support item is worth to a firm: its benefit rule evaluated on the firm's facts.

    {"kind": "fixed", "amount": 1000000}
    {"kind": "formula", "expr": <expr>, "cap": 5000000, "floor": 0}
    {"kind": "tiered", "table": [{"when": <expr>, "amount": 2000000, "label": "国家级"}, …]}
    {"kind": "none", "text": "优先推荐"}

Amounts are yuan. A fact the amount needs and the firm has not given never counts as 0: the
amount becomes a range (a formula between its floor and cap, a table between the rows still
possible) or None, and ``missing`` names the facts it waits on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from smeladder.standards.checks import Context, Ev, evaluate
from smeladder.standards.facts import Facts
from smeladder.standards.logic import UNKNOWN

KINDS = ("fixed", "formula", "tiered", "none")


@dataclass(frozen=True)
class Amount:
    """lo == hi: the amount; lo < hi: a range still possible; None: unknown (or non-monetary,
    then ``text`` says what the benefit is). ``lo`` None with ``hi`` set = up to ``hi``."""

    lo: float | None
    hi: float | None
    text: str = ""
    missing: frozenset[str] = frozenset()

    @property
    def exact(self) -> bool:
        return self.lo is not None and self.lo == self.hi


def yuan_text(value: float | None) -> str:
    """A yuan amount the way policies write it: 100万元, 2.5万元, 800元."""
    if value is None:
        return ""
    if abs(value) >= 10_000:
        wan = value / 10_000
        return f"{wan:,.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{value:,.2f}".rstrip("0").rstrip(".") + "元"


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is None and hi is None:
        return "金额待定"
    if lo is None:
        return f"最高{yuan_text(hi)}"
    if hi is None:
        return f"不低于{yuan_text(lo)}"
    if lo == hi:
        return yuan_text(lo)
    return f"{yuan_text(lo)}–{yuan_text(hi)}"


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    return float(value) if isinstance(value, int | float) else None


def evaluate_benefit(
    benefit: Mapping[str, Any],
    facts: Mapping[str, Any] | Facts,
    on: date,
    *,
    size_class: Callable[[], Ev] | None = None,
) -> Amount:
    """The amount ``benefit`` gives a firm with ``facts`` on ``on``."""
    f = facts if isinstance(facts, Facts) else Facts(facts)
    kind = (benefit or {}).get("kind", "none")
    if kind == "fixed":
        amount = _number(benefit.get("amount"))
        return Amount(amount, amount, _range_text(amount, amount))
    if kind == "formula":
        return _formula(benefit, Context(f, on, size_class=size_class))
    if kind == "tiered":
        return _tiered(benefit, Context(f, on, size_class=size_class))
    return Amount(None, None, str(benefit.get("text") or "非资金支持"))


def _formula(benefit: Mapping[str, Any], ctx: Context) -> Amount:
    cap, floor = _number(benefit.get("cap")), _number(benefit.get("floor"))
    ev = evaluate(benefit["expr"], ctx)
    value = ev.value
    if value is UNKNOWN or value is None or isinstance(value, bool):
        # Not computable yet: anything from the floor to the cap is still possible.
        return Amount(floor, cap, _range_text(floor, cap), ev.missing)
    amount = max(float(value), 0.0 if floor is None else floor)  # a negative grant is none
    if cap is not None:
        amount = min(amount, cap)
    return Amount(amount, amount, _range_text(amount, amount))


def _tiered(benefit: Mapping[str, Any], ctx: Context) -> Amount:
    """The first row whose condition holds; rows before it whose condition is unknown stay
    possible, so the amount is the range over them."""
    possible: list[Mapping[str, Any]] = []
    missing: frozenset[str] = frozenset()
    decided = False
    for row in benefit.get("table", []):
        cond = evaluate(row.get("when", {"all": []}), ctx)
        if cond.value is UNKNOWN:
            possible.append(row)
            missing |= cond.missing
        elif cond.value:
            possible.append(row)
            decided = True
            break
    amounts = [_number(r.get("amount")) for r in possible]
    known = [a for a in amounts if a is not None]
    if not possible:
        return Amount(None, None, "无适用档次")
    if decided and len(possible) == 1:
        row, amount = possible[0], amounts[0]
        label = str(row.get("label") or "")
        text = _range_text(amount, amount) if amount is not None else label
        return Amount(amount, amount, f"{label} {text}".strip() if label else text)
    # Undecided: the rows still possible, and no row at all if none surely holds.
    lo = min(known) if known and decided and len(known) == len(amounts) else None
    hi = max(known) if known and len(known) == len(amounts) else None
    return Amount(lo, hi, _range_text(lo, hi), missing)
