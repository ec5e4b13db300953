"""Gaps: the smallest changes of a firm's facts that turn a result into a pass — verified.

``find_gaps(facts, result_or_standard, on)`` answers "what would it take?":

* For a **fail** or **undetermined** result: candidate facts are read from the rulebook's own
  expressions (checks not yet at their best, the checks, points and other standards they refer
  to), each with the direction that helps (a numerator up, a denominator down, a ``le`` operand
  down, a band table's trend...). Each candidate is searched on its own: numbers by an
  exponential then binary search for the minimal whole change (whole yuan, whole units, 0.01
  percentage point for ratios, whole months for dates; schema bounds respected), booleans
  flipped, enums tried in rank order, titles obtained (valid from the assessment date), unknown
  facts supplied. If no single change passes, a greedy plan (≤ 4 facts) is built: each step
  applies the smallest change that most improves (pass, number of checks passed, score), then
  every change of the plan is trimmed back to its minimum.
* For a **pass**: the gap to the next rung of its ladder (``NEXT_RUNG``), assuming the firm
  obtains the title it just passed (valid from the assessment date); each gap carries
  ``"standard": <next code>``. No rulebook of the next standard in force → no gaps.

**Every reported gap is verified** by running the engine (``engine.assess``) again on the
changed facts; only changes whose outcome becomes ``pass`` are reported (``verified: true``).
Ranking: relative size of the change (|change| / |from|; a change from 0, a flag, an enum step,
a title or a supplied fact counts as 1.0; a plan is the sum of its changes), then kind (number
changes before set / title / supply / plan), then fact path.

Limits: the search is per fact and assumes the outcome is monotone between probes (the
exponential phase grows by ×4, so a pass window narrower than that can be missed); awards and
other list facts are not invented; a supplied date is not searched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from smeladder.registry.interchange.schema import (
    ANNUAL_BY_KEY,
    EQUITY_FACT,
    FACTS_BY_PATH,
    PLATFORM_SCORE_FACT,
    Fact,
)

from .checks import Context, Ev, evaluate
from .facts import Facts, last_fiscal_year, resolve_period
from .logic import UNKNOWN, all_, any_
from .result import Result
from .rulebook import Rulebook, rulebook_for

#: the next rung of each ladder (standards.md §0.3); sme_size has none
NEXT_RUNG = {
    "innovative_sme": "specialized_sme",
    "tech_innovative_sme": "specialized_sme",
    "specialized_sme": "little_giant",
    "little_giant": "single_champion",
    "tech_sme": "hnte",
    "hnte": "gazelle",
}

STANDARD_ZH = {
    "sme_size": "中小企业",
    "innovative_sme": "创新型中小企业",
    "tech_innovative_sme": "科技和创新型中小企业",
    "specialized_sme": "专精特新中小企业",
    "little_giant": "专精特新“小巨人”企业",
    "single_champion": "制造业单项冠军企业",
    "tech_sme": "科技型中小企业",
    "hnte": "高新技术企业",
    "gazelle": "瞪羚企业",
    "unicorn": "独角兽企业",
    "eaglet": "雏鹰企业",
}

#: the level a newly obtained title is recorded with (who grants it); ASSUMPTION where unsure
TITLE_LEVEL = {
    "innovative_sme": "provincial",
    "tech_innovative_sme": "provincial",
    "specialized_sme": "provincial",
    "little_giant": "national",
    "single_champion": "national",
    "tech_sme": "provincial",
    "hnte": "national",
    "gazelle": "provincial",
    "unicorn": "provincial",
    "eaglet": "provincial",
}

#: Chinese names of enum values in effect texts
ENUM_ZH = {
    "rd_institution": {
        "national": "国家级",
        "provincial": "省级",
        "city": "市级",
        "below_city": "市级以下",
        "none": "无",
    },
}

KIND_RANK = {"increase": 0, "decrease": 0, "set": 1, "obtain_title": 2, "supply": 3, "plan": 4}
TITLES = "titles"
MAX_PLAN_FACTS = 4
MAX_PLAN_ROUNDS = 8
GROWTH = 4  # exponential phase: ×4 per probe
#: default budget of one find_gaps call: engine evaluations of changed facts. A count, not a
#: time, so the same facts give the same gaps on any machine under any load.
BUDGET = 400


# --- candidate facts, read from the rulebook -------------------------------------------


@dataclass
class _Cand:
    path: str
    kind: str  # number | bool | enum | date | title
    signs: set[int] = field(default_factory=set)
    fact: Fact | None = None
    unit: float = 1
    lo: float | None = None
    hi: float | None = None
    codes: tuple[str, ...] = ()
    level: str | None = None

    @property
    def directions(self) -> tuple[int, ...]:
        if 0 in self.signs or self.signs >= {1, -1} or not self.signs:
            return (1, -1)
        return (1,) if 1 in self.signs else (-1,)


def _schema_fact(path: str) -> tuple[Fact | None, str | None]:
    """The schema entry of a fact path and its Chinese label."""
    if path in FACTS_BY_PATH:
        f = FACTS_BY_PATH[path]
        return f, f.zh
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "annual" and parts[2] in ANNUAL_BY_KEY:
        f = ANNUAL_BY_KEY[parts[2]]
        return f, f"{parts[1]}年度{f.zh}"
    if len(parts) == 2 and parts[0] == "equity_financing":
        return EQUITY_FACT, f"{parts[1]}年度{EQUITY_FACT.zh}"
    if len(parts) == 2 and parts[0] == "platform_score":
        return PLATFORM_SCORE_FACT, f"{parts[1]}年度{PLATFORM_SCORE_FACT.zh}"
    return None, None


def _label(path: str, on: date) -> str:
    _, zh = _schema_fact(path)
    if zh is None:
        return path
    zh = re.sub(r"\([^()]*\)$", "", zh)  # "科技人员数(人)" → "科技人员数"
    return zh.replace(f"{last_fiscal_year(on)}年度", "上年度", 1)


def _is_iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _make_cand(path: str, value: Any) -> _Cand | None:
    fact, _ = _schema_fact(path)
    kind = fact.kind if fact else None
    if kind is None:  # not in the schema: infer from the value
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, int):
            kind = "int"
        elif isinstance(value, float):
            kind = "decimal"
        elif _is_iso_date(value):
            kind = "date"
    if kind in ("money", "int", "year"):
        lo = fact.min if fact and fact.min is not None else None
        hi = fact.max if fact else None
        return _Cand(path, "number", fact=fact, unit=1, lo=lo, hi=hi)
    if kind == "ratio":
        return _Cand(path, "number", fact=fact, unit=0.0001, lo=0.0, hi=1.0)
    if kind == "decimal":
        lo = fact.min if fact else None
        hi = fact.max if fact else None
        return _Cand(path, "number", fact=fact, unit=0.1, lo=lo, hi=hi)
    if kind in ("bool", "date"):
        return _Cand(path, kind, fact=fact)
    if kind == "enum" and fact is not None and fact.choices:
        return _Cand(path, "enum", fact=fact)
    return None  # strings (industry code, names) are not something a firm changes


def _band_trend(table: list[Mapping[str, Any]]) -> int:
    rows = sorted(table, key=lambda r: -math.inf if r.get("from") is None else r["from"])
    diff = rows[-1]["points"] - rows[0]["points"]
    return (diff > 0) - (diff < 0)


def _title_spec(where: Any) -> tuple[list[str], list[str]]:
    """Codes and levels an ``exists`` over titles asks for (``in``/``eq`` on item code/level)."""
    codes: list[str] = []
    levels: list[str] = []

    def walk(expr: Any) -> None:
        if isinstance(expr, Mapping):
            for op, arg in expr.items():
                if op in ("in", "eq") and isinstance(arg, list) and len(arg) == 2:
                    left, right = arg
                    if isinstance(left, Mapping) and left.get("item") in ("code", "level"):
                        vals = right if isinstance(right, list) else [right]
                        (codes if left["item"] == "code" else levels).extend(
                            v for v in vals if isinstance(v, str)
                        )
                        continue
                walk(arg)
        elif isinstance(expr, list):
            for x in expr:
                walk(x)

    walk(where)
    return codes, levels


class _Collector:
    """Walks rulebook expressions with a polarity (+1: larger helps, -1: smaller helps, 0: any)
    and records candidate facts and titles."""

    def __init__(self, facts: Facts, on: date, books: tuple[Rulebook, ...] | None) -> None:
        self.facts = facts
        self.on = on
        self.books = books
        self.cands: dict[str, _Cand] = {}
        self._seen: set[tuple[str, str, int]] = set()

    def add_fact(self, path: str, pol: int) -> None:
        cand = self.cands.get(path)
        if cand is None:
            cand = _make_cand(path, self.facts.get(path))
            if cand is None:
                return
            self.cands[path] = cand
        cand.signs.add(pol)

    def add_title(self, codes: Iterable[str], levels: Iterable[str]) -> None:
        codes = [c for c in codes if c]
        if not codes:
            return
        code = codes[0]  # the first (primary) title the rule names
        levels = list(levels)
        key = f"{TITLES}:{code}"
        if key not in self.cands:
            level = levels[0] if levels else TITLE_LEVEL.get(code, "provincial")
            self.cands[key] = _Cand(key, "title", {1}, codes=(code,), level=level)

    def book(self, book: Rulebook, pol: int, only: Iterable[str] | None = None) -> None:
        key = (book.code, "", pol)
        if only is None:
            if key in self._seen:
                return
            self._seen.add(key)
        if book.classification is not None:
            cls = book.classification
            for measure in cls["measures"].values():
                # pass = not large: smaller measures help
                self.add_fact(resolve_period(measure["fact"], self.on), -pol)
            return
        defs = book.check_defs
        for code in defs if only is None else only:
            self.check(book, code, pol)

    def check(self, book: Rulebook, code: str, pol: int) -> None:
        key = (book.code, code, pol)
        if key in self._seen:
            return
        self._seen.add(key)
        d = book.check_defs[code]
        self.expr(book, d.get("test", d.get("points")), pol)

    def expr(self, book: Rulebook, expr: Any, pol: int) -> None:
        if not isinstance(expr, Mapping) or len(expr) != 1:
            return
        ((op, arg),) = expr.items()
        walk = self.expr
        if op == "fact":
            self.add_fact(resolve_period(str(arg), self.on), pol)
        elif op in ("ge", "gt", "ratio", "growth", "sub"):
            walk(book, arg[0], pol)
            walk(book, arg[1], -pol)
        elif op in ("le", "lt", "whole_years", "days"):
            walk(book, arg[0], -pol)
            walk(book, arg[1], pol)
        elif op in ("eq", "ne"):
            for a in arg:
                walk(book, a, 0)
        elif op == "in":
            walk(book, arg[0], 0)
        elif op in ("sum", "max", "min", "all", "any"):
            for a in arg:
                walk(book, a, pol)
        elif op == "at_least":
            for a in arg.get("of", []):
                walk(book, a, pol)
        elif op == "not":
            walk(book, arg, -pol)
        elif op == "bands":
            walk(book, arg["of"], pol * _band_trend(arg["table"]))
        elif op == "cases":
            base = arg["else"]["points"]
            for row in arg["table"]:
                diff = row["points"] - base
                walk(book, row["when"], pol * ((diff > 0) - (diff < 0)))
        elif op == "exists":
            if arg.get("in") == TITLES and pol >= 0:
                self.add_title(*_title_spec(arg.get("where")))
        elif op == "title":
            if pol >= 0:
                self.add_title(arg.get("codes", ()), arg.get("levels") or ())
        elif op == "check":
            self.check(book, arg, pol)
        elif op == "points":
            for code in arg:
                self.check(book, code, pol)
        elif op == "standard":
            division = self.facts.get("division_code")
            try:
                other = rulebook_for(
                    arg, self.on, self.books, division if isinstance(division, str) else None
                )
            except LookupError:
                return
            self.book(other, pol)


def _not_at_best(result: Result) -> list[str]:
    out = []
    for c in result.checks:
        best = c.passed is True and (c.max_points is None or c.points == c.max_points)
        if not best:
            out.append(c.code)
    return out


def _candidates(
    book: Rulebook, facts: Facts, on: date, books: tuple[Rulebook, ...] | None, result: Result
) -> list[_Cand]:
    col = _Collector(facts, on, books)
    if book.classification is not None:
        col.book(book, 1)
    else:
        col.book(book, 1, only=_not_at_best(result))
    for path in result.missing:  # facts the outcome waits on: supply them
        if path in col.cands:
            continue
        cand = _make_cand(path, UNKNOWN)
        if cand is not None:
            cand.signs.add(0)
            col.cands[path] = cand
    return list(col.cands.values())


# --- applying changes and running the engine --------------------------------------------

Change = tuple[str, Any]  # (path, value); for a title: ("titles:<code>", level)


def _title_row(code: str, level: str | None, on: date) -> dict[str, Any]:
    return {
        "code": code,
        "level": level or TITLE_LEVEL.get(code, "provincial"),
        "valid_from": on.isoformat(),
        "valid_to": None,
        "status": "active",
    }


def apply_changes(data: Mapping[str, Any], changes: Iterable[Change], on: date) -> dict[str, Any]:
    """A copy of ``data`` with the changes applied (only the dicts along each path are copied)."""
    out = dict(data)
    for path, value in changes:
        if path.startswith(f"{TITLES}:"):
            held = out.get(TITLES)
            base = list(held) if isinstance(held, list) else []
            out[TITLES] = [*base, _title_row(path.split(":", 1)[1], value, on)]
            continue
        *parents, last = path.split(".")
        node = out
        for part in parents:
            child = node.get(part)
            child = dict(child) if isinstance(child, Mapping) else {}
            node[part] = child
            node = child
        node[last] = value
    return out


def _progress(result: Result) -> tuple[int, int, float]:
    """How close a result is to a pass: (pass, checks passed, score)."""
    if result.size_class is not None or any(c.code == "industry_group" for c in result.checks):
        return (int(result.outcome == "pass"), 0, 0.0)
    passed = sum(1 for c in result.checks if c.passed is True)
    score = result.score
    if score is None:
        score = result.score_range[0] if result.score_range else 0.0
    return (int(result.outcome == "pass"), passed, float(score))


class _OutOfTime(Exception):
    """The evaluation budget of one find_gaps call is spent."""


class _Runner:
    """Runs the engine on changed facts, caching by the set of changes."""

    def __init__(
        self,
        data: Mapping[str, Any],
        book: Rulebook,
        on: date,
        books: tuple[Rulebook, ...] | None,
        budget: int | None = None,
    ) -> None:
        self.data = data
        self.book = book
        self.on = on
        self.books = books
        self.left = budget  # evaluations of new changed facts still allowed (None: no bound)
        self._cache: dict[tuple[Change, ...], Result] = {}
        self._outcomes: dict[tuple[Change, ...], str] = {}

    def _key(self, changes: Iterable[Change]) -> tuple[Change, ...]:
        return tuple(sorted(dict(changes).items(), key=lambda c: c[0]))

    def _spend(self) -> None:
        if self.left is not None:
            if self.left <= 0:
                raise _OutOfTime
            self.left -= 1

    def result(self, changes: Iterable[Change]) -> Result:
        """The engine's full result on the changed facts (for progress)."""
        key = self._key(changes)
        if key not in self._cache:
            from .engine import assess_with

            self._spend()
            facts = Facts(apply_changes(self.data, key, self.on))
            self._cache[key] = assess_with(self.book, facts, self.on, rulebooks=self.books)
        return self._cache[key]

    def passes(self, changes: Iterable[Change]) -> bool:
        """Whether the changed facts pass: the engine's own evaluator, outcome only (eligibility
        first, stopping at the first failed one), so probes that fail early are cheap."""
        key = self._key(changes)
        if key in self._cache:
            return self._cache[key].outcome == "pass"
        if key not in self._outcomes:
            self._spend()
            facts = Facts(apply_changes(self.data, key, self.on))
            self._outcomes[key] = self._outcome(facts)
        return self._outcomes[key] == "pass"

    def _outcome(self, facts: Facts) -> str:
        from .engine import assess, assess_with

        book, on, books = self.book, self.on, self.books
        if book.classification is not None:
            return assess_with(book, facts, on, rulebooks=books).outcome

        def other_standard(code: str) -> Ev:
            res = assess(facts, code, on, rulebooks=books)
            return Ev({"pass": True, "fail": False}.get(res.outcome, UNKNOWN))

        ctx = Context(facts, on, book.band_edge, book.check_defs, other_standard)
        requires = all_(ctx.check(code).passed for code in book.requires)
        if requires is False:
            return "fail"
        routes = any_(evaluate(r["when"], ctx).value for r in book.routes)
        value = all_([requires, routes])
        return "undetermined" if value is UNKNOWN else ("pass" if value else "fail")

    def verify(self, changes: Iterable[Change]) -> bool:
        """Independent check through the public entry point (rulebook picked afresh)."""
        from .engine import assess

        facts = apply_changes(self.data, list(changes), self.on)
        return assess(facts, self.book.standard, self.on, rulebooks=self.books).outcome == "pass"


