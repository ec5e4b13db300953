"""The vocabulary of checks.py, compiled to SQL: one method per operator, laid out in levels."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from smeladder.registry.interchange.schema import Fact

from ..checks import RuleError, named_date
from ..facts import last_fiscal_year, resolve_period
from ..logic import COMPARISONS
from ..rulebook import Rulebook, rulebook_for
from .columns import _ANNUAL, _ITEMS, _TOP, Tables, _retarget, _typed
from .values import (
    Bool,
    Lit,
    Num,
    Pts,
    Span,
    SqlUnsupported,
    Text,
    Value,
    _bool,
    _case_bool,
    _is_true,
    _not_false,
    _num,
    _pts,
    _scalar,
    literal,
    q,
)

#: arithmetic worth a column of its own when its SQL is longer than _SHARE_ABOVE characters
_SHARED_ARITHMETIC = frozenset({"ratio", "growth", "sum", "sub"})
_SHARE_ABOVE = 60


@dataclass
class _Layout:
    """The query being built, shared by the compilers of every standard it refers to.

    Level 0 reads each fact once (``f1``, ``f2`` … from the enterprise and the year rows it
    joins); each check becomes a column (``k1`` or ``k1l``/``k1h`` for points) one level above
    the checks it refers to, so a check used ten times is computed once per firm and the SQL
    grows linearly with the rulebook. Levels are derived tables fenced against being merged
    back (see ``FENCES``)."""

    facts: dict[str, tuple[str, Value]] = field(default_factory=dict)  # raw sql → (name, typed)
    joins: dict[str, str] = field(default_factory=dict)
    levels: list[list[tuple[str, str]]] = field(default_factory=list)  # level-1 → (name, sql)
    counter: int = 0
    #: another standard's outcome column ({"standard": "sme_size"}), computed once per query
    standards: dict[str, tuple[str, int]] = field(default_factory=dict)
    #: result parts (ok, route, score ends, class) of rulebooks compiled for ``standard``
    parts: dict[str, dict[str, str]] = field(default_factory=dict)
    #: derived figures by their expression (JSON), each computed once per query
    shared: dict[str, tuple[Value, int]] = field(default_factory=dict)
    #: result parts and level of other standards (sme_size for "standard" and "size_class")
    others: dict[str, tuple[dict[str, str], int]] = field(default_factory=dict)

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def column(self, level: int, sql: str, prefix: str = "k") -> str:
        while len(self.levels) < level:
            self.levels.append([])
        name = self.name(prefix)
        self.levels[level - 1].append((name, sql))
        return name


@dataclass
class _Compiler:
    book: Rulebook
    on: date
    tables: Tables
    books: tuple[Rulebook, ...] | None
    band_edge: str
    layout: _Layout = field(default_factory=_Layout)
    _checks: dict[str, tuple[Value, int]] = field(default_factory=dict)
    _item: tuple[str, str, dict[str, Fact]] | None = None  # (list name, alias, facts)
    _level: int = 0  # highest level the expression being compiled refers to
    _top: int = 0  # highest level of a result part's column (``_once``)

    def _join(self, alias: str, table: str, year: int, column: str = "year") -> str:
        if alias not in self.layout.joins:
            self.layout.joins[alias] = (
                f"LEFT JOIN {q(table)} {alias} ON {alias}.{q('enterprise_id')} = e.{q('id')} "
                f"AND {alias}.{q(column)} = {year}"
            )
        return alias

    def _fact_column(self, raw: str, kind: str) -> Value:
        if raw not in self.layout.facts:
            typed = _typed(raw, kind)
            name = self.layout.name("f")
            self.layout.facts[raw] = (name, _retarget(typed, f"s.{name}"))
        return self.layout.facts[raw][1]

    def fact(self, path: str) -> Value:
        if path in _TOP:
            f = _TOP[path]
            return self._fact_column(f"e.{q(f.column)}", f.kind)
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == "annual" and parts[1].isdigit() and parts[2] in _ANNUAL:
            alias = self._join(f"a{parts[1]}", self.tables.annual, int(parts[1]))
            f = _ANNUAL[parts[2]]
            return self._fact_column(f"{alias}.{q(f.column)}", f.kind)
        if len(parts) == 2 and parts[1].isdigit():
            if parts[0] == "equity_financing":
                alias = self._join(f"q{parts[1]}", self.tables.equity, int(parts[1]))
                return self._fact_column(f"{alias}.{q('amount')}", "money")
            if parts[0] == "platform_score":
                alias = self._join(f"p{parts[1]}", self.tables.platform, int(parts[1]))
                return self._fact_column(f"{alias}.{q('score')}", "money")
        # A fact the registry does not hold (expert scores, valuations): unknown.
        return Lit(None)

    # --- the vocabulary --------------------------------------------------------------------

    def compile(self, expr: Any) -> Value:
        if isinstance(expr, Mapping):
            if len(expr) != 1:
                raise RuleError(f"an expression has exactly one operator, got {sorted(expr)}")
            (op, arg), *_ = expr.items()
            method = getattr(self, f"op_{op}", None)
            if method is None:
                if op in COMPARISONS:
                    return self.compare(op, arg)
                raise SqlUnsupported(f"operator {op!r} has no SQL form")
            if op in _SHARED_ARITHMETIC and self._item is None:
                return self._shared(expr, method, arg)
            return method(arg)
        if isinstance(expr, list):
            raise RuleError(f"a bare list is not an expression: {expr!r}")
        return Lit(expr)

    def _shared(self, expr: Any, method: Any, arg: Any) -> Value:
        """A derived figure (ratio, growth, sum …) that rulebooks repeat in every band, e.g. the
        高企 net-asset growth: computed once per firm in a column of its own, then read."""
        key = json.dumps(expr, sort_keys=True, ensure_ascii=False)
        cache = self.layout.shared
        if key not in cache:
            outer, self._level = self._level, 0
            try:
                value = method(arg)
                level = self._level + 1
            finally:
                self._level = outer
            if isinstance(value, Num) and len(value.sql) > _SHARE_ABOVE:
                cache[key] = (Num(f"s.{self.layout.column(level, value.sql)}"), level)
            else:
                cache[key] = (value, level - 1)
        value, level = cache[key]
        self._level = max(self._level, level)
        return value

    def op_fact(self, arg: Any) -> Value:
        return self.fact(resolve_period(str(arg), self.on))

    def op_item(self, arg: Any) -> Value:
        if self._item is None:
            raise RuleError('"item" used outside "exists"')
        _name, alias, facts = self._item
        if arg not in facts:
            return Lit(None)
        f = facts[arg]
        return _typed(f"{alias}.{q(f.column)}", f.kind)

    def op_year(self, arg: Any) -> Value:
        text = str(arg)
        if text == "L":
            return Lit(last_fiscal_year(self.on))
        if text.startswith("L-"):
            return Lit(last_fiscal_year(self.on) - int(text[2:]))
        raise RuleError(f"bad year {arg!r}")

    def op_date(self, arg: Any) -> Value:
        return Lit(named_date(arg, self.on).isoformat())

    def _two(self, arg: Any) -> tuple[Value, Value]:
        if not isinstance(arg, list) or len(arg) != 2:
            raise RuleError(f"expected two operands, got {arg!r}")
        return self.compile(arg[0]), self.compile(arg[1])

    def op_ratio(self, arg: Any) -> Value:
        a, b = self._two(arg)
        return Num(f"(({_num(a)}) / NULLIF(({_num(b)}), 0))")

    def op_growth(self, arg: Any) -> Value:
        a, b = self._two(arg)
        cur, prev = _num(a), _num(b)
        return Num(f"((({cur}) - ({prev})) / NULLIF(({prev}), 0))")

    def op_sum(self, arg: Any) -> Value:
        values = [self.compile(x) for x in arg]
        if any(isinstance(v, Pts) for v in values):
            pts = [_pts(v) for v in values]
            return Pts(
                "(" + " + ".join(p.lo for p in pts) + ")", "(" + " + ".join(p.hi for p in pts) + ")"
            )
        return Num("(" + " + ".join(f"({_num(v)})" for v in values) + ")")

    def op_sub(self, arg: Any) -> Value:
        a, b = self._two(arg)
        return Num(f"(({_num(a)}) - ({_num(b)}))")

    def op_mul(self, arg: Any) -> Value:
        if not isinstance(arg, list) or len(arg) < 2:
            raise RuleError(f'"mul" takes two or more operands, got {arg!r}')
        values = [self.compile(x) for x in arg]
        return Num("(" + " * ".join(f"({_num(v)})" for v in values) + ")")

    def _extreme(self, arg: Any, bigger: bool) -> Value:
        values = [self.compile(x) for x in arg]
        fn = "GREATEST" if bigger else "LEAST"
        if any(isinstance(v, Pts) for v in values):
            # Points are never NULL, so GREATEST/LEAST (each operand once) are exact here.
            pts = [_pts(v) for v in values]
            return Pts(
                f"{fn}({', '.join(p.lo for p in pts)})", f"{fn}({', '.join(p.hi for p in pts)})"
            )
        # An unknown number leaves the extreme unknown (PostgreSQL's GREATEST would skip it).
        nums = [_num(v) for v in values]
        unknown = " OR ".join(f"({x}) IS NULL" for x in nums)
        return Num(f"(CASE WHEN {unknown} THEN NULL ELSE {fn}({', '.join(nums)}) END)")

    def op_max(self, arg: Any) -> Value:
        return self._extreme(arg, True)

    def op_min(self, arg: Any) -> Value:
        return self._extreme(arg, False)

    def _span(self, unit: str, arg: Any) -> Value:
        a, b = self._two(arg)
        if not (isinstance(a, Text) and isinstance(b, Lit) and isinstance(b.value, str)):
            if isinstance(a, Lit) and a.value is None:
                return Lit(None)
            raise SqlUnsupported(f"{unit}: only from a date fact to a fixed date")
        return Span(unit, a.sql, date.fromisoformat(b.value))

    def op_whole_years(self, arg: Any) -> Value:
        return self._span("years", arg)

    def op_days(self, arg: Any) -> Value:
        return self._span("days", arg)

    def _span_at_least(self, span: Span, n: int) -> str:
        """span >= n, as "the date column is on or before a fixed date"."""
        if span.unit == "days":
            limit = span.to - timedelta(days=n)
        else:
            year = span.to.year - n
            try:
                limit = span.to.replace(year=year)
            except ValueError:  # 29 February in a common year: the last day before it
                limit = date(year, 2, 28)
        return f"({span.column} <= {literal(limit.isoformat())})"

    def _compare_span(self, op: str, span: Span, other: Value) -> Value:
        if not (isinstance(other, Lit) and isinstance(other.value, int | float)):
            raise SqlUnsupported("a date span compares only with a constant")
        x = other.value
        ge = {
            "ge": math.ceil(x),
            "gt": math.floor(x) + 1,
        }
        if op in ge:
            return Bool(self._span_at_least(span, ge[op]))
        if op in ("le", "lt"):
            n = math.floor(x) + 1 if op == "le" else math.ceil(x)
            return Bool(f"(NOT {self._span_at_least(span, n)})")
        if op in ("eq", "ne"):
            if x != int(x):
                never = literal(op == "ne")
                return Bool(f"(CASE WHEN {span.column} IS NULL THEN NULL ELSE {never} END)")
            n = int(x)
            inside = f"({self._span_at_least(span, n)} AND NOT {self._span_at_least(span, n + 1)})"
            return Bool(inside if op == "eq" else f"(NOT {inside})")
        raise RuleError(op)

    def compare(self, op: str, arg: Any) -> Value:
        a, b = self._two(arg)
        sym = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "eq": "=", "ne": "<>"}[op]
        if isinstance(a, Span):
            return self._compare_span(op, a, b)
        if isinstance(b, Span):
            flipped = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt", "eq": "eq", "ne": "ne"}
            return self._compare_span(flipped[op], b, a)
        if isinstance(a, Pts) or isinstance(b, Pts):
            # A plain number is a one-point range; if it is NULL every end compares to NULL.
            x = Pts(a.sql, a.sql) if isinstance(a, Num) else _pts(a)
            y = Pts(b.sql, b.sql) if isinstance(b, Num) else _pts(b)
            ends = [f"(({u}) {sym} ({v}))" for u in (x.lo, x.hi) for v in (y.lo, y.hi)]
            if op in ("eq", "ne"):
                exact = f"(({x.lo}) = ({x.hi}) AND ({y.lo}) = ({y.hi}))"
                return Bool(f"(CASE WHEN {exact} THEN {ends[0]} ELSE NULL END)")
            return Bool(_case_bool(" AND ".join(ends), " AND ".join(f"NOT {e}" for e in ends)))
        if (isinstance(b, Lit) and b.value is None) or (isinstance(a, Lit) and a.value is None):
            if op not in ("eq", "ne"):
                return Lit(None)
            other = a if isinstance(b, Lit) and b.value is None else b
            if isinstance(other, Lit):
                return Lit((other.value is None) == (op == "eq"))
            # NULL in the registry is "not known", never an explicit null: unknown.
            return Bool(
                f"(CASE WHEN ({_scalar(other)}) IS NULL THEN NULL ELSE {literal(op == 'ne')} END)"
            )
        return Bool(f"(({_scalar(a)}) {sym} ({_scalar(b)}))")

    def op_in(self, arg: Any) -> Value:
        if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[1], list):
            raise RuleError(f'"in" takes [value, [choices]], got {arg!r}')
        left = self.compile(arg[0])
        choices = [c for c in arg[1] if c is not None]
        if not choices:
            return Bool(f"(CASE WHEN ({_scalar(left)}) IS NULL THEN NULL ELSE FALSE END)")
        return Bool(f"(({_scalar(left)}) IN ({', '.join(literal(c) for c in choices)}))")

    def op_all(self, arg: Any) -> Value:
        parts = [_bool(self.compile(x)) for x in arg]
        return Bool("(" + " AND ".join(parts) + ")") if parts else Lit(True)

    def op_any(self, arg: Any) -> Value:
        parts = [_bool(self.compile(x)) for x in arg]
        return Bool("(" + " OR ".join(parts) + ")") if parts else Lit(False)

    def op_not(self, arg: Any) -> Value:
        return Bool(f"(NOT {_bool(self.compile(arg))})")

    def op_at_least(self, arg: Any) -> Value:
        parts = [_bool(self.compile(x)) for x in arg["of"]]
        n = int(arg["n"])
        true = " + ".join(f"(CASE WHEN {_is_true(p)} THEN 1 ELSE 0 END)" for p in parts) or "0"
        unknown = " + ".join(f"(CASE WHEN ({p}) IS NULL THEN 1 ELSE 0 END)" for p in parts) or "0"
        return Bool(_case_bool(f"({true}) >= {n}", f"({true}) + ({unknown}) < {n}"))

    def op_exists(self, arg: Any) -> Value:
        name = arg["in"]
        if name not in _ITEMS:
            raise SqlUnsupported(f"no table for list {name!r}")
        table_attr, facts = _ITEMS[name]
        alias = self.layout.name("x")
        saved, self._item = self._item, (name, alias, facts)
        try:
            cond = _bool(self.compile(arg["where"]))
        finally:
            self._item = saved
        sub = (
            f"SELECT 1 FROM {q(getattr(self.tables, table_attr))} {alias} "
            f"WHERE {alias}.{q('enterprise_id')} = s.eid"
        )
        return Bool(
            f"(CASE WHEN EXISTS ({sub} AND {_is_true(cond)}) THEN TRUE "
            f"WHEN EXISTS ({sub} AND ({cond}) IS NULL) THEN NULL ELSE FALSE END)"
        )

    def op_title(self, arg: Any) -> Value:
        on = literal(self.on.isoformat())
        conds = [f"t.{q('code')} IN ({', '.join(literal(c) for c in arg['codes'])})"]
        if arg.get("levels"):
            conds.append(f"t.{q('level')} IN ({', '.join(literal(c) for c in arg['levels'])})")
        conds += [
            f"t.{q('status')} <> 'revoked'",
            f"t.{q('valid_from')} <= {on}",
            f"(t.{q('valid_to')} IS NULL OR t.{q('valid_to')} >= {on})",
        ]
        if arg.get("granted_in") is not None:
            year = self.compile(arg["granted_in"])
            if not (isinstance(year, Lit) and isinstance(year.value, int)):
                raise RuleError(f'"granted_in" must be a year, got {arg["granted_in"]!r}')
            # ISO date strings compare as dates on every backend (as valid_from <= on above)
            conds.append(
                f"t.{q('valid_from')} BETWEEN {literal(f'{year.value:04d}-01-01')} "
                f"AND {literal(f'{year.value:04d}-12-31')}"
            )
        return Bool(
            f"(EXISTS (SELECT 1 FROM {q(self.tables.title)} t "
            f"WHERE t.{q('enterprise_id')} = s.eid AND {' AND '.join(conds)}))"
        )

    def op_pool(self, arg: Any) -> Value:
        """Membership rows are complete records, like titles: no row = not a member."""
        if not isinstance(arg, Mapping) or not arg.get("codes"):
            raise RuleError(f'"pool" takes {{"codes": [...]}}, got {arg!r}')
        on = literal(self.on.isoformat())
        m, p = q(self.tables.pool_membership), q(self.tables.pool)
        return Bool(
            f"(EXISTS (SELECT 1 FROM {m} pm JOIN {p} pl ON pl.{q('id')} = pm.{q('pool_id')} "
            f"WHERE pm.{q('enterprise_id')} = s.eid "
            f"AND pl.{q('code')} IN ({', '.join(literal(c) for c in arg['codes'])}) "
            f"AND pm.{q('joined_on')} <= {on} "
            f"AND (pm.{q('left_on')} IS NULL OR pm.{q('left_on')} > {on})))"
        )

    def op_within(self, arg: Any) -> Value:
        if not isinstance(arg, list) or len(arg) != 2 or not isinstance(arg[1], list):
            raise RuleError(f'"within" takes [value, [prefixes]], got {arg!r}')
        value = _scalar(self.compile(arg[0]))
        if not arg[1]:
            return Bool(f"(CASE WHEN ({value}) IS NULL THEN NULL ELSE FALSE END)")
        likes = " OR ".join(f"({value}) LIKE {literal(str(p) + '%')}" for p in arg[1])
        return Bool(f"({likes})")

    def op_size_class(self, arg: Any) -> Value:
        if not isinstance(arg, list) or not arg:
            raise RuleError(f'"size_class" takes a list of classes, got {arg!r}')
        try:
            parts, level = self._other_parts("sme_size")
        except LookupError:  # no size rulebook in force: the class is unknown
            return Lit(None)
        column = parts["class"]
        if column == "NULL":
            return Lit(None)
        self._level = max(self._level, level)
        return Bool(f"({column} IN ({', '.join(literal(c) for c in arg)}))")

    def _other_parts(self, standard: str) -> tuple[dict[str, str], int]:
        """Another standard's result parts (each a column of its own) and their level."""
        cache = self.layout.others
        if standard not in cache:
            other = rulebook_for(standard, self.on, self.books)
            sub = _Compiler(other, self.on, self.tables, self.books, other.band_edge, self.layout)
            parts = sub.outcome_parts()
            self.layout.parts[other.code] = parts
            cache[standard] = (parts, max(sub._level, sub._top))
        return cache[standard]

    def op_bands(self, arg: Any) -> Value:
        table = arg["table"]
        of = self.compile(arg["of"])
        points = [row["points"] for row in table]
        lo_all, hi_all = literal(min(points)), literal(max(points))
        if isinstance(of, Lit) and of.value is None:
            return Pts(lo_all, hi_all)
        rows = sorted(table, key=lambda r: r["points"], reverse=self.band_edge == "higher_points")
        whens = []
        for row in rows:
            tests = []
            if isinstance(of, Span):
                if row.get("from") is not None:
                    tests.append(_bool(self._compare_span("ge", of, Lit(row["from"]))))
                if row.get("to") is not None:
                    tests.append(_bool(self._compare_span("le", of, Lit(row["to"]))))
                column = of.column
            else:
                x = _num(of)
                if row.get("from") is not None:
                    tests.append(f"({x}) >= {literal(row['from'])}")
                if row.get("to") is not None:
                    tests.append(f"({x}) <= {literal(row['to'])}")
                column = x
            whens.append(f"WHEN {' AND '.join(tests) or 'TRUE'} THEN {literal(row['points'])}")
        body = " ".join(whens)
        lo = f"(CASE WHEN ({column}) IS NULL THEN {lo_all} {body} END)"
        hi = f"(CASE WHEN ({column}) IS NULL THEN {hi_all} {body} END)"
        return Pts(lo, hi)

    def op_cases(self, arg: Any) -> Value:
        rows = list(arg["table"])
        # Each condition is read up to len(rows) times below: a column of its own keeps that cheap.
        conds = [_bool(self._column_of(row["when"])) for row in rows]

        # Row i is still possible if no earlier row surely holds and its own may hold. Constant
        # conditions (a fact the registry does not hold is NULL) are folded away here.
        def not_true(c: str) -> str | None:
            return (
                None
                if c in ("NULL", "FALSE")
                else ("FALSE" if c == "TRUE" else f"NOT {_is_true(c)}")
            )

        def may_hold(c: str) -> str | None:
            return None if c in ("NULL", "TRUE") else ("FALSE" if c == "FALSE" else _not_false(c))

        options = []
        for i, row in enumerate(rows):
            tests = [not_true(c) for c in conds[:i]] + [may_hold(conds[i])]
            options.append(([t for t in tests if t is not None], row["points"]))
        tests = [not_true(c) for c in conds]
        options.append(([t for t in tests if t is not None], arg["else"]["points"]))
        options = [(tests, points) for tests, points in options if "FALSE" not in tests]

        def end(lowest: bool) -> str:
            ordered = sorted(options, key=lambda o: o[1], reverse=not lowest)
            whens = " ".join(
                f"WHEN {' AND '.join(tests) or 'TRUE'} THEN {literal(points)}"
                for tests, points in ordered
            )
            return f"(CASE {whens} END)"

        return Pts(end(True), end(False))

    def _materialise(self, value: Value, level: int) -> Value:
        """Put a compiled value in a column at ``level``; constants stay inline."""
        if isinstance(value, Lit | Span):
            return value
        if isinstance(value, Pts):
            lo = self.layout.column(level, value.lo)
            hi = self.layout.column(level, value.hi)
            return Pts(f"s.{lo}", f"s.{hi}")
        name = self.layout.column(level, _scalar(value))
        return _retarget(value, f"s.{name}") if not isinstance(value, Bool) else Bool(f"s.{name}")

    def _compile_at_new_level(
        self, expr: Any, points: bool, max_points: float = 0
    ) -> tuple[Value, int]:
        outer, self._level = self._level, 0
        try:
            value = self.compile(expr)
            if points and isinstance(value, Num):
                # as evaluate_check: points from an unknown number may be 0 … max_points
                value = Pts(f"COALESCE({value.sql}, 0)", f"COALESCE({value.sql}, {max_points})")
            elif points and isinstance(value, Lit) and value.value is None:
                value = Pts("0", literal(max_points))
            if points:
                value = _pts(value)
            level = self._level + 1
        finally:
            self._level = outer
        return self._materialise(value, level), level

    def _column_of(self, expr: Any) -> Value:
        """Compile ``expr`` into a column one level above what it reads; the expression being
        compiled then reads that column."""
        value, level = self._compile_at_new_level(expr, points=False)
        self._level = max(self._level, level)
        return value

    def check(self, code: str) -> Value:
        if code not in self._checks:
            defs = self.book.check_defs
            if code not in defs:
                raise RuleError(f"unknown check {code!r}")
            d = defs[code]
            points = "points" in d
            self._checks[code] = self._compile_at_new_level(
                d["points"] if points else d["test"], points, d.get("max_points", 0)
            )
        value, level = self._checks[code]
        self._level = max(self._level, level)
        return value

    def passed(self, code: str) -> str:
        v = self.check(code)
        if isinstance(v, Pts):
            return _case_bool(f"({v.lo}) > 0", f"({v.hi}) <= 0")
        return _bool(v)

    def op_check(self, arg: Any) -> Value:
        return Bool(self.passed(arg))

    def op_points(self, arg: Any) -> Value:
        pts = []
        for code in arg:
            v = self.check(code)
            if not isinstance(v, Pts):
                raise RuleError(f"check {code!r} has no points")
            pts.append(v)
        return Pts(
            "(" + " + ".join(p.lo for p in pts) + ")", "(" + " + ".join(p.hi for p in pts) + ")"
        )

    def op_standard(self, arg: Any) -> Value:
        standards = self.layout.standards
        if arg not in standards:
            # ok is already a column of its own (_once); a query that also reports this
            # rulebook's results reuses all its parts (layout.parts) instead of a second copy.
            parts, level = self._other_parts(arg)
            ok = parts["ok"]
            if not ok.startswith("s."):  # a constant outcome: give it a column all the same
                level += 1
                ok = "s." + self.layout.column(level, ok)
            standards[arg] = (ok.removeprefix("s."), level)
        name, level = standards[arg]
        self._level = max(self._level, level)
        return Bool(f"s.{name}")

    # --- whole results ---------------------------------------------------------------------

    def _once(self, sql: str) -> str:
        """A column for a result part read several times (ok, score ends, class)."""
        if sql == "NULL":
            return sql
        level = self._level + 1
        self._top = max(self._top, level)
        return f"s.{self.layout.column(level, sql)}"

    def outcome_parts(self) -> dict[str, str]:
        """SQL for ok (TRUE/FALSE/NULL), route, score lo/hi and class."""
        if self.book.classification is not None:
            return self._classification()
        requires = [self.passed(code) for code in self.book.requires]
        routes = [(r["route"], _bool(self.compile(r["when"]))) for r in self.book.routes]
        ok = "(" + " AND ".join([*requires, "(" + " OR ".join(c for _, c in routes) + ")"]) + ")"
        score_codes = self.book.score or tuple(c["code"] for c in self.book.checks if "points" in c)
        lo = hi = "NULL"
        if score_codes:
            total = self.op_points(list(score_codes))
            assert isinstance(total, Pts)
            lo, hi = total.lo, total.hi
        ok, lo, hi = self._once(ok), self._once(lo), self._once(hi)
        route_whens = " ".join(f"WHEN {_is_true(c)} THEN {literal(name)}" for name, c in routes)
        route = f"(CASE WHEN {_is_true(ok)} THEN (CASE {route_whens} END) END)"
        return {"ok": ok, "route": route, "lo": lo, "hi": hi, "class": "NULL"}

    def _classification(self) -> dict[str, str]:
        cls = self.book.classification
        assert cls is not None
        code = self.compile(cls["group_by"])
        code_sql = _scalar(code)
        groups = {g["code"]: g for g in cls["groups"]}
        prefixes = sorted(
            ((p, g["code"]) for g in cls["groups"] for p in g.get("industry_codes", ())),
            key=lambda pg: -len(pg[0]),
        )
        measures = {
            m: _num(self.compile({"fact": spec["fact"]})) for m, spec in cls["measures"].items()
        }
        passing = set(cls["pass_classes"])

        def per_group(group: Mapping[str, Any]) -> tuple[str, str]:
            met = {}
            for klass in cls["order"]:
                floors = group["classes"][klass]
                scale = {m: cls["measures"][m].get("scale", 1) for m in floors}
                met[klass] = (
                    "("
                    + " AND ".join(
                        f"({measures[m]}) >= {literal(floors[m] * scale[m])}" for m in floors
                    )
                    + ")"
                )
            klass_whens = []
            possible = {}
            earlier_not_true: list[str] = []
            for klass in cls["order"]:
                klass_whens.append(f"WHEN ({met[klass]}) IS NULL THEN NULL")
                klass_whens.append(f"WHEN {_is_true(met[klass])} THEN {literal(klass)}")
                # As in engine._classify: a class is possible unless an earlier one surely holds.
                possible[klass] = " AND ".join([*earlier_not_true, _not_false(met[klass])])
                earlier_not_true.append(f"NOT {_is_true(met[klass])}")
            possible[cls["else"]] = " AND ".join(earlier_not_true) or "TRUE"
            size = f"(CASE {' '.join(klass_whens)} ELSE {literal(cls['else'])} END)"
            can_pass = " OR ".join(f"({p})" for k, p in possible.items() if k in passing) or "FALSE"
            can_fail = (
                " OR ".join(f"({p})" for k, p in possible.items() if k not in passing) or "FALSE"
            )
            return _case_bool(f"NOT ({can_fail})", f"NOT ({can_pass})"), size

        ok_whens, class_whens = (
            [f"WHEN ({code_sql}) IS NULL THEN NULL"],
            [f"WHEN ({code_sql}) IS NULL THEN NULL"],
        )
        for prefix, gcode in prefixes:
            ok_g, size_g = per_group(groups[gcode])
            test = f"({code_sql}) LIKE {literal(prefix + '%')}"
            ok_whens.append(f"WHEN {test} THEN {ok_g}")
            class_whens.append(f"WHEN {test} THEN {size_g}")
        ok_d, size_d = per_group(groups[cls["default_group"]])
        ok = self._once(f"(CASE {' '.join(ok_whens)} ELSE {ok_d} END)")
        size = self._once(f"(CASE {' '.join(class_whens)} ELSE {size_d} END)")
        route = f"(CASE WHEN ({ok}) IS NULL THEN NULL ELSE 'conditions' END)"
        return {"ok": ok, "route": route, "lo": "NULL", "hi": "NULL", "class": size}
