"""The check vocabulary: a small expression language that rulebook data is written in.

Every rule is a JSON expression built from the operators below, never Python code, so the same
definition can be evaluated here for one enterprise (with its explanation) and later compiled to
set-based SQL (each operator has a direct SQL form, noted beside it).

    literal                          5, 0.05, "provincial", true, null      -- literal
    {"fact": "annual.{L}.revenue"}   a fact; {L} = 上年度, {L-1} the year before  -- column
    {"item": "level"}                a field of the list element inside "exists"
    {"year": "L-2"}                  a fiscal year as a number                -- literal
    {"date": "on"}                   the assessment date, ISO string          -- literal
    {"date": "L-end"}, "L-1-end"     31 December of the 上年度 (or before)    -- literal
    {"ratio": [a, b]}                a / b                                    -- a / NULLIF(b, 0)
    {"growth": [cur, prev]}          (cur - prev) / prev                      -- idem
    {"sum": [a, b, …]}               a + b + …                                -- +
    {"sub": [a, b]}                  a - b                                    -- -
    {"max"|"min": [a, b, …]}         largest / smallest (points: per end)     -- CASE WHEN
    {"whole_years": [from, to]}      whole years from one ISO date to another -- date arithmetic
    {"days": [from, to]}             days from one ISO date to another        -- date arithmetic
    {"ge"|"gt"|"le"|"lt"|"eq"|"ne": [a, b]}                                   -- comparison
    {"in": [a, [v1, v2, …]]}                                                  -- IN
    {"all": […]} {"any": […]} {"not": x}                                     -- AND / OR / NOT
    {"at_least": {"n": 2, "of": […]}}                                         -- sum(CASE …) >= n
    {"exists": {"in": "awards", "where": cond}}   some list element matches   -- EXISTS
    {"bands": {"of": x, "table": [{"band", "from", "to", "points"}]}}        -- CASE WHEN
    {"cases": {"table": [{"when", "band", "points"}], "else": {"band", "points"}}}  -- CASE WHEN
    {"mul": [a, b, …]}               a × b × …                                -- *
    {"title": {"codes": [c, …], "levels": [l, …]}}  holds one of these titles, valid on the
                                     assessment date (not revoked; levels optional) -- EXISTS
    {"title": {…, "granted_in": year}}  … and that title's valid_from lies in that calendar
                                     year ({"year": "L"} = 上年度新认定)          -- EXISTS
    {"pool": {"codes": [p, …]}}      a current member of one of these pools (joined on or
                                     before the date, not left by then)       -- EXISTS
    {"within": [x, ["3703", …]]}     the code x starts with one of the prefixes -- LIKE 'p%' OR …
    {"size_class": ["small", …]}     the sme_size standard's class on the date is one of these
    {"check": "code"}                whether another check of the rulebook passed
    {"points": ["code", …]}          sum of those checks' points
    {"standard": "sme_size"}         whether the enterprise passes another standard on the date

Three-valued throughout: a missing fact makes its branch UNKNOWN and records the fact's path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .facts import Facts, last_fiscal_year, resolve_period
from .logic import (
    COMPARISONS,
    UNKNOWN,
    Interval,
    all_,
    any_,
    as_interval,
    at_least,
    compare,
    not_,
)

BAND_EDGES = ("higher_points", "lower_points")


class RuleError(ValueError):
    """A rulebook expression is malformed."""


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ was a tenth of the engine's time
class Ev:
    """Result of evaluating an expression: the value, the facts it waits on, and for display
    the measured value and band (e.g. a ratio and its band "A")."""

    value: Any
    missing: frozenset[str] = frozenset()
    shown: Any = None
    band: str | None = None


@dataclass
class Context:
    facts: Facts
    on: date
    band_edge: str = "higher_points"
    check_defs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    other_standard: Callable[[str], Ev] | None = None
    item: Mapping[str, Any] | None = None
    item_list: str = ""
    #: the firm's sme_size class as an Ev (value: class or UNKNOWN); a caller that assesses
    #: many expressions for one firm (policy matching) computes it once and passes it here
    size_class: Callable[[], Ev] | None = None
    _checks: dict[str, CheckEval] = field(default_factory=dict)
    #: each fact read once per context: a rulebook reads the same few dozen facts hundreds of
    #: times (every band, case and ratio)
    _facts_read: dict[str, Ev] = field(default_factory=dict)

    def check(self, code: str) -> CheckEval:
        if code not in self._checks:
            if code not in self.check_defs:
                raise RuleError(f"unknown check {code!r}")
            self._checks[code] = evaluate_check(self.check_defs[code], self)
        return self._checks[code]


@dataclass(frozen=True)
class CheckEval:
    """One named check evaluated for one enterprise."""

    definition: Mapping[str, Any]
    value: Any
    passed: Any  # True / False / UNKNOWN
    points: float | Interval | None
    band: str | None
    missing: frozenset[str]


def _union(evs: list[Ev]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for ev in evs:
        out |= ev.missing
    return out


def _describe(expr: Any, ctx: Context) -> str:
    if isinstance(expr, Mapping) and "fact" in expr:
        return resolve_period(str(expr["fact"]), ctx.on)
    return "denominator"


def _op_fact(arg: Any, ctx: Context) -> Ev:
    known = ctx._facts_read.get(arg) if type(arg) is str else None
    if known is not None:
        return known
    path = resolve_period(arg, ctx.on)
    value = _plain_number(ctx.facts.get(path))
    # An explicit null is kept as a value (it equals null) but, if it leaves the answer
    # unknown (arithmetic, ordering), the path is what the answer waits on.
    waits = value is UNKNOWN or value is None
    ev = Ev(value, frozenset({path}) if waits else frozenset(), shown=value)
    if type(arg) is str:
        ctx._facts_read[arg] = ev
    return ev


def _op_item(arg: Any, ctx: Context) -> Ev:
    if ctx.item is None:
        raise RuleError('"item" used outside "exists"')
    if arg not in ctx.item:
        return Ev(UNKNOWN, frozenset({f"{ctx.item_list}[].{arg}"}))
    return Ev(_plain_number(ctx.item[arg]))


def _plain_number(value: Any) -> Any:
    # Registry money is Decimal; the engine computes in binary floating point like the SQL
    # path (CAST … AS DOUBLE), and float + Decimal would not even add.
    return float(value) if isinstance(value, Decimal) else value


def _op_year(arg: Any, ctx: Context) -> Ev:
    text = str(arg)
    if text == "L":
        return Ev(last_fiscal_year(ctx.on))
    if text.startswith("L-"):
        return Ev(last_fiscal_year(ctx.on) - int(text[2:]))
    raise RuleError(f"bad year {arg!r}")


def _op_date(arg: Any, ctx: Context) -> Ev:
    return Ev(named_date(arg, ctx.on).isoformat())


def named_date(arg: Any, on: date) -> date:
    """ "on" = the assessment date; "L-end" / "L-n-end" = 31 December of that fiscal year."""
    text = str(arg)
    if text == "on":
        return on
    if text.startswith("L") and text.endswith("-end"):
        back = text[1:-4]
        if back == "" or (back.startswith("-") and back[1:].isdigit()):
            return date(last_fiscal_year(on) - int(back[1:] or 0), 12, 31)
    raise RuleError(f"bad date {arg!r}")


def whole_years(start: date, end: date) -> int:
    """Completed years from ``start`` to ``end`` (a birthday count; negative if end < start)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def _numbers(args: Any, ctx: Context, n: int | None = None) -> list[Ev]:
    if not isinstance(args, list) or (n is not None and len(args) != n):
        raise RuleError(f"expected a list of {n or 'some'} operands, got {args!r}")
    return [evaluate(a, ctx) for a in args]


