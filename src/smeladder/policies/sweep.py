"""The full sweep: every published item × every firm, set-based, stored as one compact row per
item (ItemMatchSet; the encoding is in match_sets.py).

How, and why this way. 20,000 items × 100,000 firms is two billion pairs. Measured on the
benchmark's registry (100,000 firms, 20,560 generated items; 2 cores shared with other jobs):

- the per-pair Python engine (``matching.result_for``) manages some 10⁴–10⁵ pairs/s: hours;
- one item compiled to SQL (``standards.sql.select_expression_sql``, the standards compiler)
  and run on SQLite over all firms took 1.9 s (R&D subsidy: figures and a ratio), 2.0 s (title
  newly granted) and 8.4 s (size class + a flag) — even once per distinct eligibility that is
  over ten minutes, and per item many hours; DuckDB would need the registry copied into it first
  and still one query per item;
- chosen: one column snapshot of the registry in NumPy arrays (firms sorted by division code;
  each table read once, all its columns, one SELECT per table and year — as the screening's
  NumPy baseline does), and each eligibility evaluated as vectorised three-valued logic over
  just the firms its document's regions cover (a contiguous slice of the sorted firms). Items
  written from one template share their eligibility and regions exactly (20,560 generated items
  have 421 distinct ones), so each distinct eligibility is evaluated once and its items only add
  their amounts (each distinct benefit once) and manual conditions. Bench, 2026-11-30, load
  average 6–11 on the 2 cores: all 18,565 open items × 100,000 firms evaluate in 13–28 s.

The evaluation mirrors checks.py operator by operator:

- a condition is two boolean arrays (surely true, surely false; neither = unknown), numbers are
  float arrays with NaN for unknown — Kleene's AND/OR/NOT on the pairs, comparisons only where
  both sides are known, a ratio with a zero denominator unknown and named "… (is 0)";
- the facts a result waits on are tracked per fact as a mask of the firms for which it is still
  missing, cleared wherever the node is decided — exactly the rule of ``checks.evaluate``, so
  stored ``missing`` equals what ``match_enterprise`` lists (tested pair for pair);
- titles and pools are complete records in the registry: one boolean array per (codes, levels,
  granted_in) spec from one read of each table; the size class is the sme_size rulebook's
  classification vectorised the same way (engine._classify's ladder).

An operator without a vectorised form (``exists``, date spans, bands, cases, another standard)
sends that item to the per-firm Python engine over its slice — correct, slower, rare (the demo
library uses none). Amounts are vectorised too (fixed, formula with cap/floor, tiered). Stored
amount: the exact amount, NaN when it is a range or non-monetary.

Storing. About 30 % of all pairs pass or are undetermined (generic items apply to most firms,
and facts the registry lacks leave many undetermined): 139.5 M pass + 468 M undetermined on the
benchmark registry. One row per pair (the former PolicyMatch) wrote 5,800 rows/s — about 29 h.
So each item is one row: its passing and its undetermined firms' ids (sorted, delta-encoded,
zlib), their amounts (one value when all equal) and, per firm, an index into the item's few
distinct lists of facts waited on. Items sharing an eligibility share their firms, so those are
sorted and compressed once per eligibility. The full sweep writes its rows in batches of 200 in
one transaction (delete + insert); it reads back only the previous pass column to find the
firms that newly pass (equal bytes: none), which ``pushes.notify_new_matches`` is handed.
Bench (same run as above): 18,565 rows, 698 MB, evaluation and writing together 43–75 s
(goal ≤ 120 s: met). Decoding one item's set for the 免申即享 page takes ~20 ms.

Incremental: a document's items are recomputed whole (``document_ids``); changed firms
(``enterprise_ids``) are computed — a few through the per-firm engine, more through a snapshot
of just them — and patched into every stored set (removed, then their new outcome put in;
sets where their outcome did not change are not rewritten). Finding them means reading every
set: the bench measured 29 s for one firm and 54 s for 200 at this size, hence a background job
(``matching.patch_enterprises``). Since then long columns are stored in blocks of 4,096 firms,
so finding a firm decodes one block per column, not the whole set (synthetic sets of 33,000
firms: 1.07 → 0.39 ms per set; not re-benched)."""

from __future__ import annotations

import bisect
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from smeladder.registry.interchange.schema import ANNUAL_FACTS, ENTERPRISE_FACTS
from smeladder.standards.checks import RuleError, named_date
from smeladder.standards.facts import Facts, last_fiscal_year, resolve_period
from smeladder.standards.rulebook import NoRulebookInForce, rulebook_for

from .eligibility import ITEM_FIELDS, PreparedItem, prepare, published_items_qs
from .match_sets import MatchSet, decode_firms, decode_ids

_TOP = {f.path: f for f in ENTERPRISE_FACTS}
_ANNUAL = {f.key: f for f in ANNUAL_FACTS}
_NUMERIC = frozenset({"money", "ratio", "int", "year", "score", "bool"})
CHUNK = 2000


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: str) -> str:
    from smeladder.registry import models as registry

    return _qn(getattr(registry, model)._meta.db_table)


class Fallback(Exception):
    """An operator without a vectorised form: evaluate this item per firm."""


# --- values ---------------------------------------------------------------------------------


@dataclass
class V:
    kind: str  # "bool" (a = surely true, b = surely false), "num" (a), "text" (a), "lit" (a)
    a: Any
    b: Any = None
    miss: dict[str, np.ndarray] = field(default_factory=dict)


def _union(parts: Iterable[V], undecided: np.ndarray | None) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for p in parts:
        for path, mask in p.miss.items():
            out[path] = out[path] | mask if path in out else mask
    if undecided is None:
        return out
    kept = {}
    for path, mask in out.items():
        m = mask & undecided
        if m.any():
            kept[path] = m
    return kept


# --- the registry as arrays -----------------------------------------------------------------


def _float(value: Any) -> float:
    if value is None:
        return np.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return float(value) if isinstance(value, Decimal | int | float) else np.nan