# --- searching one fact ----------------------------------------------------------------


def _min_step(ok: Callable[[int], bool], k0: int, kcap: int, *, exact: bool = True) -> int | None:
    """Smallest k in [1, kcap] with ok(k): probes k0, 4·k0, … then bisects (if ``exact``)."""
    if kcap < 1:
        return None
    prev, k = 0, max(1, min(k0, kcap))
    while not ok(k):
        if k >= kcap:
            return None
        prev, k = k, min(k * GROWTH, kcap)
    if not exact:
        return k
    lo, hi = prev, k
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _number_value(base: float, k: int, sign: int, unit: float) -> float | int:
    value = base + sign * k * unit
    if unit == 1 and float(value).is_integer():
        return int(value)
    return round(value, 6)


def _shift_months(iso: str, months: int) -> str:
    d = date.fromisoformat(iso)
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _search(
    cand: _Cand,
    current: Any,
    test: Callable[[Any], bool],
    on: date,
    *,
    exact: bool = True,
) -> list[tuple[str, Any]]:
    """Values of one fact for which ``test(value)`` holds: [(kind, value)], the least change
    per direction."""
    out: list[tuple[str, Any]] = []
    known = current is not UNKNOWN and current is not None
    if cand.kind == "title":
        if test(cand.level):
            out.append(("obtain_title", cand.level))
        return out
    if cand.kind == "bool":
        values = [not current] if isinstance(current, bool) else [True, False]
        for v in values:
            if test(v):
                out.append(("set" if known else "supply", v))
                break
        return out
    if cand.kind == "enum":
        assert cand.fact is not None
        ranked = list(reversed(cand.fact.choices))  # choices are listed highest rank first
        if known and current in ranked:
            here = ranked.index(current)
            order = ranked[here + 1 :] + list(reversed(ranked[:here]))
        else:
            order = ranked
        for v in order:
            if test(v):
                out.append(("set" if known else "supply", v))
                break
        return out
    if cand.kind == "date":
        if not known or not _is_iso_date(current):
            return out
        for sign in cand.directions:
            limit = 600 if sign < 0 else max(0, _months_between(str(current), on))
            k = _min_step(
                lambda m, s=sign: test(_shift_months(str(current), s * m)),
                1,
                limit,
                exact=exact,
            )
            if k is not None:
                out.append(
                    ("decrease" if sign < 0 else "increase", _shift_months(current, sign * k))
                )
        return out
    # numbers
    unit = cand.unit
    if not known:
        return _supply_number(cand, test, exact=exact)
    if not isinstance(current, int | float) or isinstance(current, bool):
        return out
    for sign in cand.directions:
        room = _room(cand, current, sign)
        kcap = int(room / unit + 1e-9)
        k0 = max(1, int(abs(current) / unit / 64))
        k = _min_step(
            lambda k, s=sign: test(_number_value(current, k, s, unit)), k0, kcap, exact=exact
        )
        if k is not None:
            out.append(
                ("increase" if sign > 0 else "decrease", _number_value(current, k, sign, unit))
            )
    return out