def _divide(num: Ev, den: Ev, den_expr: Any, ctx: Context, *, minus_den: bool) -> Ev:
    missing = num.missing | den.missing
    if any(v is UNKNOWN or v is None for v in (num.value, den.value)):
        return Ev(UNKNOWN, missing)
    if den.value == 0:
        # Undefined, not zero: the result waits on a usable denominator.
        return Ev(UNKNOWN, missing | {f"{_describe(den_expr, ctx)} (is 0)"})
    top = num.value - den.value if minus_den else num.value
    value = top / den.value
    return Ev(value, missing, shown=value)


def _op_ratio(arg: Any, ctx: Context) -> Ev:
    num, den = _numbers(arg, ctx, 2)
    return _divide(num, den, arg[1], ctx, minus_den=False)


def _op_growth(arg: Any, ctx: Context) -> Ev:
    # (cur - prev) / prev, not cur / prev - 1: exact on band edges for whole numbers.
    cur, prev = _numbers(arg, ctx, 2)
    return _divide(cur, prev, arg[1], ctx, minus_den=True)


def _op_sum(arg: Any, ctx: Context) -> Ev:
    evs = _numbers(arg, ctx)
    missing = _union(evs)
    if any(ev.value is UNKNOWN or ev.value is None for ev in evs):
        return Ev(UNKNOWN, missing)
    total = sum(ev.value for ev in evs)
    return Ev(total, missing, shown=total)


