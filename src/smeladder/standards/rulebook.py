"""Rulebooks: dated data files of named checks, one per (standard, issuing document).

Each rulebook is a JSON file under ``rulebooks/<standard>/``; a file ending ``.cases.yaml``
beside it holds its rule cases (tests, see ``cases.py``). A new provincial variant or a revision
is a new file with its own ``in_force`` dates (and ``region`` for a provincial one), never an
edit of history. See docs/decisions/0003-rule-engine.md.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from .checks import BAND_EDGES, OPERATORS, operators_in, subexpressions

RULEBOOK_DIR = Path(__file__).parent / "rulebooks"
CONFIDENCE_TAGS = frozenset({"GOV", "C2", "C1", "UNCONFIRMED"})


class RulebookError(ValueError):
    """A rulebook data file is malformed."""


class NoRulebookInForce(LookupError):
    """No rulebook of this standard is in force on the date."""


@dataclass(frozen=True)
class Rulebook:
    code: str
    standard: str
    title: str
    document: Mapping[str, Any]
    in_force_from: date
    in_force_to: date | None
    sources: tuple[str, ...]
    confidence: str
    band_edge: str
    checks: tuple[Mapping[str, Any], ...]
    requires: tuple[str, ...] = ()
    routes: tuple[Mapping[str, Any], ...] = ()
    score: tuple[str, ...] = ()
    classification: Mapping[str, Any] | None = None
    #: GB/T 2260 division-code prefixes the rulebook applies to ("21" = 辽宁); empty = nationwide
    region: tuple[str, ...] = ()
    #: how long a title granted under this rulebook lasts and how it is kept (复核, re-application)
    validity: Mapping[str, Any] | None = None
    path: Path | None = field(default=None, compare=False)

    def in_force_on(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)

    def title_period(self, granted_on: date) -> tuple[date, date | None]:
        """Validity of a title granted on ``granted_on``: N years (the day before the
        anniversary), the end of that year ("当年有效"), or open when the rulebook does not say."""
        v = self.validity or {}
        if v.get("until") == "year_end":
            return granted_on, date(granted_on.year, 12, 31)
        years = v.get("years")
        if not years:
            return granted_on, None
        try:
            end = granted_on.replace(year=granted_on.year + years)
        except ValueError:  # 29 February
            end = date(granted_on.year + years, 3, 1)
        return granted_on, end - timedelta(days=1)

    def region_match(self, division_code: str | None) -> int | None:
        """How specifically the rulebook applies to a firm in ``division_code``: 0 for a
        nationwide rulebook, the prefix length for a regional one, None if it does not apply."""
        if not self.region:
            return 0
        if not division_code:
            return None
        lengths = [len(p) for p in self.region if division_code.startswith(p)]
        return max(lengths) if lengths else None

    @property
    def check_defs(self) -> dict[str, Mapping[str, Any]]:
        return {c["code"]: c for c in self.checks}


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulebookError(f"{where}: {value!r} is not an ISO date") from None


def _validate_check(check: Mapping[str, Any], where: str) -> None:
    for key in ("code", "label", "rule", "source", "confidence"):
        if not check.get(key):
            raise RulebookError(f"{where}: check lacks {key!r}")
    source = check["source"]
    if not (isinstance(source, Mapping) and source.get("document") and source.get("article")):
        raise RulebookError(f"{where}: check {check['code']!r} needs source.document and .article")
    if check["confidence"] not in CONFIDENCE_TAGS:
        raise RulebookError(f"{where}: check {check['code']!r} has bad confidence tag")
    if ("test" in check) == ("points" in check):
        raise RulebookError(f"{where}: check {check['code']!r} needs exactly one of test/points")
    if "points" in check and "max_points" not in check:
        raise RulebookError(f"{where}: points check {check['code']!r} needs max_points")
    unknown = operators_in(check.get("test", check.get("points"))) - set(OPERATORS)
    if unknown:
        raise RulebookError(f"{where}: check {check['code']!r} uses unknown {sorted(unknown)}")


def _references(expr: Any) -> set[str]:
    """Check codes an expression refers to via "check" / "points"."""
    found: set[str] = set()
    if isinstance(expr, Mapping):
        for op, arg in expr.items():
            if op == "check":
                found.add(arg)
            elif op == "points":
                found |= set(arg)
            for sub in subexpressions(op, arg):
                found |= _references(sub)
    elif isinstance(expr, list):
        for x in expr:
            found |= _references(x)
    return found


RENEWALS = frozenset({"review", "reassess", "reapply", "annual", "unknown"})


def _validate_validity(v: Mapping[str, Any], where: str) -> None:
    years = v.get("years")
    if years is not None and not (isinstance(years, int) and 0 < years <= 10):
        raise RulebookError(f"{where}: validity.years must be a whole number of years or null")
    if v.get("until") not in (None, "year_end"):
        raise RulebookError(f"{where}: validity.until may only be 'year_end'")
    if v.get("renewal") not in RENEWALS:
        raise RulebookError(f"{where}: validity.renewal must be one of {sorted(RENEWALS)}")
    src = v.get("source")
    if not (v.get("rule") and isinstance(src, Mapping) and src.get("document")):
        raise RulebookError(f"{where}: validity needs its rule text and source")
    if v.get("confidence") not in CONFIDENCE_TAGS:
        raise RulebookError(f"{where}: validity has a bad confidence tag")


def _validate_classification(cls: Mapping[str, Any], where: str) -> None:
    for key in ("group_by", "groups", "measures", "order", "else", "pass_classes", "labels"):
        if key not in cls:
            raise RulebookError(f"{where}: classification lacks {key!r}")
    codes = {g["code"] for g in cls["groups"]}
    if cls.get("default_group") not in codes:
        raise RulebookError(f"{where}: classification default_group must name a group")
    for group in cls["groups"]:
        if set(group.get("classes", {})) != set(cls["order"]):
            raise RulebookError(f"{where}: group {group['code']!r} needs floors for {cls['order']}")
        if not group.get("article"):
            raise RulebookError(f"{where}: group {group['code']!r} needs its article")
        for floors in group["classes"].values():
            if set(floors) - set(cls["measures"]):
                raise RulebookError(f"{where}: group {group['code']!r} uses an unknown measure")


def parse_rulebook(data: Mapping[str, Any], where: str = "rulebook") -> Rulebook:
    for key in ("code", "standard", "title", "document", "in_force", "sources", "confidence"):
        if key not in data:
            raise RulebookError(f"{where}: missing {key!r}")
    if data["confidence"] not in CONFIDENCE_TAGS:
        raise RulebookError(f"{where}: bad confidence tag {data['confidence']!r}")
    band_edge = data.get("band_edge", "higher_points")
    if band_edge not in BAND_EDGES:
        raise RulebookError(f"{where}: band_edge must be one of {BAND_EDGES}")
    document = data["document"]
    if not (document.get("title") and document.get("number")):
        raise RulebookError(f"{where}: document needs title and number")
    checks = tuple(data.get("checks", ()))
    codes = [c.get("code") for c in checks]
    if len(codes) != len(set(codes)):
        raise RulebookError(f"{where}: duplicate check codes")
    for check in checks:
        _validate_check(check, where)
    routes = tuple(data.get("routes", ()))
    classification = data.get("classification")
    if not routes and not classification:
        raise RulebookError(f"{where}: needs routes or a classification")
    if classification:
        _validate_classification(classification, where)
    refs = _references([c.get("test", c.get("points")) for c in checks])
    refs |= _references([r["when"] for r in routes]) | set(data.get("requires", ()))
    refs |= set(data.get("score", ()))
    if refs - set(codes):
        raise RulebookError(f"{where}: refers to unknown checks {sorted(refs - set(codes))}")
    validity = data.get("validity")
    if validity is not None:
        _validate_validity(validity, where)
    region = tuple(data.get("region", ()))
    if not all(isinstance(p, str) and p.isdigit() and len(p) in (2, 4, 6) for p in region):
        raise RulebookError(f"{where}: region must list division-code prefixes (2, 4 or 6 digits)")
    frm = _date(data["in_force"].get("from"), where)
    to = data["in_force"].get("to")
    return Rulebook(
        code=data["code"],
        standard=data["standard"],
        title=data["title"],
        document=document,
        in_force_from=frm,
        in_force_to=_date(to, where) if to else None,
        sources=tuple(data["sources"]),
        confidence=data["confidence"],
        band_edge=band_edge,
        checks=checks,
        requires=tuple(data.get("requires", ())),
        routes=routes,
        score=tuple(data.get("score", ())),
        classification=classification,
        region=region,
        validity=validity,
    )


def load_rulebook(path: Path) -> Rulebook:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    book = parse_rulebook(data, where=str(path))
    return Rulebook(**{**book.__dict__, "path": path})


def _check_no_overlap(books: Iterable[Rulebook]) -> None:
    by_standard: dict[tuple[str, tuple[str, ...]], list[Rulebook]] = {}
    for book in books:
        by_standard.setdefault((book.standard, book.region), []).append(book)
    for (standard, _region), group in by_standard.items():
        group.sort(key=lambda b: b.in_force_from)
        for a, b in itertools.pairwise(group):
            if a.in_force_to is None or a.in_force_to >= b.in_force_from:
                raise RulebookError(f"{standard}: {a.code} and {b.code} overlap in time")


def load_rulebooks(directory: Path | None = None) -> tuple[Rulebook, ...]:
    """Every rulebook under ``directory`` (default: the packaged ones), validated."""
    if directory is None:
        return _packaged()
    return _load_dir(directory)


def _load_dir(directory: Path) -> tuple[Rulebook, ...]:
    paths = sorted(directory.rglob("*.json"))
    books = tuple(load_rulebook(p) for p in paths)
    codes = [b.code for b in books]
    if len(codes) != len(set(codes)):
        raise RulebookError("duplicate rulebook codes")
    _check_no_overlap(books)
    return books


@cache
def _packaged() -> tuple[Rulebook, ...]:
    return _load_dir(RULEBOOK_DIR)


def standards(rulebooks: Iterable[Rulebook] | None = None) -> list[str]:
    books = _packaged() if rulebooks is None else rulebooks
    return sorted({b.standard for b in books})


def rulebook_for(
    standard: str,
    on: date,
    rulebooks: Iterable[Rulebook] | None = None,
    division_code: str | None = None,
) -> Rulebook:
    """The rulebook of ``standard`` in force on ``on`` for a firm in ``division_code``: a
    regional rulebook (the longest matching prefix) before a nationwide one."""
    books = _packaged() if rulebooks is None else rulebooks
    best: tuple[int, Rulebook] | None = None
    for book in books:
        if book.standard != standard or not book.in_force_on(on):
            continue
        match = book.region_match(division_code)
        if match is not None and (best is None or match > best[0]):
            best = (match, book)
    if best is None:
        where = f" for division {division_code}" if division_code else ""
        raise NoRulebookInForce(f"no {standard} rulebook in force on {on.isoformat()}{where}")
    return best[1]


def has_rulebook_on(standard: str, on: date, rulebooks: Iterable[Rulebook] | None = None) -> bool:
    """Whether any rulebook of ``standard`` (nationwide or regional) is in force on ``on``."""
    books = _packaged() if rulebooks is None else rulebooks
    return any(b.standard == standard and b.in_force_on(on) for b in books)


# --- bare expressions (a support item's eligibility, a benefit formula) ---------------------

_TWO = frozenset({"ratio", "growth", "sub", "ge", "gt", "le", "lt", "eq", "ne"})
_MANY = frozenset({"sum", "max", "min", "mul", "all", "any"})


_CODE_PREFIX = re.compile(r"[A-Z]?[0-9]+|[A-Z]")


def _shape_problems(op: str, arg: Any) -> list[str]:
    if op in _TWO and not (isinstance(arg, list) and len(arg) == 2):
        return [f"“{op}”需要两个操作数"]
    if op in _MANY and not isinstance(arg, list):
        return [f"“{op}”需要一个列表"]
    if op == "mul" and len(arg) < 2:
        return ["“mul”至少需要两个操作数"]
    if op in ("in", "within") and not (
        isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list)
    ):
        return [f"“{op}”的写法是 [值, [选项…]]"]
    if op == "within" and not all(isinstance(p, str) and _CODE_PREFIX.fullmatch(p) for p in arg[1]):
        # division codes are digits, industry codes a capital letter and digits ("C34"); the
        # registry stores both in capitals, so LIKE (case-insensitive on SQLite and MariaDB)
        # and Python's startswith agree — and no %, _ or quote ever reaches a LIKE
        return ["“within”的前缀须为代码（数字或大写字母加数字，如 3703、C34）"]
    if op in ("title", "pool"):
        if not (isinstance(arg, Mapping) and isinstance(arg.get("codes"), list) and arg["codes"]):
            return [f"“{op}”需要非空的 codes 列表"]
        allowed = {"codes", "levels", "granted_in"} if op == "title" else {"codes"}
        if set(arg) - allowed:
            return [f"“{op}”不认识的键：{sorted(set(arg) - allowed)}"]
    if op == "size_class" and not (
        isinstance(arg, list) and arg and all(isinstance(c, str) for c in arg)
    ):
        return ["“size_class”需要非空的规模类型列表"]
    if op == "fact" and not isinstance(arg, str):
        return ["“fact”需要一个事实路径"]
    if op == "exists" and not (isinstance(arg, Mapping) and isinstance(arg.get("in"), str)):
        return ["“exists”需要 in 与 where"]
    if op == "at_least" and not (
        isinstance(arg, Mapping)
        and isinstance(arg.get("n"), int)
        and isinstance(arg.get("of"), list)
    ):
        return ["“at_least”需要 n 与 of"]
    return []


def expression_problems(expr: Any, path: str = "", *, on: date | None = None) -> list[str]:
    """What is wrong with a bare rule expression, in words ([] = valid): each a Chinese message
    prefixed with its place in the expression. Named checks ("check", "points") exist only in
    rulebooks and are refused here. The expression is finally evaluated once on empty facts,
    which catches what the shape checks let through (a bad year, a bad date)."""
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, list):
            problems.append(f"{where or '/'}：列表不能单独作为表达式")
            return
        if not isinstance(node, Mapping):
            return
        if len(node) != 1:
            problems.append(f"{where or '/'}：一个表达式只能有一个运算符，得到 {sorted(node)}")
            return
        (op, arg), *_ = node.items()
        here = f"{where}/{op}"
        if op not in OPERATORS:
            problems.append(f"{here}：未知运算符")
            return
        if op in ("check", "points"):
            problems.append(f"{here}：政策条件中不能引用评价细则的检查项")
            return
        shape = _shape_problems(op, arg)
        problems.extend(f"{here}：{m}" for m in shape)
        if not shape:
            for i, sub in enumerate(subexpressions(op, arg)):
                walk(sub, f"{here}[{i}]")

    if isinstance(expr, Mapping) and not expr:
        return []  # {} = no condition
    walk(expr, path)
    if problems or not isinstance(expr, Mapping) or not expr:
        return problems
    from .checks import Context, Ev, RuleError, evaluate
    from .facts import Facts
    from .logic import UNKNOWN

    ctx = Context(
        Facts({}),
        on or date.today(),
        other_standard=lambda _code: Ev(UNKNOWN),
        size_class=lambda: Ev(UNKNOWN),
    )
    try:
        evaluate(expr, ctx)
    except (RuleError, KeyError, TypeError, ValueError) as exc:
        problems.append(f"{path or '/'}：{exc}")
    return problems