class Snapshot:
    """Firms sorted by division code, with their facts read column by column on demand."""

    def __init__(self, on: date, enterprise_ids: Iterable[int] | None = None) -> None:
        self.on = on
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, division_code FROM {_table('Enterprise')}")
            rows = list(cursor.fetchall())  # MySQLdb gives a tuple
        if enterprise_ids is not None:
            wanted = set(enterprise_ids)
            rows = [r for r in rows if r[0] in wanted]
        rows.sort(key=lambda r: (r[1] or "", r[0]))
        self.n = len(rows)
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.divisions = [r[1] or "" for r in rows]
        self._sorted_ids = np.sort(self.ids)
        self._order = np.argsort(self.ids, kind="stable")
        self._num: dict[str, np.ndarray] = {}
        self._text: dict[str, np.ndarray] = {}
        self._titles: dict[str, np.ndarray] | None = None
        self._pools: dict[str, np.ndarray] | None = None
        self._specs: dict[str, np.ndarray] = {}
        self._size: tuple[np.ndarray, dict[str, np.ndarray]] | None = None
        self._masks: dict[Any, np.ndarray] = {}

    def known_text(self, path: str) -> np.ndarray:
        key = ("known", path)
        if key not in self._masks:
            _kind, arr = self.fact(path)
            self._masks[key] = np.array([x is not None for x in arr], dtype=bool)
        return self._masks[key]

    def starts(self, path: str, prefixes: tuple[str, ...]) -> np.ndarray:
        key = ("starts", path, prefixes)
        if key not in self._masks:
            _kind, arr = self.fact(path)
            self._masks[key] = np.array(
                [x is not None and x.startswith(prefixes) for x in arr], dtype=bool
            )
        return self._masks[key]

    def text_in(self, path: str, choices: tuple[Any, ...]) -> np.ndarray:
        """Whether the text fact is one of ``choices`` (False where unknown), every firm."""
        key = ("in", path, choices)
        if key not in self._masks:
            _kind, arr = self.fact(path)
            wanted = set(choices)
            self._masks[key] = np.array([x is not None and x in wanted for x in arr], dtype=bool)
        return self._masks[key]

    def size_in(self, classes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """(class known, class among ``classes``) for every firm."""
        key = ("size", classes)
        if key not in self._masks:
            values, _missing = self.size_class()
            known = np.array([c is not None for c in values], dtype=bool)
            self._masks[("size_known",)] = known
            self._masks[key] = known & np.array([c in classes for c in values], dtype=bool)
        return self._masks[("size_known",)], self._masks[key]

    # positions of enterprise ids (-1: not in this snapshot)
    def positions(self, ids: np.ndarray) -> np.ndarray:
        if self.n == 0 or len(ids) == 0:
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.searchsorted(self._sorted_ids, ids)
        at = np.clip(at, 0, self.n - 1)
        found = self._sorted_ids[at] == ids
        return np.where(found, self._order[at], -1)

    def region(self, regions: tuple[str, ...]) -> np.ndarray | slice:
        """The firms a document covers: one slice per prefix of the sorted division codes."""
        if not regions:
            return slice(0, self.n)
        parts = []
        for prefix in sorted(set(regions)):
            lo = bisect.bisect_left(self.divisions, prefix)
            hi = bisect.bisect_left(self.divisions, prefix + "\uffff")
            if hi > lo:
                parts.append((lo, hi))
        parts.sort()
        if len(parts) == 1:
            return slice(*parts[0])
        if not parts:
            return slice(0, 0)
        idx = np.concatenate([np.arange(lo, hi) for lo, hi in parts])
        return np.unique(idx)

    def _select(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _load(self, sql: str, params: list[Any], columns: list[tuple[str, bool]]) -> None:
        """One SELECT (enterprise id first, then ``columns``' values): every column becomes a
        fact array of every firm (NaN / None where the registry has no value)."""
        rows = self._select(sql, params)
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        at = self.positions(ids)
        keep = at >= 0
        for j, (path, numeric) in enumerate(columns, start=1):
            if numeric:
                out = np.full(self.n, np.nan)
                values = np.fromiter((_float(r[j]) for r in rows), float, len(rows))
                out[at[keep]] = values[keep]
                self._num[path] = out
            else:
                out = np.full(self.n, None, dtype=object)
                values = np.empty(len(rows), dtype=object)
                values[:] = [None if r[j] in (None, "") else _text(r[j]) for r in rows]
                out[at[keep]] = values[keep]
                self._text[path] = out

    def fact(self, path: str) -> tuple[str, np.ndarray]:
        """("num" | "text", the fact of every firm); a fact the registry does not hold is
        unknown everywhere. The first fact of a table (or of a year) reads all its columns."""
        if path in self._num:
            return "num", self._num[path]
        if path in self._text:
            return "text", self._text[path]
        parts = path.split(".")
        if path in _TOP:
            facts = list(_TOP.values())
            cols = ", ".join(_qn(f.column) for f in facts)
            self._load(
                f"SELECT id, {cols} FROM {_table('Enterprise')}",
                [],
                [(f.path, f.kind in _NUMERIC) for f in facts],
            )
        elif (
            len(parts) == 3 and parts[0] == "annual" and parts[1].isdigit() and parts[2] in _ANNUAL
        ):
            facts = list(_ANNUAL.values())
            cols = ", ".join(_qn(f.column) for f in facts)
            self._load(
                f"SELECT enterprise_id, {cols} FROM {_table('AnnualFigures')} WHERE year = %s",
                [int(parts[1])],
                [(f"annual.{parts[1]}.{f.key}", True) for f in facts],
            )
        elif (
            len(parts) == 2
            and parts[1].isdigit()
            and parts[0] in ("equity_financing", "platform_score")
        ):
            table, col = (
                (_table("EquityFinancing"), "amount")
                if parts[0] == "equity_financing"
                else (_table("PlatformScore"), "score")
            )
            self._load(
                f"SELECT enterprise_id, {_qn(col)} FROM {table} WHERE year = %s",
                [int(parts[1])],
                [(path, True)],
            )
        if path not in self._num and path not in self._text:
            self._num[path] = np.full(self.n, np.nan)  # not held by the registry: unknown
        if path in self._num:
            return "num", self._num[path]
        return "text", self._text[path]

    def _list_table(self, which: str) -> dict[str, np.ndarray]:
        if which == "titles":
            rows = self._select(
                "SELECT enterprise_id, code, level, valid_from, valid_to, status "
                f"FROM {_table('Title')}",
                [],
            )
            names = ("eid", "code", "level", "start", "end", "status")
        else:
            rows = self._select(
                "SELECT m.enterprise_id, p.code, m.joined_on, m.left_on FROM "
                f"{_table('PoolMembership')} m JOIN {_table('Pool')} p ON p.id = m.pool_id",
                [],
            )
            names = ("eid", "code", "start", "end")
        cols: dict[str, np.ndarray] = {}
        for i, name in enumerate(names[1:], start=1):
            empty = "9999-12-31" if name == "end" else ""  # no end = open-ended
            cols[name] = np.array([_text(r[i]) or empty for r in rows], dtype=str)
            if not len(rows):
                cols[name] = np.zeros(0, dtype="<U10")
        cols["pos"] = self.positions(np.array([r[0] for r in rows], dtype=np.int64))
        return cols

    def title(self, spec: Mapping[str, Any], year: int | None) -> np.ndarray:
        key = repr(("t", sorted(spec["codes"]), sorted(spec.get("levels") or []), year))
        if key not in self._specs:
            if self._titles is None:
                self._titles = self._list_table("titles")
            t, on = self._titles, self.on.isoformat()
            ok = np.isin(t["code"], list(spec["codes"])) & (t["pos"] >= 0)
            if spec.get("levels"):
                ok &= np.isin(t["level"], list(spec["levels"]))
            ok &= t["status"] != "revoked"
            ok &= (t["start"] != "") & (t["start"] <= on) & (t["end"] >= on)
            if year is not None:
                ok &= (t["start"] >= f"{year:04d}-01-01") & (t["start"] <= f"{year:04d}-12-31")
            out = np.zeros(self.n, dtype=bool)
            out[t["pos"][ok]] = True
            self._specs[key] = out
        return self._specs[key]

    def pool(self, codes: Iterable[str]) -> np.ndarray:
        key = repr(("p", sorted(codes)))
        if key not in self._specs:
            if self._pools is None:
                self._pools = self._list_table("pools")
            p, on = self._pools, self.on.isoformat()
            ok = np.isin(p["code"], list(codes)) & (p["pos"] >= 0)
            ok &= (p["start"] != "") & (p["start"] <= on) & (p["end"] > on)
            out = np.zeros(self.n, dtype=bool)
            out[p["pos"][ok]] = True
            self._specs[key] = out
        return self._specs[key]

    def size_class(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The sme_size class of every firm (None = undecided) and the facts it waits on."""
        if self._size is None:
            self._size = _classify(self)
        return self._size


def _text(value: Any) -> Any:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _classify(snap: Snapshot) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """engine._classify over arrays: per industry group the highest class whose floors are all
    met; a class whose floors are unknown leaves the class undecided (and names their facts)."""
    n = snap.n
    classes = np.full(n, None, dtype=object)
    missing: dict[str, np.ndarray] = {}
    try:
        book = rulebook_for("sme_size", snap.on)
    except LookupError:
        return classes, {"size_class": np.ones(n, dtype=bool)}
    cls = book.classification
    assert cls is not None
    _kind, code = snap.fact(str(cls["group_by"]["fact"]))
    known_code = np.array([c is not None for c in code], dtype=bool)
    if not known_code.all():
        missing["industry_code"] = ~known_code
    prefixes = sorted(
        ((p, g) for g in cls["groups"] for p in g.get("industry_codes", ())),
        key=lambda pg: -len(pg[0]),
    )
    group_of = np.full(n, cls["default_group"], dtype=object)
    assigned = ~known_code
    for prefix, group in prefixes:
        hit = ~assigned & np.array([c is not None and c.startswith(prefix) for c in code])
        group_of[hit] = group["code"]
        assigned |= hit
    measures = {
        m: snap.fact(resolve_period(spec["fact"], snap.on))[1]
        for m, spec in cls["measures"].items()
    }
    paths = {m: resolve_period(spec["fact"], snap.on) for m, spec in cls["measures"].items()}
    for group in cls["groups"]:
        rows = known_code & (group_of == group["code"])
        if not rows.any():
            continue
        decided = np.zeros(n, dtype=bool)
        possible_first = np.full(n, None, dtype=object)
        n_possible = np.zeros(n, dtype=np.int64)
        for klass in cls["order"]:
            floors = group["classes"][klass]
            t = np.ones(n, dtype=bool)
            f = np.zeros(n, dtype=bool)
            unknown_of: dict[str, np.ndarray] = {}
            for m, floor in floors.items():
                x = measures[m]
                k = ~np.isnan(x)
                limit = floor * cls["measures"][m].get("scale", 1)
                with np.errstate(invalid="ignore"):
                    ge = k & (x >= limit)
                    lt = k & (x < limit)
                t &= ge
                f |= lt
                unknown_of[paths[m]] = ~k
            unknown = ~t & ~f
            open_ = rows & ~decided
            maybe = open_ & unknown
            for path, mask in unknown_of.items():
                m = maybe & mask
                if m.any():
                    missing[path] = missing[path] | m if path in missing else m
            take = open_ & (unknown | t)
            possible_first[take & (n_possible == 0)] = klass
            n_possible[take] += 1
            decided |= open_ & t
        rest = rows & ~decided
        possible_first[rest & (n_possible == 0)] = cls["else"]
        n_possible[rest] += 1
        single = rows & (n_possible == 1)
        classes[single] = possible_first[single]
        for path in list(missing):
            missing[path] = missing[path] & ~single
    undecided = np.array([c is None for c in classes], dtype=bool)
    missing = {p: m & undecided for p, m in missing.items() if (m & undecided).any()}
    return classes, missing


# --- the vectorised evaluator ---------------------------------------------------------------


def _cmp(op: str, x: np.ndarray, y: Any) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return {
            "ge": np.greater_equal,
            "gt": np.greater,
            "le": np.less_equal,
            "lt": np.less,
            "eq": np.equal,
            "ne": np.not_equal,
        }[op](x, y)


class Vec:
    """Evaluate an expression for the firms ``rows`` (a slice or positions) of a snapshot."""

    def __init__(self, snap: Snapshot, rows: slice | np.ndarray) -> None:
        self.snap = snap
        self.rows = rows
        self.n = (rows.stop - rows.start) if isinstance(rows, slice) else len(rows)

    def ones(self, value: bool) -> np.ndarray:
        return np.full(self.n, value, dtype=bool)

    def as_bool(self, v: V) -> V:
        if v.kind == "bool":
            return v
        if v.kind == "lit":
            if v.a is None:
                return V("bool", self.ones(False), self.ones(False))
            return V("bool", self.ones(bool(v.a)), self.ones(not v.a))
        if v.kind == "num":  # a flag read as a fact: 1.0 / 0.0 / NaN
            known = ~np.isnan(v.a)
            return V("bool", known & (v.a != 0), known & (v.a == 0), v.miss)
        raise Fallback("text as a condition")

    def as_num(self, v: V) -> np.ndarray:
        if v.kind == "num":
            return v.a
        if v.kind == "lit":
            if v.a is None or isinstance(v.a, str):
                raise Fallback("not a number")
            return np.full(self.n, float(v.a))
        if v.kind == "bool":
            return np.where(v.a, 1.0, np.where(v.b, 0.0, np.nan))
        raise Fallback("text as a number")

    def ev(self, expr: Any) -> V:
        if isinstance(expr, Mapping):
            if len(expr) != 1:
                raise RuleError(f"an expression has exactly one operator, got {sorted(expr)}")
            (op, arg), *_ = expr.items()
            method = getattr(self, f"op_{op}", None)
            if method is None:
                if op in ("ge", "gt", "le", "lt", "eq", "ne"):
                    return self.compare(op, arg)
                raise Fallback(op)
            return method(arg)
        if isinstance(expr, list):
            raise RuleError("a bare list is not an expression")
        return V("lit", expr)

    def op_fact(self, arg: Any) -> V:
        path = resolve_period(str(arg), self.snap.on)
        kind, arr = self.snap.fact(path)
        values = arr[self.rows]
        unknown = np.isnan(values) if kind == "num" else ~self.snap.known_text(path)[self.rows]
        miss = {path: unknown} if unknown.any() else {}
        v = V(kind, values, None, miss)
        v.path = path  # type: ignore[attr-defined]
        return v

    def op_year(self, arg: Any) -> V:
        text = str(arg)
        if text == "L":
            return V("lit", last_fiscal_year(self.snap.on))
        if text.startswith("L-"):
            return V("lit", last_fiscal_year(self.snap.on) - int(text[2:]))
        raise RuleError(f"bad year {arg!r}")

    def op_date(self, arg: Any) -> V:
        return V("lit", named_date(arg, self.snap.on).isoformat())

    def _arith(self, args: list[Any], fn: Any) -> V:
        parts = [self.ev(a) for a in args]
        if all(p.kind == "lit" for p in parts):
            raise Fallback("constant arithmetic")  # rare; Python gets it exactly
        values = [self.as_num(p) for p in parts]
        out = values[0]
        for x in values[1:]:
            out = fn(out, x)
        return V("num", out, None, _union(parts, np.isnan(out)))

    def op_sum(self, arg: Any) -> V:
        return self._arith(arg, np.add)

    def op_sub(self, arg: Any) -> V:
        return self._arith(arg, np.subtract)

    def op_mul(self, arg: Any) -> V:
        if len(arg) < 2:
            raise RuleError('"mul" takes two or more operands')
        return self._arith(arg, np.multiply)

    def _extreme(self, arg: Any, fn: Any) -> V:
        parts = [self.ev(a) for a in arg]
        values = np.vstack([self.as_num(p) for p in parts])
        unknown = np.isnan(values).any(axis=0)
        with np.errstate(invalid="ignore"):
            out = np.where(unknown, np.nan, fn(values, axis=0))
        return V("num", out, None, _union(parts, unknown))

    def op_max(self, arg: Any) -> V:
        return self._extreme(arg, np.nanmax)

    def op_min(self, arg: Any) -> V:
        return self._extreme(arg, np.nanmin)

    def _divide(self, arg: Any, minus: bool) -> V:
        num_v, den_v = self.ev(arg[0]), self.ev(arg[1])
        num, den = self.as_num(num_v), self.as_num(den_v)
        known = ~np.isnan(num) & ~np.isnan(den)
        zero = known & (den == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(known & ~zero, ((num - den) if minus else num) / den, np.nan)
        miss = _union([num_v, den_v], None)
        if zero.any():
            den_expr = arg[1]
            desc = (
                resolve_period(str(den_expr["fact"]), self.snap.on)
                if isinstance(den_expr, Mapping) and "fact" in den_expr
                else "denominator"
            )
            key = f"{desc} (is 0)"
            miss[key] = miss[key] | zero if key in miss else zero
        return V("num", out, None, _union([V("num", None, None, miss)], np.isnan(out)))

    def op_ratio(self, arg: Any) -> V:
        return self._divide(arg, False)

    def op_growth(self, arg: Any) -> V:
        return self._divide(arg, True)

    def compare(self, op: str, arg: Any) -> V:
        left, right = self.ev(arg[0]), self.ev(arg[1])
        if left.kind == "lit" and right.kind == "lit":
            raise Fallback("constant comparison")
        if left.kind == "text" or right.kind == "text":
            if op not in ("eq", "ne"):
                raise Fallback("ordering texts")
            fact, lit = (left, right) if left.kind == "text" else (right, left)
            path = getattr(fact, "path", None)
            if lit.kind == "lit" and isinstance(lit.a, str) and path is not None:
                known = self.snap.known_text(path)[self.rows]
                eq = self.snap.text_in(path, (lit.a,))[self.rows]
                t = known & (eq if op == "eq" else ~eq)
                f = known & ~t
                return V("bool", t, f, _union([fact], ~known))
            a = left.a if left.kind == "text" else np.full(self.n, left.a, dtype=object)
            b = right.a if right.kind == "text" else np.full(self.n, right.a, dtype=object)
            pairs = list(zip(a, b, strict=True))
            known = np.array([x is not None and y is not None for x, y in pairs], dtype=bool)
            eq = np.array([x == y for x, y in pairs], dtype=bool)
            t = known & (eq if op == "eq" else ~eq)
            f = known & ~t
        else:
            if (left.kind == "lit" and left.a is None) or (right.kind == "lit" and right.a is None):
                raise Fallback("comparison with null")
            x, y = self.as_num(left), self.as_num(right)
            known = ~np.isnan(x) & ~np.isnan(y)
            r = _cmp(op, x, y)
            t, f = known & r, known & ~r
        return V("bool", t, f, _union([left, right], ~t & ~f))

    def op_in(self, arg: Any) -> V:
        left = self.ev(arg[0])
        if left.kind == "lit":
            raise Fallback("constant in")
        choices = list(arg[1])
        if left.kind == "num":
            if any(isinstance(c, str) or c is None for c in choices):
                raise Fallback("mixed in")
            known = ~np.isnan(left.a)
            hit = np.isin(left.a, np.array(choices, dtype=float)) & known
        elif left.kind == "text" and getattr(left, "path", None) is not None:
            path = left.path  # type: ignore[attr-defined]
            known = self.snap.known_text(path)[self.rows]
            hit = self.snap.text_in(path, tuple(choices))[self.rows]
        elif left.kind == "text":
            known = np.array([x is not None for x in left.a], dtype=bool)
            hit = np.isin(left.a, np.array(choices, dtype=object)) & known
        else:
            raise Fallback("condition in")
        return V("bool", hit, known & ~hit, _union([left], ~known))

    def op_within(self, arg: Any) -> V:
        left = self.ev(arg[0])
        if left.kind != "text":
            raise Fallback("within on a non-text")
        prefixes = tuple(str(p) for p in arg[1])
        path = getattr(left, "path", None)
        if path is not None:
            known = self.snap.known_text(path)[self.rows]
            hit = self.snap.starts(path, prefixes)[self.rows]
        else:
            known = np.array([x is not None for x in left.a], dtype=bool)
            hit = np.array([x is not None and x.startswith(prefixes) for x in left.a], dtype=bool)
        return V("bool", hit, known & ~hit, _union([left], ~known))

    def _bools(self, arg: Any) -> list[V]:
        return [self.as_bool(self.ev(a)) for a in arg]

    def op_all(self, arg: Any) -> V:
        parts = self._bools(arg)
        t, f = self.ones(True), self.ones(False)
        for p in parts:
            t &= p.a
            f |= p.b
        return V("bool", t, f, _union(parts, ~t & ~f))

    def op_any(self, arg: Any) -> V:
        parts = self._bools(arg)
        t, f = self.ones(False), self.ones(True)
        for p in parts:
            t |= p.a
            f &= p.b
        return V("bool", t, f, _union(parts, ~t & ~f))

    def op_not(self, arg: Any) -> V:
        p = self.as_bool(self.ev(arg))
        return V("bool", p.b, p.a, p.miss)

    def op_at_least(self, arg: Any) -> V:
        parts = self._bools(arg["of"])
        n = int(arg["n"])
        true = sum((p.a.astype(np.int64) for p in parts), np.zeros(self.n, dtype=np.int64))
        unknown = sum(
            ((~p.a & ~p.b).astype(np.int64) for p in parts), np.zeros(self.n, dtype=np.int64)
        )
        t = true >= n
        f = (true + unknown) < n
        return V("bool", t, f, _union(parts, ~t & ~f))

    def op_title(self, arg: Any) -> V:
        if not isinstance(arg, Mapping) or not arg.get("codes"):
            raise RuleError('"title" takes {"codes": [...]}')
        year = None
        if arg.get("granted_in") is not None:
            y = self.ev(arg["granted_in"])
            if y.kind != "lit" or not isinstance(y.a, int) or isinstance(y.a, bool):
                raise RuleError('"granted_in" must be a year')
            year = y.a
        held = self.snap.title(arg, year)[self.rows]
        return V("bool", held, ~held)

    def op_pool(self, arg: Any) -> V:
        held = self.snap.pool(arg["codes"])[self.rows]
        return V("bool", held, ~held)

    def op_size_class(self, arg: Any) -> V:
        _classes, missing = self.snap.size_class()
        known_all, hit_all = self.snap.size_in(tuple(sorted(str(c) for c in arg)))
        known, hit = known_all[self.rows], hit_all[self.rows]
        miss = {p: m[self.rows] for p, m in missing.items()}
        miss = {p: m for p, m in miss.items() if m.any()}
        return V("bool", hit, known & ~hit, miss)


# --- items over the snapshot ----------------------------------------------------------------


@dataclass
class ItemResult:
    """Firms (positions in the snapshot) that pass or are undetermined, with amounts."""

    item: PreparedItem
    positions: np.ndarray
    passed: np.ndarray  # bool per position: pass (else undetermined)
    amount: np.ndarray  # float, NaN = none / not exact
    sig: np.ndarray  # per position, index into ``sets``
    sets: list[list[str]]  # the distinct lists of facts waited on (sorted)

    def missing_of(self, i: int) -> list[str]:
        return self.sets[int(self.sig[i])]


def _signatures(miss: dict[str, np.ndarray], n: int) -> tuple[np.ndarray, list[list[str]]]:
    """The facts each row waits on, as an index into the few distinct lists (bit-packed: one
    bit per fact path), so no per-row Python list is built."""
    paths = sorted(p for p, m in miss.items() if m.any())
    if not paths:
        return np.zeros(n, np.int64), [[]]
    if len(paths) > 62:
        rows = [tuple(p for p in paths if miss[p][i]) for i in range(n)]
        distinct = {r: k for k, r in enumerate(dict.fromkeys(rows))}
        return np.array([distinct[r] for r in rows], np.int64), [list(r) for r in distinct]
    sig = np.zeros(n, np.int64)
    for k, path in enumerate(paths):
        sig |= miss[path].astype(np.int64) << k
    if len(paths) <= 16:  # a table over every combination: no sort
        present = np.flatnonzero(np.bincount(sig, minlength=1 << len(paths)))
        code = np.full(1 << len(paths), -1, np.int64)
        code[present] = np.arange(len(present))
        uniq, inverse = present, code[sig]
    else:
        uniq, inverse = np.unique(sig, return_inverse=True)
    sets = [[p for k, p in enumerate(paths) if (u >> k) & 1] for u in uniq.tolist()]
    return inverse.astype(np.int64), sets


def _amounts(vec: Vec, benefit: Mapping[str, Any]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Exact amount per firm of ``vec`` (NaN = a range, unknown or non-monetary) and the facts
    it waits on, as benefits.evaluate_benefit."""
    kind = (benefit or {}).get("kind", "none")
    if kind == "fixed":
        value = benefit.get("amount")
        x = np.nan if value is None or isinstance(value, bool) else float(value)
        return np.full(vec.n, x), {}
    if kind == "formula":
        v = vec.ev(benefit["expr"])
        x = vec.as_num(v)
        cap, floor = benefit.get("cap"), benefit.get("floor")
        out = np.maximum(x, 0.0 if floor is None else float(floor))
        if cap is not None:
            out = np.minimum(out, float(cap))
        out = np.where(np.isnan(x), np.nan, out)
        return out, _union([v], np.isnan(x))
    if kind == "tiered":
        out = np.full(vec.n, np.nan)
        open_ = vec.ones(True)
        seen_unknown = vec.ones(False)
        miss: dict[str, np.ndarray] = {}
        for row in benefit.get("table", []):
            c = vec.as_bool(vec.ev(row.get("when", {"all": []})))
            unknown = ~c.a & ~c.b
            for path, mask in c.miss.items():
                m = mask & open_ & unknown
                miss[path] = miss[path] | m if path in miss else m
            amount = row.get("amount")
            exact = open_ & c.a & ~seen_unknown
            if amount is not None:
                out[exact] = float(amount)
            seen_unknown |= open_ & unknown
            open_ &= ~c.a
        # Decided by no row (or a range): no exact amount; facts only where not exact.
        return out, {p: m & np.isnan(out) for p, m in miss.items() if (m & np.isnan(out)).any()}
    return np.full(vec.n, np.nan), {}


@dataclass
class Eligible:
    """One eligibility (with its regions) evaluated once for every item that shares it: the
    firms it does not surely fail, whether they surely pass, and the facts they wait on."""

    rows: np.ndarray  # positions of the firms kept (not surely failing)
    surely: np.ndarray  # bool per kept firm: the condition holds
    miss: dict[str, np.ndarray]  # per fact, the kept firms whose result waits on it
    amounts: dict[str, tuple[np.ndarray, dict[str, np.ndarray]]] = field(default_factory=dict)


def evaluate_eligibility(snap: Snapshot, item: PreparedItem) -> Eligible:
    """Raises Fallback for an operator without a vectorised form."""
    rows = snap.region(item.regions)
    vec = Vec(snap, rows)
    if vec.n == 0:
        return Eligible(np.zeros(0, np.int64), np.zeros(0, bool), {})
    if item.has_condition:
        cond = vec.as_bool(vec.ev(item.eligibility))
        t, f, miss = cond.a, cond.b, cond.miss
    else:
        t, f, miss = vec.ones(True), vec.ones(False), {}
    keep = ~f
    kept = (np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows)[keep]
    surely = t[keep]
    return Eligible(kept, surely, {p: m[keep] & ~surely for p, m in miss.items()})


def item_result(snap: Snapshot, base: Eligible, item: PreparedItem) -> ItemResult:
    """An item of an evaluated eligibility: its amounts (shared by items with the same
    benefit) and outcome (manual conditions make a pass undetermined)."""
    if len(base.rows) == 0:
        return ItemResult(
            item, base.rows, np.zeros(0, bool), np.zeros(0), np.zeros(0, np.int64), [[]]
        )
    key = json.dumps(item.benefit, sort_keys=True, default=str)
    if key not in base.amounts:
        amount, amount_miss = _amounts(Vec(snap, base.rows), item.benefit)
        base.amounts[key] = (amount, amount_miss)
    amount, amount_miss = base.amounts[key]
    passed = base.surely & (not item.manual_conditions)
    all_miss = dict(base.miss)
    for p, m in amount_miss.items():
        all_miss[p] = all_miss[p] | m if p in all_miss else m
    sig, sets = _signatures(all_miss, len(base.rows))
    return ItemResult(item, base.rows, passed, amount, sig, sets)


def evaluate_item_vec(snap: Snapshot, item: PreparedItem) -> ItemResult | None:
    """One item over every firm it covers; None when it needs the per-firm fallback."""
    try:
        return item_result(snap, evaluate_eligibility(snap, item), item)
    except Fallback:
        return None


def evaluate_item_python(snap: Snapshot, item: PreparedItem) -> ItemResult:
    """The per-firm engine over the item's firms (operators without a vectorised form)."""
    from smeladder.registry.interchange.export_facts import enterprise_engine_facts

    from .matching import FAIL, PASS, result_for

    rows = snap.region(item.regions)
    positions = np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows
    kept, passed, amounts, missing = [], [], [], []
    for pos in positions:
        facts = Facts(enterprise_engine_facts(int(snap.ids[pos])))
        m = result_for(item, facts, snap.on)
        if m.outcome == FAIL:
            continue
        kept.append(pos)
        passed.append(m.outcome == PASS)
        exact = m.amount_lo is not None and m.amount_lo == m.amount_hi
        amounts.append(m.amount_lo if exact else np.nan)
        missing.append(list(m.missing))
    distinct = {r: k for k, r in enumerate(dict.fromkeys(tuple(m) for m in missing))}
    return ItemResult(
        item,
        np.array(kept, dtype=np.int64),
        np.array(passed, dtype=bool),
        np.array(amounts, dtype=float),
        np.array([distinct[tuple(m)] for m in missing], dtype=np.int64),
        [list(r) for r in distinct] or [[]],
    )


# --- the sweep ------------------------------------------------------------------------------


@dataclass
class SweepStats:
    items: int = 0
    enterprises: int = 0
    passed: int = 0
    undetermined: int = 0
    fallback_items: int = 0
    new_pairs: int = 0
    seconds: float = 0.0
    evaluate_seconds: float = 0.0
    write_seconds: float = 0.0
    rows_written: int = 0  # ItemMatchSet rows (one per item)
    bytes_written: int = 0  # their encoded firms, amounts and indexes

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _items(on: date, document_ids: list[int] | None) -> list[PreparedItem]:
    if document_ids is not None:
        qs = published_items_qs().filter(document_id__in=document_ids)
        items = prepare(qs.order_by("id").values(*ITEM_FIELDS))
    else:
        items = prepare(published_items_qs().order_by("id").values(*ITEM_FIELDS))
    return [i for i in items if i.current_on(on)]


def compute(
    on: date,
    *,
    enterprise_ids: Iterable[int] | None = None,
    items: list[PreparedItem] | None = None,
    stats: SweepStats | None = None,
) -> Iterable[ItemResult]:
    """Results item by item (generator), for every current published item (or ``items``)."""
    snap = Snapshot(on, enterprise_ids)
    items = _items(on, None) if items is None else items
    if stats is not None:
        stats.items, stats.enterprises = len(items), snap.n
    # Items written from the same template share their eligibility and regions (20,560 demo
    # items have 421 distinct ones): each is evaluated once for all the items sharing it.
    groups: dict[str, list[PreparedItem]] = {}
    for item in items:
        key = json.dumps([item.eligibility, sorted(item.regions)], sort_keys=True, default=str)
        groups.setdefault(key, []).append(item)
    for members in groups.values():
        try:
            base: Eligible | None = evaluate_eligibility(snap, members[0])
        except Fallback:
            base = None
        # one id array per eligibility: items sharing it share their firms (the writer
        # encodes a group's firms once, recognising the array)
        base_ids = snap.ids[base.rows] if base is not None else None
        for item in members:
            result: ItemResult | None = None
            if base is not None:
                try:
                    result = item_result(snap, base, item)
                    result.positions = base_ids
                except Fallback:
                    result = None
            if result is None:
                if stats is not None:
                    stats.fallback_items += 1
                result = evaluate_item_python(snap, item)
                result.positions = snap.ids[result.positions]
            yield result


def _rulebook(on: date) -> str:
    try:
        return rulebook_for("sme_size", on).code
    except NoRulebookInForce:
        return ""


def _missing_sets(r: ItemResult) -> list[list[str]]:
    """The lists a pass (facts its amount waits on) and an undetermined firm (those and the
    item's manual conditions, at index + len(sets)) point to."""
    manual = list(r.item.manual_conditions)
    return list(r.sets) + ([s + manual for s in r.sets] if manual else [])


def as_match_set(r: ItemResult, order: np.ndarray | None = None) -> MatchSet:
    """An item's result as a MatchSet (firms sorted by id; ``order``: the argsort of its ids,
    when known)."""
    if order is None:
        order = np.argsort(r.positions, kind="stable")
    passed = r.passed[order]
    sig = r.sig[order] + np.where(passed | (not r.item.manual_conditions), 0, len(r.sets))
    return MatchSet(r.positions[order], passed, r.amount[order], sig, _missing_sets(r))


class _Writer:
    """Writes the full sweep's rows in batches: the firms of items sharing an eligibility are
    sorted and encoded once (they share the id array), and the previous pass set is read back
    only to find the firms that newly pass (equal bytes: none)."""

    BATCH = 200
    #: a batch's encoded bytes at most (MariaDB's max_allowed_packet is 16–64 MB by default)
    BATCH_BYTES = 8_000_000

    def __init__(self, on: date, stats: SweepStats, keep_pairs: bool = True) -> None:
        self.on, self.stats, self.rulebook = on, stats, _rulebook(on)
        self.keep_pairs = keep_pairs  # False: only count them (no push; memory stays small)
        self.now = timezone.now()
        self.pending: list[tuple[ItemResult, dict[str, Any], np.ndarray]] = []
        self.pending_bytes = 0
        self.new_pairs: list[tuple[int, np.ndarray]] = []
        self.written: set[int] = set()
        self._ids: np.ndarray | None = None
        self._order = np.zeros(0, np.int64)
        self._cache: dict[tuple[bool, str], tuple[dict[str, Any], np.ndarray]] = {}
        self._id_blobs: dict[bool, dict[str, bytes]] = {}

    def _encoded(self, r: ItemResult) -> tuple[dict[str, Any], np.ndarray]:
        if r.positions is not self._ids:
            self._ids, self._cache, self._id_blobs = r.positions, {}, {}
            self._order = np.argsort(r.positions, kind="stable")
        manual = bool(r.item.manual_conditions)
        key = (manual, r.item.benefit_key)
        if key not in self._cache:
            found = as_match_set(r, self._order) if len(self._order) else MatchSet.empty()
            # the firm ids depend only on whether a pass needs a person's judgement: items
            # differing in their benefit alone reuse the group's encoded ids
            fields = found.encode(ids=self._id_blobs.get(manual))
            del fields["missing_sets"]
            self._id_blobs[manual] = {k: v for k, v in fields.items() if k.endswith("_ids")}
            self._cache[key] = (fields, found.ids[found.passed])
        return self._cache[key]

    def add(self, r: ItemResult) -> None:
        fields, passing = self._encoded(r)
        self.pending.append((r, fields, passing))
        self.pending_bytes += sum(len(v) for v in fields.values() if isinstance(v, bytes))
        if len(self.pending) >= self.BATCH or self.pending_bytes >= self.BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        from .models import ItemMatchSet

        if not self.pending:
            return
        ids = [r.item.id for r, _f, _p in self.pending]
        before = dict(
            ItemMatchSet.objects.filter(item_id__in=ids).values_list("item_id", "pass_ids")
        )
        rows = []
        for r, fields, passing in self.pending:
            old = before.get(r.item.id)
            if len(passing) and (old is None or bytes(old) != fields["pass_ids"]):
                fresh = passing[~np.isin(passing, decode_ids(old))]
                self.stats.new_pairs += len(fresh)
                if len(fresh) and self.keep_pairs:
                    self.new_pairs.append((r.item.id, fresh))
            self.stats.passed += fields["n_pass"]
            self.stats.undetermined += fields["n_undetermined"]
            self.stats.bytes_written += sum(len(v) for v in fields.values() if isinstance(v, bytes))
            rows.append(
                ItemMatchSet(
                    item_id=r.item.id,
                    policy_version=r.item.version,
                    rulebook=self.rulebook,
                    computed_on=self.on,
                    computed_at=self.now,
                    missing_sets=_missing_sets(r),
                    **fields,
                )
            )
        ItemMatchSet.objects.filter(item_id__in=ids).delete()
        ItemMatchSet.objects.bulk_create(rows)
        self.stats.rows_written += len(rows)
        self.written.update(ids)
        self.pending, self.pending_bytes = [], 0


def sweep(
    on: date,
    *,
    enterprise_ids: list[int] | None = None,
    document_ids: list[int] | None = None,
    notify: bool = True,
    progress: Any = None,
) -> dict[str, Any]:
    """Recompute and store the matches of a scope: every item × every firm (default), or some
    documents' items × every firm — one ItemMatchSet row per item, written in batches as items
    are evaluated, in one transaction; with ``enterprise_ids``, those firms are patched into
    the stored sets instead. Firms that newly pass are pushed. Returns the counts and where
    the time went."""
    started = time.perf_counter()
    stats = SweepStats()
    if enterprise_ids is not None:
        new = _patch_firms(on, enterprise_ids, document_ids, stats)
        stats.new_pairs = sum(len(firms) for _item, firms in new)
    else:
        new = _store_items(on, document_ids, stats, progress, keep_pairs=notify)
    if notify and new:
        _notify([(item_id, int(f)) for item_id, firms in new for f in firms.tolist()])
    stats.seconds = time.perf_counter() - started
    return stats.as_dict()


def _store_items(
    on: date,
    document_ids: list[int] | None,
    stats: SweepStats,
    progress: Any,
    *,
    keep_pairs: bool,
) -> list[tuple[int, np.ndarray]]:
    """Every item of the scope over every firm, written whole."""
    from .models import ItemMatchSet

    items = _items(on, document_ids)
    writer = _Writer(on, stats, keep_pairs)
    with transaction.atomic():
        results = compute(on, items=items, stats=stats)
        t0 = time.perf_counter()
        for n, r in enumerate(results):
            t1 = time.perf_counter()
            writer.add(r)
            stats.write_seconds += time.perf_counter() - t1
            if progress is not None and n % 500 == 0:
                progress(n, len(items))
        t1 = time.perf_counter()
        writer.flush()
        # the scope's items that are no longer current (expired, unpublished) keep no set
        stored = ItemMatchSet.objects.all()
        if document_ids is not None:
            stored = stored.filter(item__document_id__in=document_ids)
        stale = sorted(set(stored.values_list("item_id", flat=True)) - writer.written)
        for start in range(0, len(stale), CHUNK):
            ItemMatchSet.objects.filter(item_id__in=stale[start : start + CHUNK]).delete()
        stats.write_seconds += time.perf_counter() - t1
        stats.evaluate_seconds = time.perf_counter() - t0 - stats.write_seconds
    return writer.new_pairs


#: up to this many changed firms, the patch computes them with the per-firm engine
#: (``match_enterprise``, ~0.1 s a firm on 18,500 items, equal pair for pair — tested) instead
#: of a registry snapshot, which reads every table whole (seconds at 100,000 firms)
PER_FIRM_LIMIT = 20


def _per_firm(
    on: date, firms: np.ndarray, items: list[PreparedItem]
) -> dict[int, tuple[PreparedItem, MatchSet]]:
    """Each item's outcome for these firms through ``match_enterprise``, in the stored form."""
    from smeladder.registry.models import Enterprise

    from .matching import PASS, match_enterprise

    by_id = {i.id: i for i in items}
    rows: dict[int, list[tuple[int, str, Any, list[str]]]] = {}
    existing = Enterprise.objects.filter(pk__in=firms.tolist()).values_list("pk", flat=True)
    for pk in sorted(existing):  # a deleted firm: in no set any more
        for m in match_enterprise(pk, on):
            if m.item_id not in by_id:
                continue
            exact = m.amount_lo is not None and m.amount_lo == m.amount_hi
            missing = list(m.missing) + ([] if m.outcome == PASS else list(m.manual_conditions))
            rows.setdefault(m.item_id, []).append(
                (pk, m.outcome, m.amount_lo if exact else None, missing)
            )
    return {i: (by_id[i], MatchSet.of_rows(r)) for i, r in rows.items()}


def _patch_firms(
    on: date, enterprise_ids: list[int], document_ids: list[int] | None, stats: SweepStats
) -> list[tuple[int, np.ndarray]]:
    """Some firms × every item (of ``document_ids``): their results computed as in the full
    sweep, then in each stored set those firms are removed and their new outcome put in."""
    from .models import ItemMatchSet

    firms = np.unique(np.asarray(list(enterprise_ids), dtype=np.int64))
    items = _items(on, document_ids)
    t0 = time.perf_counter()
    fresh: dict[int, tuple[PreparedItem, MatchSet]] = {}
    if len(firms) <= PER_FIRM_LIMIT:
        fresh = _per_firm(on, firms, items)
        stats.items, stats.enterprises = len(items), len(firms)
    else:
        for r in compute(on, enterprise_ids=firms.tolist(), items=items, stats=stats):
            fresh[r.item.id] = (r.item, as_match_set(r))
    for _item, found in fresh.values():
        stats.passed += int(found.passed.sum())
        stats.undetermined += int((~found.passed).sum())
    stats.evaluate_seconds = time.perf_counter() - t0
    new_pairs: list[tuple[int, np.ndarray]] = []
    rulebook = _rulebook(on)
    with transaction.atomic():
        t1 = time.perf_counter()
        stored = ItemMatchSet.objects.all()
        if document_ids is not None:
            stored = stored.filter(item__document_id__in=document_ids)
        pks = list(stored.order_by("pk").values_list("pk", flat=True))
        # read in chunks by key, not through an open cursor: the loop writes to the same table
        chunks = (pks[start : start + 200] for start in range(0, len(pks), 200))
        for row in (
            row
            for chunk in chunks
            for row in ItemMatchSet.objects.select_for_update().filter(pk__in=chunk)
        ):
            r_found = fresh.pop(row.item_id, None)
            found = r_found[1] if r_found is not None else MatchSet.empty()
            mine = decode_firms(row, firms)
            if mine.same_as(found):
                continue  # their outcomes did not change (or they are in neither): row stays
            was = mine.ids[mine.passed]
            passing = found.ids[found.passed]
            new_pairs.append((row.item_id, passing[~np.isin(passing, was)]))
            fields = MatchSet.decode(row).without(firms).merged(found).encode()
            ItemMatchSet.objects.filter(pk=row.pk).update(computed_at=timezone.now(), **fields)
            stats.rows_written += 1
        # items never stored before (published since the last sweep): the firms alone
        rows = []
        for item, found in fresh.values():
            if len(found):
                rows.append(
                    ItemMatchSet(
                        item_id=item.id,
                        policy_version=item.version,
                        rulebook=rulebook,
                        computed_on=on,
                        **found.encode(),
                    )
                )
                new_pairs.append((item.id, found.ids[found.passed]))
        ItemMatchSet.objects.bulk_create(rows)
        stats.rows_written += len(rows)
        stats.write_seconds = time.perf_counter() - t1
    return [(i, f) for i, f in new_pairs if len(f)]


def _notify(pairs: list[tuple[int, int]]) -> None:
    try:
        from .pushes import notify_new_matches
    except ImportError:  # the pushes module is optional for the sweep
        return
    notify_new_matches(pairs)


def sweep_documents(docs: Iterable[Any], on: date) -> dict[str, Any]:
    return sweep(on, document_ids=[d.pk for d in docs])