def _op_sub(arg: Any, ctx: Context) -> Ev:
    a, b = _numbers(arg, ctx, 2)
    missing = a.missing | b.missing
    if any(ev.value is UNKNOWN or ev.value is None for ev in (a, b)):
        return Ev(UNKNOWN, missing)
    return Ev(a.value - b.value, missing, shown=a.value - b.value)


def _op_mul(arg: Any, ctx: Context) -> Ev:
    evs = _numbers(arg, ctx)
    if len(evs) < 2:
        raise RuleError(f'"mul" takes two or more operands, got {arg!r}')
    missing = _union(evs)
    if any(ev.value is UNKNOWN or ev.value is None for ev in evs):
        return Ev(UNKNOWN, missing)
    product = evs[0].value
    for ev in evs[1:]:
        product = product * ev.value
    return Ev(product, missing, shown=product)


def _make_extreme(pick: Callable[..., Any]) -> Callable[[Any, Context], Ev]:
    """Largest / smallest of numbers or points; with points still open (intervals), each end
    separately, so max([10, 2]..[0, 8]) is [10, 10]. Unknown numbers leave it unknown."""

    def _extreme(arg: Any, ctx: Context) -> Ev:
        evs = _numbers(arg, ctx)
        missing = _union(evs)
        values = [ev.value for ev in evs]
        if any(v is UNKNOWN or v is None for v in values):
            return Ev(UNKNOWN, missing)
        if any(isinstance(v, Interval) for v in values):
            ivs = [as_interval(v) for v in values]
            iv = Interval(pick(i.lo for i in ivs), pick(i.hi for i in ivs))
            return Ev(iv.lo if iv.exact else iv, missing, shown=iv.lo if iv.exact else None)
        best = pick(range(len(values)), key=lambda i: values[i])
        return Ev(values[best], missing, shown=values[best], band=evs[best].band)

    return _extreme


def _dates(arg: Any, ctx: Context) -> tuple[date, date] | frozenset[str]:
    evs = _numbers(arg, ctx, 2)
    if any(ev.value is UNKNOWN or ev.value is None for ev in evs):
        return _union(evs) or frozenset({"date"})
    try:
        return date.fromisoformat(str(evs[0].value)), date.fromisoformat(str(evs[1].value))
    except ValueError:
        raise RuleError(f"not ISO dates: {evs[0].value!r}, {evs[1].value!r}") from None


def _op_whole_years(arg: Any, ctx: Context) -> Ev:
    got = _dates(arg, ctx)
    if isinstance(got, frozenset):
        return Ev(UNKNOWN, got)
    n = whole_years(*got)
    return Ev(n, shown=n)


def _op_days(arg: Any, ctx: Context) -> Ev:
    got = _dates(arg, ctx)
    if isinstance(got, frozenset):
        return Ev(UNKNOWN, got)
    n = (got[1] - got[0]).days
    return Ev(n, shown=n)


def _make_compare(op: str) -> Callable[[Any, Context], Ev]:
    def _compare(arg: Any, ctx: Context) -> Ev:
        left, right = _numbers(arg, ctx, 2)
        value = compare(op, left.value, right.value)
        return Ev(value, left.missing | right.missing, shown=left.value)

    return _compare


