"""Assess one enterprise against a standard on a date, with its explanation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from .checks import CheckEval, Context, Ev, evaluate
from .facts import Facts
from .logic import UNKNOWN, Interval, all_, any_, as_interval, compare
from .result import Check, Result
from .rulebook import Rulebook, rulebook_for, standards

OUTCOME = {True: "pass", False: "fail"}


def _outcome(value: Any) -> str:
    return "undetermined" if value is UNKNOWN else OUTCOME[bool(value)]


def _passed(value: Any) -> bool | None:
    return None if value is UNKNOWN else bool(value)


def _as_facts(facts: Mapping[str, Any] | Facts) -> Facts:
    return facts if isinstance(facts, Facts) else Facts(facts)


def assess(
    facts: Mapping[str, Any] | Facts,
    standard: str,
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    band_edge: str | None = None,
    gaps: bool = False,
) -> Result:
    """Assess ``facts`` against the rulebook of ``standard`` in force on ``on``.

    ``band_edge`` overrides the rulebook's edge convention (to show the alternative reading).
    ``gaps=True`` fills ``Result.gaps`` with verified changes that would pass (see gaps.py).
    """
    books = None if rulebooks is None else tuple(rulebooks)
    f = _as_facts(facts)
    book = rulebook_for(standard, on, books, _division(f))
    result = assess_with(book, f, on, rulebooks=books, band_edge=band_edge)
    return _with_gaps(result, f, on, books) if gaps else result


def _with_gaps(
    result: Result, facts: Facts, on: date, books: tuple[Rulebook, ...] | None
) -> Result:
    from .gaps import find_gaps

    return replace(result, gaps=find_gaps(facts, result, on, rulebooks=books))


def _division(facts: Facts) -> str | None:
    value = facts.get("division_code")
    return value if isinstance(value, str) else None


def assess_all(
    facts: Mapping[str, Any] | Facts,
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    gaps: bool = False,
) -> list[Result]:
    """Assess ``facts`` against every standard that has a rulebook in force on ``on``
    (``gaps=True``: with their gaps)."""
    books = None if rulebooks is None else tuple(rulebooks)
    f = _as_facts(facts)
    out = []
    for standard in standards(books):
        try:
            book = rulebook_for(standard, on, books, _division(f))
        except LookupError:
            continue
        result = assess_with(book, f, on, rulebooks=books)
        out.append(_with_gaps(result, f, on, books) if gaps else result)
    return out


def assess_with(
    book: Rulebook,
    facts: Mapping[str, Any] | Facts,
    on: date,
    *,
    rulebooks: Iterable[Rulebook] | None = None,
    band_edge: str | None = None,
) -> Result:
    f = _as_facts(facts)

    def other_standard(code: str) -> Ev:
        res = assess(f, code, on, rulebooks=rulebooks)
        value = {"pass": True, "fail": False}.get(res.outcome, UNKNOWN)
        return Ev(value, frozenset(res.missing), shown=res.size_class or res.outcome)

    ctx = Context(f, on, band_edge or book.band_edge, book.check_defs, other_standard)
    if book.classification is not None:
        return _classify(book, f, ctx)
    return _score_and_routes(book, f, ctx)


def _source(book: Rulebook, definition: Mapping[str, Any]) -> dict[str, str]:
    src = definition.get("source", {})
    return {
        "document": src.get("document", book.document["number"]),
        "article": src.get("article", ""),
    }


def _explain(book: Rulebook, ev: CheckEval) -> Check:
    d = ev.definition
    points = ev.points
    rng = None
    if isinstance(points, Interval):
        rng, points = (points.lo, points.hi), None
    return Check(
        code=d["code"],
        label=d["label"],
        value=ev.value,
        passed=_passed(ev.passed),
        rule=d["rule"],
        band=ev.band,
        points=points,
        points_range=rng,
        max_points=d.get("max_points"),
        source=_source(book, d),
        confidence=d.get("confidence", book.confidence),
        missing=tuple(sorted(ev.missing)) if ev.passed is UNKNOWN or rng else (),
    )


def _score_and_routes(book: Rulebook, facts: Facts, ctx: Context) -> Result:
    evals = [ctx.check(c["code"]) for c in book.checks]
    requires = all_(ctx.check(code).passed for code in book.requires)
    routes = [(r["route"], evaluate(r["when"], ctx)) for r in book.routes]
    outcome = all_([requires, any_(ev.value for _, ev in routes)])
    route = None
    if outcome is True:
        route = next(name for name, ev in routes if ev.value is True)

    score_codes = book.score or tuple(c["code"] for c in book.checks if "points" in c)
    score: float | None = None
    score_range = None
    if score_codes:
        total = sum((as_interval(ctx.check(code).points) for code in score_codes), Interval(0, 0))
        if total.exact:
            score = total.lo
        else:
            score_range = (total.lo, total.hi)

    # Only the facts the outcome (or the score) actually waits on.
    missing: set[str] = set()
    if outcome is UNKNOWN:
        for code in book.requires:
            missing |= ctx.check(code).missing
        if any_(ev.value for _, ev in routes) is UNKNOWN:
            for _, ev in routes:
                missing |= ev.missing
    if score_range is not None:
        for code in score_codes:
            missing |= ctx.check(code).missing
    return Result(
        uscc=facts.uscc,
        standard=book.standard,
        rulebook=book.code,
        outcome=_outcome(outcome),
        score=score,
        score_range=score_range,
        route=route,
        checks=tuple(_explain(book, ev) for ev in evals),
        missing=tuple(sorted(missing)),
    )


def _group_for(classification: Mapping[str, Any], industry_code: str) -> Mapping[str, Any]:
    """The industry group whose code prefix matches longest; else the default group."""
    best: tuple[int, Mapping[str, Any]] | None = None
    for group in classification["groups"]:
        for prefix in group.get("industry_codes", ()):
            if industry_code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), group)
    if best is not None:
        return best[1]
    default = classification["default_group"]
    return next(g for g in classification["groups"] if g["code"] == default)


def _floor_rule(classification: Mapping[str, Any], floors: Mapping[str, Any]) -> str:
    measures = classification["measures"]
    parts = [f"{measures[m]['label']}{v}{measures[m]['unit']}及以上" for m, v in floors.items()]
    return "，且".join(parts)


def _classify(book: Rulebook, facts: Facts, ctx: Context) -> Result:
    """Size class: the highest class whose floors are all met (300号; NBS: else one class down)."""
    cls = book.classification
    assert cls is not None
    document = book.document["number"]
    code_ev = evaluate(cls["group_by"], ctx)
    if code_ev.value is UNKNOWN:
        return Result(
            uscc=facts.uscc,
            standard=book.standard,
            rulebook=book.code,
            outcome="undetermined",
            route=None,
            missing=tuple(sorted(code_ev.missing)),
        )
    group = _group_for(cls, str(code_ev.value))
    source = {"document": document, "article": group["article"]}
    confidence = group.get("confidence", book.confidence)
    checks = [
        Check(
            code="industry_group",
            label="行业",
            value=code_ev.value,
            passed=True,
            band=group["label"],
            rule=f"GB/T 4754-2017 {code_ev.value} → {group['label']}",
            source=source,
            confidence=confidence,
        )
    ]
    possible: list[str] = []
    missing: set[str] = set()
    decided = False
    for klass in cls["order"]:
        floors = group["classes"][klass]
        evs = {}
        for measure in floors:
            evs[measure] = evaluate({"fact": cls["measures"][measure]["fact"]}, ctx)
        met = all_(
            compare("ge", evs[m].value, floors[m] * cls["measures"][m].get("scale", 1))
            for m in floors
        )
        ev_missing = frozenset().union(*(ev.missing for ev in evs.values()))
        checks.append(
            Check(
                code=klass,
                label=f"{group['label']}{cls['labels'][klass]}",
                value={m: ev.value for m, ev in evs.items()},
                passed=_passed(met),
                rule=_floor_rule(cls, floors),
                source=source,
                confidence=confidence,
                missing=tuple(sorted(ev_missing)) if met is UNKNOWN else (),
            )
        )
        if decided:
            continue
        if met is UNKNOWN:
            possible.append(klass)
            missing |= ev_missing
        elif met:
            possible.append(klass)
            decided = True
    if not decided:
        possible.append(cls["else"])
    passing = set(cls["pass_classes"])
    if set(possible) <= passing:
        outcome = "pass"
    elif not set(possible) & passing:
        outcome = "fail"
    else:
        outcome = "undetermined"
    size_class = possible[0] if len(possible) == 1 else None
    return Result(
        uscc=facts.uscc,
        standard=book.standard,
        rulebook=book.code,
        outcome=outcome,
        route="conditions" if outcome != "undetermined" else None,
        size_class=size_class,
        checks=tuple(checks),
        missing=tuple(sorted(missing)) if size_class is None else (),
    )