def _months_between(iso: str, on: date) -> int:
    d = date.fromisoformat(iso)
    return (on.year - d.year) * 12 + on.month - d.month


def _room(cand: _Cand, current: float, sign: int) -> float:
    """How far a number may move in a direction: to its schema bound, else a generous cap."""
    cap = max(abs(current) * 100, 1e9 if cand.unit == 1 and _is_money(cand) else 10_000)
    if sign > 0:
        return min(cap, cand.hi - current) if cand.hi is not None else cap
    return min(cap, current - cand.lo) if cand.lo is not None else cap


def _is_money(cand: _Cand) -> bool:
    return cand.fact is not None and cand.fact.kind == "money"


def _supply_number(
    cand: _Cand, test: Callable[[Any], bool], *, exact: bool
) -> list[tuple[str, Any]]:
    """An unknown number: the least value that satisfies ``test`` (or the greatest, if small
    values do); reported as kind "supply" with the bound in ``how``."""
    unit = cand.unit
    start = cand.lo if cand.lo is not None else 0
    cap = (cand.hi - start) if cand.hi is not None else (1e10 if _is_money(cand) else 10_000)
    kcap = int(cap / unit + 1e-9)
    if test(_number_value(start, 0, 1, unit)):
        # small values pass: find the first failing value above, if any
        k = _min_step(lambda k: not test(_number_value(start, k, 1, unit)), 1, kcap)
        if k is None:
            return [("supply", ("any", _number_value(start, 0, 1, unit)))]
        return [("supply", ("le", _number_value(start, k - 1, 1, unit)))]
    k = _min_step(lambda k: test(_number_value(start, k, 1, unit)), 1, kcap, exact=exact)
    if k is None:
        return []
    return [("supply", ("ge", _number_value(start, k, 1, unit)))]