def _op_in(arg: Any, ctx: Context) -> Ev:
    if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[1], list):
        raise RuleError(f'"in" takes [value, [choices]], got {arg!r}')
    left = evaluate(arg[0], ctx)
    value = UNKNOWN if left.value is UNKNOWN else left.value in arg[1]
    return Ev(value, left.missing, shown=left.value)


def _op_all(arg: Any, ctx: Context) -> Ev:
    evs = _numbers(arg, ctx)
    return Ev(all_(ev.value for ev in evs), _union(evs))


def _op_any(arg: Any, ctx: Context) -> Ev:
    evs = _numbers(arg, ctx)
    return Ev(any_(ev.value for ev in evs), _union(evs))


def _op_not(arg: Any, ctx: Context) -> Ev:
    ev = evaluate(arg, ctx)
    return Ev(not_(ev.value), ev.missing, shown=ev.shown)


def _op_at_least(arg: Any, ctx: Context) -> Ev:
    evs = _numbers(arg["of"], ctx)
    return Ev(at_least(int(arg["n"]), (ev.value for ev in evs)), _union(evs))


def _op_exists(arg: Any, ctx: Context) -> Ev:
    name = arg["in"]
    items = ctx.facts.get(name)
    if items is UNKNOWN:
        return Ev(UNKNOWN, frozenset({name}))
    if not isinstance(items, list):
        raise RuleError(f"fact {name!r} is not a list")
    evs = []
    for item in items:
        sub = Context(
            ctx.facts,
            ctx.on,
            ctx.band_edge,
            ctx.check_defs,
            ctx.other_standard,
            item,
            name,
            ctx.size_class,
        )
        sub._checks = ctx._checks
        evs.append(evaluate(arg["where"], sub))
    return Ev(any_(ev.value for ev in evs), _union(evs))


def _title_valid(
    item: Mapping[str, Any], spec: Mapping[str, Any], on: str, granted_in: int | None = None
) -> bool:
    if item.get("code") not in spec["codes"]:
        return False
    if spec.get("levels") and item.get("level") not in spec["levels"]:
        return False
    if item.get("status") == "revoked":
        return False
    start, end = item.get("valid_from"), item.get("valid_to")
    if start is None or str(start) > on or (end is not None and str(end) < on):
        return False
    return granted_in is None or str(start)[:4] == str(granted_in)


def _op_title(arg: Any, ctx: Context) -> Ev:
    """Holds a title valid on the assessment date. A title row is a record, not a guess: a
    missing ``valid_to`` or ``status`` means open-ended / active (facts-format.md)."""
    if not isinstance(arg, Mapping) or not arg.get("codes"):
        raise RuleError(f'"title" takes {{"codes": [...]}}, got {arg!r}')
    granted_in = None
    if arg.get("granted_in") is not None:
        year = evaluate(arg["granted_in"], ctx).value
        if not isinstance(year, int) or isinstance(year, bool):
            raise RuleError(f'"granted_in" must be a year, got {arg["granted_in"]!r}')
        granted_in = year
    titles = ctx.facts.get("titles")
    if titles is UNKNOWN:
        return Ev(UNKNOWN, frozenset({"titles"}))
    if not isinstance(titles, list):
        raise RuleError("fact 'titles' is not a list")
    on = ctx.on.isoformat()
    held = [t for t in titles if isinstance(t, Mapping) and _title_valid(t, arg, on, granted_in)]
    return Ev(bool(held), shown=[t.get("code") for t in held] or None)


def _op_pool(arg: Any, ctx: Context) -> Ev:
    """A current member of one of the pools: joined on or before the date and not left by then
    (left_on on or before the date = no longer a member). No "pools" fact = unknown."""
    if not isinstance(arg, Mapping) or not arg.get("codes"):
        raise RuleError(f'"pool" takes {{"codes": [...]}}, got {arg!r}')
    pools = ctx.facts.get("pools")
    if pools is UNKNOWN:
        return Ev(UNKNOWN, frozenset({"pools"}))
    if not isinstance(pools, list):
        raise RuleError("fact 'pools' is not a list")
    on = ctx.on.isoformat()
    held = [
        p.get("code")
        for p in pools
        if isinstance(p, Mapping)
        and p.get("code") in arg["codes"]
        and p.get("joined_on") is not None
        and str(p["joined_on"]) <= on
        and (p.get("left_on") is None or str(p["left_on"]) > on)
    ]
    return Ev(bool(held), shown=held or None)


def _op_within(arg: Any, ctx: Context) -> Ev:
    """A code (division, industry) starts with one of the prefixes."""
    if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[1], list):
        raise RuleError(f'"within" takes [value, [prefixes]], got {arg!r}')
    left = evaluate(arg[0], ctx)
    if left.value is UNKNOWN or left.value is None:
        return Ev(UNKNOWN, left.missing)
    prefixes = tuple(str(p) for p in arg[1])
    return Ev(str(left.value).startswith(prefixes), left.missing, shown=left.value)


def firm_size_class(facts: Facts, on: date) -> Ev:
    """The firm's sme_size class on ``on`` (UNKNOWN, with the facts it waits on, when the
    standard cannot decide it or has no rulebook in force)."""
    from .engine import assess  # the engine imports this module

    try:
        result = assess(facts, "sme_size", on)
    except LookupError:
        return Ev(UNKNOWN, frozenset({"size_class"}))
    if result.size_class is None:
        return Ev(UNKNOWN, frozenset(result.missing) or frozenset({"size_class"}))
    return Ev(result.size_class, shown=result.size_class)


def _op_size_class(arg: Any, ctx: Context) -> Ev:
    if not isinstance(arg, list) or not arg:
        raise RuleError(f'"size_class" takes a list of classes, got {arg!r}')
    if ctx.size_class is None:
        size = firm_size_class(ctx.facts, ctx.on)
        ctx.size_class = lambda: size
    size = ctx.size_class()
    if size.value is UNKNOWN:
        return Ev(UNKNOWN, size.missing)
    return Ev(size.value in arg, shown=size.value)


def _in_band(value: float, row: Mapping[str, Any]) -> bool:
    lo, hi = row.get("from"), row.get("to")
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def _op_bands(arg: Any, ctx: Context) -> Ev:
    """Closed bands; a value exactly on a shared edge falls in two, and the rulebook's
    ``band_edge`` setting picks the one with more (or fewer) points (standards.md §6.2)."""
    table = arg["table"]
    of = evaluate(arg["of"], ctx)
    if of.value is UNKNOWN or of.value is None:
        points = [row["points"] for row in table]
        return Ev(Interval(min(points), max(points)), of.missing)
    rows = [row for row in table if _in_band(of.value, row)]
    if not rows:
        raise RuleError(f"value {of.value!r} falls in no band of {table!r}")
    pick = max if ctx.band_edge == "higher_points" else min
    row = pick(rows, key=lambda r: r["points"])
    return Ev(row["points"], of.missing, shown=of.value, band=row.get("band"))


def _op_cases(arg: Any, ctx: Context) -> Ev:
    """First row whose condition holds; rows whose condition is unknown stay possible."""
    possible: list[Mapping[str, Any]] = []
    missing: frozenset[str] = frozenset()
    for row in arg["table"]:
        cond = evaluate(row["when"], ctx)
        missing |= cond.missing
        if cond.value is UNKNOWN:
            possible.append(row)
        elif cond.value:
            possible.append(row)
            break
    else:
        possible.append(arg["else"])
    if len(possible) == 1:
        row = possible[0]
        return Ev(row["points"], frozenset(), band=row.get("band"))
    points = [row["points"] for row in possible]
    return Ev(Interval(min(points), max(points)), missing)


def _op_check(arg: Any, ctx: Context) -> Ev:
    result = ctx.check(arg)
    return Ev(result.passed, result.missing)


def _op_points(arg: Any, ctx: Context) -> Ev:
    total: float | Interval = 0
    missing: frozenset[str] = frozenset()
    for code in arg:
        result = ctx.check(code)
        if result.points is None:
            raise RuleError(f"check {code!r} has no points")
        total = total + result.points
        missing |= result.missing
    return Ev(total, missing, shown=total)