# --- gaps -----------------------------------------------------------------------------


def _size(kind: str, before: Any, after: Any) -> float:
    if kind in ("increase", "decrease") and isinstance(after, int | float):
        if isinstance(before, int | float) and before != 0:
            return abs(after - before) / abs(before)
        return 1.0
    if kind in ("increase", "decrease") and isinstance(before, str):  # dates: years moved
        return abs(_months_between(before, date.fromisoformat(after))) / 12
    return 1.0


def _money(value: float) -> str:
    if abs(value) >= 10_000:
        wan = value / 10_000
        return f"{int(wan) if float(wan).is_integer() else round(wan, 4)}万元"
    return f"{value:g}元"


def _show(cand: _Cand, value: Any) -> str:
    if cand.kind == "enum":
        return ENUM_ZH.get(cand.path, {}).get(value, str(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if _is_money(cand) and isinstance(value, int | float):
        return _money(value)
    if cand.fact is not None and cand.fact.kind == "ratio" and isinstance(value, int | float):
        return f"{round(value * 100, 4):g}%"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _phrase(cand: _Cand, kind: str, before: Any, after: Any, on: date) -> str:
    if kind == "obtain_title":
        code = cand.codes[0]
        return f"取得{STANDARD_ZH.get(code, code)}称号"
    label = _label(cand.path, on)
    if kind == "supply":
        if isinstance(after, tuple):
            how, value = after
            if how == "any":
                return f"补充{label}"
            word = "不低于" if how == "ge" else "不高于"
            return f"补充{label}（{word}{_show(cand, value)}）"
        return f"补充{label}（{_show(cand, after)}）"
    if cand.kind == "date":
        return f"{label}{'提前' if kind == 'decrease' else '推后'}至{after}"
    if kind == "set":
        return f"{label}改为{_show(cand, after)}"
    verb = "增至" if kind == "increase" else "降至"
    return f"{label}{verb}{_show(cand, after)}"


def _outcome_phrase(standard: str) -> str:
    if standard == "sme_size":
        return "划为中小企业"
    name = STANDARD_ZH.get(standard, standard)
    return f"{name}{'评价' if standard == 'innovative_sme' else '认定'}通过"


def _change_dict(cand: _Cand, kind: str, before: Any, after: Any) -> dict[str, Any]:
    if kind == "obtain_title":
        return {"fact": TITLES, "from": None, "to": cand.codes[0], "change": None}
    if kind == "supply":
        value = after[1] if isinstance(after, tuple) else after
        return {"fact": cand.path, "from": None, "to": value, "change": None}
    change: Any = None
    if isinstance(after, int | float) and isinstance(before, int | float):
        change = after - before
        if isinstance(change, float):
            change = round(change, 6)
            if change.is_integer() and cand.unit == 1:
                change = int(change)
    elif cand.kind == "date":
        change = _months_between(before, date.fromisoformat(after))
        change = -change  # months moved (negative = earlier)
    return {"fact": cand.path, "from": before, "to": after, "change": change}


def _stored_value(kind: str, cand: _Cand, after: Any) -> Any:
    """The value written into the facts for a change."""
    if kind == "supply" and isinstance(after, tuple):
        return after[1]
    return after


@dataclass
class _Step:
    cand: _Cand
    kind: str
    before: Any
    after: Any

    @property
    def key(self) -> str:
        return self.cand.path

    @property
    def stored(self) -> Any:
        return _stored_value(self.kind, self.cand, self.after)

    @property
    def size(self) -> float:
        return _size(self.kind, self.before, self.after)


def _gap(steps: list[_Step], standard: str, on: date, prefix: str = "") -> dict[str, Any]:
    phrases = "，".join(_phrase(s.cand, s.kind, s.before, s.after, on) for s in steps)
    effect = f"{prefix}{phrases}后，{_outcome_phrase(standard)}"
    if len(steps) == 1:
        s = steps[0]
        return {
            **_change_dict(s.cand, s.kind, s.before, s.after),
            "effect": effect,
            "kind": s.kind,
            "size": round(s.size, 6),
            "verified": True,
            "outcome_after": "pass",
        }
    changes = [_change_dict(s.cand, s.kind, s.before, s.after) for s in steps]
    first = changes[0]
    return {
        "fact": first["fact"],
        "from": first["from"],
        "to": first["to"],
        "change": first["change"],
        "changes": changes,
        "effect": effect,
        "kind": "plan",
        "size": round(sum(s.size for s in steps), 6),
        "verified": True,
        "outcome_after": "pass",
    }


def _sort_key(gap: Mapping[str, Any]) -> tuple[float, int, str]:
    return (gap["size"], KIND_RANK.get(gap["kind"], 9), str(gap["fact"]))


def _changes_of(steps: Iterable[_Step], base: Iterable[Change] = ()) -> list[Change]:
    return [*base, *((s.key, s.stored) for s in steps)]


def _current(data: Mapping[str, Any], cand: _Cand) -> Any:
    if cand.kind == "title":
        return None
    value = Facts(data).get(cand.path)
    if isinstance(value, Decimal):  # registry money
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _single_gaps(runner: _Runner, cands: list[_Cand], base: list[Change]) -> list[list[_Step]]:
    found = []
    for cand in cands:
        current = _current(runner.data, cand)

        def test(v: Any, c: _Cand = cand) -> bool:
            return runner.passes([*base, (c.path, v)])

        try:
            hits = _search(cand, current, test, runner.on)
        except _OutOfTime:
            break
        for kind, after in hits:
            found.append([_Step(cand, kind, None if kind == "supply" else current, after)])
    return found


def _plan(runner: _Runner, cands: list[_Cand], base: list[Change]) -> list[_Step] | None:
    """Greedy: apply the smallest change that most improves progress, up to MAX_PLAN_FACTS
    facts; then trim each change back to the least that keeps the plan passing."""
    try:
        steps = _greedy(runner, cands, base)
        if steps is None or not runner.passes(_changes_of(steps, base)):
            return None
        return _trim(runner, steps, base)
    except _OutOfTime:
        return None


def _greedy(runner: _Runner, cands: list[_Cand], base: list[Change]) -> list[_Step] | None:
    steps: dict[str, _Step] = {}
    for _ in range(MAX_PLAN_ROUNDS):
        fixed = _changes_of(steps.values(), base)
        now = runner.result(fixed)
        if now.outcome == "pass":
            break
        here = _progress(now)
        best: tuple[tuple[int, int, float], float, _Step] | None = None
        for cand in cands:
            if cand.path not in steps and len(steps) >= MAX_PLAN_FACTS:
                continue
            if cand.path in steps and cand.kind in ("title", "bool", "enum"):
                continue
            start = steps[cand.path].stored if cand.path in steps else _current(runner.data, cand)
            others = [c for c in fixed if c[0] != cand.path]

            def progress(v: Any, c: _Cand = cand, o: list[Change] = others) -> tuple:
                return _progress(runner.result([*o, (c.path, v)]))

            def better(v: Any, h: tuple = here, p: Callable[[Any], tuple] = progress) -> bool:
                return p(v) > h

            for kind, after in _search(cand, start, better, runner.on, exact=False):
                original = steps[cand.path].before if cand.path in steps else start
                if cand.path in steps:
                    kind = steps[cand.path].kind
                step = _Step(cand, kind, None if kind == "supply" else original, after)
                got = progress(step.stored)
                if best is None or (got, -step.size) > (best[0], best[1]):
                    best = (got, -step.size, step)
        if best is None:
            return None
        steps[best[2].key] = best[2]
    return list(steps.values())


def _trim_supplied(runner: _Runner, steps: list[_Step], i: int, base: list[Change]) -> _Step:
    """A supplied lower bound found while the rest of the plan was not yet in place ("不低于
    100") comes down to the least value that keeps the whole plan passing ("不低于50")."""
    step = steps[i]
    others = _changes_of(steps[:i] + steps[i + 1 :], base)
    unit = step.cand.unit
    start = step.cand.lo if step.cand.lo is not None else 0
    top = step.after[1]

    def value(k: int) -> Any:
        return _number_value(start, k, 1, unit)

    span = round((top - start) / unit)
    if runner.passes([*others, (step.key, value(0))]):
        return _Step(step.cand, step.kind, step.before, ("ge", value(0)))
    k = _min_step(lambda k: runner.passes([*others, (step.key, value(k))]), 1, span)
    return step if k is None else _Step(step.cand, step.kind, step.before, ("ge", value(k)))


def _trim(runner: _Runner, steps: list[_Step], base: list[Change]) -> list[_Step]:
    """Make each numeric change of a passing plan minimal, the others held fixed; then drop
    changes the plan does not need."""
    out = list(steps)
    for i, step in enumerate(out):
        if step.kind == "supply" and isinstance(step.after, tuple) and step.after[0] == "ge":
            out[i] = _trim_supplied(runner, out, i, base)
            continue
        if step.kind not in ("increase", "decrease") or step.cand.kind != "number":
            continue
        others = _changes_of(out[:i] + out[i + 1 :], base)
        sign = 1 if step.kind == "increase" else -1
        unit = step.cand.unit

        def value(k: int, st: _Step = step, sg: int = sign, u: float = unit) -> Any:
            return _number_value(st.before, k, sg, u)

        span = round(abs(step.after - step.before) / unit)
        k = _min_step(lambda k, o=others, st=step: runner.passes([*o, (st.key, value(k))]), 1, span)
        if k is not None:
            out[i] = _Step(step.cand, step.kind, step.before, value(k))
    for step in list(out):
        rest = [s for s in out if s is not step]
        if rest and runner.passes(_changes_of(rest, base)):
            out = rest
    return out


def _search_gaps(
    data: Mapping[str, Any],
    book: Rulebook,
    on: date,
    books: tuple[Rulebook, ...] | None,
    result: Result,
    *,
    base: list[Change] | None = None,
    prefix: str = "",
    budget: int | None = None,
) -> list[dict[str, Any]]:
    base = base or []
    runner = _Runner(data, book, on, books, budget)
    changed = Facts(apply_changes(data, base, on))
    cands = _candidates(book, changed, on, books, result)
    # Every failed eligibility check must be fixed: if one reads no changeable fact (e.g. the
    # industry code), nothing can pass; a single change must touch all of them.
    single = cands
    for check in result.checks:
        if check.code in book.requires and check.passed is False:
            col = _Collector(changed, on, books)
            col.check(book, check.code, 1)
            if not col.cands:
                return []
            single = [c for c in single if c.path in col.cands]
    found = _single_gaps(runner, single, base)
    if not found:
        plan = _plan(runner, cands, base)
        found = [plan] if plan else []
    gaps = []
    for steps in found:
        if runner.verify(_changes_of(steps, base)):
            gaps.append(_gap(steps, book.standard, on, prefix))
    gaps.sort(key=_sort_key)
    return gaps


def find_gaps(
    facts: Mapping[str, Any] | Facts,
    result_or_standard: Result | str,
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    limit: int = 5,
    budget: int | None = BUDGET,
) -> tuple[dict[str, Any], ...]:
    """The smallest verified changes of ``facts`` that turn the result into a pass (fail /
    undetermined), or that pass the next rung of the ladder (pass). At most ``limit``.

    ``budget`` bounds the search by the number of engine evaluations (None: no bound); when it
    runs out, the gaps found so far are returned (each still verified)."""
    from .engine import assess

    books = None if rulebooks is None else tuple(rulebooks)
    data = facts.data if isinstance(facts, Facts) else facts
    f = Facts(data)
    if isinstance(result_or_standard, Result):
        result = result_or_standard
    else:
        result = assess(f, result_or_standard, on, rulebooks=books)
    division = f.get("division_code")
    division = division if isinstance(division, str) else None
    if result.outcome != "pass":
        book = rulebook_for(result.standard, on, books, division)
        return tuple(_search_gaps(data, book, on, books, result, budget=budget)[:limit])

    nxt = NEXT_RUNG.get(result.standard)
    if nxt is None:
        return ()
    try:
        nbook = rulebook_for(nxt, on, books, division)
    except LookupError:
        return ()
    title: Change = (f"{TITLES}:{result.standard}", TITLE_LEVEL.get(result.standard))
    runner = _Runner(data, nbook, on, books)
    after_title = runner.result([title])
    held = STANDARD_ZH.get(result.standard, result.standard)
    if after_title.outcome == "pass":
        cand = _Cand(title[0], "title", {1}, codes=(result.standard,), level=title[1])
        if not runner.verify([title]):
            return ()
        gap = _gap([_Step(cand, "obtain_title", None, title[1])], nxt, on)
        return ({**gap, "standard": nxt},)
    prefix = f"取得{held}称号并"
    gaps = _search_gaps(
        data, nbook, on, books, after_title, base=[title], prefix=prefix, budget=budget
    )
    return tuple({**g, "standard": nxt} for g in gaps[:limit])


__all__ = ["NEXT_RUNG", "apply_changes", "find_gaps"]