def _op_standard(arg: Any, ctx: Context) -> Ev:
    if ctx.other_standard is None:
        raise RuleError('"standard" needs an engine to assess the other standard')
    return ctx.other_standard(arg)


OPERATORS: dict[str, Callable[[Any, Context], Ev]] = {
    "fact": _op_fact,
    "item": _op_item,
    "year": _op_year,
    "date": _op_date,
    "ratio": _op_ratio,
    "growth": _op_growth,
    "sum": _op_sum,
    "sub": _op_sub,
    "mul": _op_mul,
    "max": _make_extreme(max),
    "min": _make_extreme(min),
    "whole_years": _op_whole_years,
    "days": _op_days,
    "in": _op_in,
    "all": _op_all,
    "any": _op_any,
    "not": _op_not,
    "at_least": _op_at_least,
    "exists": _op_exists,
    "bands": _op_bands,
    "cases": _op_cases,
    "title": _op_title,
    "pool": _op_pool,
    "within": _op_within,
    "size_class": _op_size_class,
    "check": _op_check,
    "points": _op_points,
    "standard": _op_standard,
    **{op: _make_compare(op) for op in COMPARISONS},
}


def evaluate(expr: Any, ctx: Context) -> Ev:
    # ``type(…) is dict`` first: rulebooks are parsed JSON, and the ABC check of Mapping on
    # every node was a measurable share of each assessment
    if type(expr) is dict or isinstance(expr, Mapping):
        if len(expr) != 1:
            raise RuleError(f"an expression has exactly one operator, got {sorted(expr)}")
        op, arg = next(iter(expr.items()))
        operator = OPERATORS.get(op)
        if operator is None:
            raise RuleError(f"unknown operator {op!r}")
        ev = operator(arg, ctx)
        if ev.missing:
            value = ev.value
            if not (value is UNKNOWN or value is None or isinstance(value, Interval)):
                # Decided despite unknown parts (e.g. a known False in an "all"): waits on
                # nothing.
                ev = Ev(value, frozenset(), ev.shown, ev.band)
        return ev
    if isinstance(expr, list):
        raise RuleError(f"a bare list is not an expression: {expr!r}")
    return Ev(expr)


_LEAVES = frozenset(
    {"fact", "item", "year", "date", "title", "pool", "size_class", "check", "points", "standard"}
)


def subexpressions(op: str, arg: Any) -> list[Any]:
    if op in _LEAVES:
        return []
    if op in ("in", "within"):
        return [arg[0]] if isinstance(arg, list) and arg else []
    if op == "not":
        return [arg]
    if isinstance(arg, Mapping):
        if op == "exists":
            return [arg.get("where")]
        if op == "bands":
            return [arg.get("of")]
        if op == "cases":
            return [row.get("when") for row in arg.get("table", [])]
        if op == "at_least":
            return list(arg.get("of", []))
    return list(arg) if isinstance(arg, list) else []


def operators_in(expr: Any) -> set[str]:
    """Every operator used in an expression (for validation)."""
    found: set[str] = set()
    if isinstance(expr, Mapping):
        for op, arg in expr.items():
            found.add(op)
            for sub in subexpressions(op, arg):
                found |= operators_in(sub)
    return found


def evaluate_check(definition: Mapping[str, Any], ctx: Context) -> CheckEval:
    if "points" in definition:
        ev = evaluate(definition["points"], ctx)
        points = ev.value
        if points is UNKNOWN or points is None:
            # Points computed from an unknown number (e.g. max of figures): anything the
            # check can give, 0 to its maximum.
            points = Interval(0, definition["max_points"])
        if isinstance(points, Interval):
            passed: Any = True if points.lo > 0 else (False if points.hi <= 0 else UNKNOWN)
            if points.exact:
                points = points.lo
        else:
            passed = points > 0
        return CheckEval(definition, ev.shown, passed, points, ev.band, ev.missing)
    ev = evaluate(definition["test"], ctx)
    return CheckEval(definition, ev.shown, ev.value, None, ev.band, ev.missing)
