"""Published support items made ready for matching, and an index of what they require.

Reading 20,000 items (their JSON rules) from the database takes longer than matching one firm
against all of them, so the prepared items live in-process, keyed by a fingerprint of the
published library (one aggregate query: item count, sum and maximum of document versions, last
change); any publish, edit, withdrawal or expiry changes the fingerprint.

Most items cannot apply to a given firm for a reason visible without evaluating anything: the
document's regions, a title the item requires that the firm does not hold, a pool, a size class.
``Requirements`` takes those from the top-level conjuncts of the eligibility (the ``all`` every
real item is written as), and ``ItemIndex`` buckets items by them, so a firm's candidates are
found by a few dictionary look-ups; only candidates are evaluated. The prefilter only ever
rejects an item whose eligibility would surely be False (a conjunct that is False makes the
``all`` False), never one that might be unknown: unknown titles/pools/size keep every item."""

from __future__ import annotations

import gc
import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Sum

from smeladder.standards.logic import UNKNOWN

from .models import PolicyDocument, Status, SupportItem


@dataclass(frozen=True)
class Requirements:
    """Necessary conditions read off the top-level conjuncts (each a set of alternatives; the
    firm must match one of each)."""

    titles: tuple[frozenset[str], ...] = ()
    pools: tuple[frozenset[str], ...] = ()
    divisions: tuple[tuple[str, ...], ...] = ()  # "within" on division_code
    size_classes: frozenset[str] | None = None


def conjuncts(expr: Any) -> list[Any]:
    """The top-level parts of an ``all`` (nested ``all`` flattened); the expression itself
    otherwise."""
    if isinstance(expr, Mapping) and len(expr) == 1 and "all" in expr:
        out: list[Any] = []
        for part in expr["all"] or []:
            out.extend(conjuncts(part))
        return out
    return [expr] if expr else []


def requirements(expr: Any) -> Requirements:
    titles, pools, divisions = [], [], []
    sizes: frozenset[str] | None = None
    for part in conjuncts(expr):
        if not isinstance(part, Mapping) or len(part) != 1:
            continue
        (op, arg), *_ = part.items()
        if op == "title" and isinstance(arg, Mapping) and arg.get("codes"):
            titles.append(frozenset(arg["codes"]))
        elif op == "pool" and isinstance(arg, Mapping) and arg.get("codes"):
            pools.append(frozenset(arg["codes"]))
        elif (
            op == "within"
            and isinstance(arg, list)
            and len(arg) == 2
            and arg[0] == {"fact": "division_code"}
            and isinstance(arg[1], list)
        ):
            divisions.append(tuple(str(p) for p in arg[1]))
        elif op == "size_class" and isinstance(arg, list):
            sizes = frozenset(arg) if sizes is None else sizes & frozenset(arg)
    return Requirements(tuple(titles), tuple(pools), tuple(divisions), sizes)


@dataclass(frozen=True)
class PreparedItem:
    id: int
    document_id: int
    version: int
    name: str
    document_title: str
    level: str
    categories: tuple[str, ...]
    regions: tuple[str, ...]
    eligibility: Any
    manual_conditions: tuple[str, ...]
    benefit: Mapping[str, Any]
    auto_grant: bool
    apply_from: date | None
    apply_to: date | None
    expires_on: date | None
    needs: Requirements = field(default_factory=Requirements)
    #: the eligibility and the benefit as canonical JSON: items written from one template share
    #: them, so a firm evaluates each distinct one once (matching.py, sweep.py)
    eligibility_key: str = ""
    benefit_key: str = ""
    has_condition: bool = True

    def covers(self, division: str | None) -> bool:
        if not self.regions:
            return True
        return bool(division) and str(division).startswith(self.regions)

    def current_on(self, on: date) -> bool:
        """Still open to apply on ``on`` (a window not yet open counts: the firm can prepare)."""
        if self.expires_on is not None and self.expires_on < on:
            return False
        return self.apply_to is None or self.apply_to >= on


def _regions(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in values or () if str(v))


def prepare(rows: Iterable[Mapping[str, Any]]) -> list[PreparedItem]:
    """Items from ``values()`` rows of SupportItem with their document's fields."""
    out = []
    for r in rows:
        eligibility = r["eligibility"] or {}
        categories = r["categories"] or r["document__categories"] or []
        out.append(
            PreparedItem(
                id=r["id"],
                document_id=r["document_id"],
                version=r["document__version"],
                name=r["name"],
                document_title=r["document__title"],
                level=r["document__level"],
                categories=tuple(categories),
                regions=_regions(r["document__regions"]),
                eligibility=eligibility,
                manual_conditions=tuple(str(c) for c in r["manual_conditions"] or () if c),
                benefit=r["benefit"] or {"kind": "none"},
                auto_grant=bool(r["auto_grant"]),
                apply_from=r["document__apply_from"],
                apply_to=r["document__apply_to"],
                expires_on=r["document__expires_on"],
                needs=requirements(eligibility),
                eligibility_key=json.dumps(eligibility, sort_keys=True, default=str),
                benefit_key=json.dumps(r["benefit"] or {}, sort_keys=True, default=str),
                has_condition=bool(conjuncts(eligibility)),
            )
        )
    return out


ITEM_FIELDS = (
    "id",
    "document_id",
    "name",
    "eligibility",
    "manual_conditions",
    "benefit",
    "auto_grant",
    "categories",
    "document__version",
    "document__title",
    "document__level",
    "document__categories",
    "document__regions",
    "document__apply_from",
    "document__apply_to",
    "document__expires_on",
)


def published_items_qs() -> Any:
    return SupportItem.objects.filter(document__status=Status.PUBLISHED)


class ItemIndex:
    """Items grouped by identical eligibility and regions (items of one template: 20,560
    generated items form 421 groups), the groups bucketed by (required title or pool code or
    nothing, region prefix)."""

    def __init__(self, items: list[PreparedItem]) -> None:
        self.items = items
        self.by_id = {item.id: item for item in items}
        grouped: dict[tuple[str, tuple[str, ...]], list[PreparedItem]] = {}
        for item in items:
            grouped.setdefault((item.eligibility_key, item.regions), []).append(item)
        self.groups: list[list[PreparedItem]] = list(grouped.values())
        self._live: dict[date, list[list[PreparedItem]]] = {}
        self.buckets: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for g, members in enumerate(self.groups):
            item = members[0]
            regions = item.regions or ("",)
            if item.needs.titles:
                keys = [("title", code) for code in sorted(item.needs.titles[0])]
            elif item.needs.pools:
                keys = [("pool", code) for code in sorted(item.needs.pools[0])]
            else:
                keys = [("free", "")]
            for kind, code in keys:
                for region in regions:
                    self.buckets[(kind, code, region)].append(g)

    def live(self, group: list[PreparedItem], on: date) -> list[PreparedItem]:
        """The group's items still open on ``on`` (computed once per date)."""
        if on not in self._live:
            if len(self._live) > 8:
                self._live.clear()
            self._live[on] = [[i for i in g if i.current_on(on)] for g in self.groups]
            self._position = {id(g): n for n, g in enumerate(self.groups)}
        return self._live[on][self._position[id(group)]]

    def candidate_groups(
        self,
        division: str | None,
        titles: frozenset[str] | None,
        pools: frozenset[str] | None,
    ) -> list[list[PreparedItem]]:
        """Groups that cover ``division`` and whose first title/pool requirement the firm can
        meet (``None`` = the firm's titles/pools are unknown: every such group stays);
        ``division`` None = unknown: every group."""
        if division is None:
            return self.groups
        code = str(division)
        prefixes = [""] + [code[:n] for n in (2, 4, 6) if len(code) >= n]
        prefixes = list(dict.fromkeys(prefixes))
        keys: list[tuple[str, str]] = [("free", "")]
        if titles is None:
            keys += [(k, c) for (k, c, _r) in self.buckets if k == "title"]
        else:
            keys += [("title", c) for c in sorted(titles)]
        if pools is None:
            keys += [(k, c) for (k, c, _r) in self.buckets if k == "pool"]
        else:
            keys += [("pool", c) for c in sorted(pools)]
        seen: set[int] = set()
        out: list[list[PreparedItem]] = []
        for kind, c in dict.fromkeys(keys):
            for region in prefixes:
                for g in self.buckets.get((kind, c, region), ()):
                    if g not in seen:
                        seen.add(g)
                        out.append(self.groups[g])
        return out

    def candidates(
        self,
        division: str | None,
        titles: frozenset[str] | None,
        pools: frozenset[str] | None,
    ) -> list[PreparedItem]:
        return [i for g in self.candidate_groups(division, titles, pools) for i in g]


def held_codes(facts: Mapping[str, Any], key: str, on: date) -> frozenset[str] | None:
    """Codes of the titles (or pools) held on ``on``; None when the list is unknown."""
    rows = facts.get(key, UNKNOWN)
    if rows is UNKNOWN or not isinstance(rows, list):
        return None
    day = on.isoformat()
    out = set()
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        if key == "titles":
            start, end = row.get("valid_from"), row.get("valid_to")
            if row.get("status") == "revoked" or start is None or str(start) > day:
                continue
            if end is not None and str(end) < day:
                continue
        else:
            joined, left = row.get("joined_on"), row.get("left_on")
            if joined is None or str(joined) > day or (left is not None and str(left) <= day):
                continue
        out.add(str(row.get("code")))
    return frozenset(out)


# --- the in-process cache -------------------------------------------------------------------

_LOCK = threading.Lock()
_CACHE: dict[str, Any] = {"key": None, "index": None}


def library_fingerprint() -> tuple[Any, ...]:
    agg = published_items_qs().aggregate(
        n=Count("id"),
        versions=Sum("document__version"),
        latest=Max("document__version"),
        changed=Max("document__updated_at"),
        last_id=Max("id"),
    )
    return (agg["n"], agg["versions"], agg["latest"], agg["changed"], agg["last_id"])


def published_index() -> ItemIndex:
    """The prepared, indexed published items (one aggregate query when nothing changed)."""
    key = library_fingerprint()
    with _LOCK:
        if _CACHE["key"] == key and _CACHE["index"] is not None:
            return _CACHE["index"]
    rows = published_items_qs().order_by("id").values(*ITEM_FIELDS)
    index = ItemIndex(prepare(rows))
    with _LOCK:
        _CACHE["key"], _CACHE["index"] = key, index
    # 20,000 items' rules are millions of long-lived objects: without this every full garbage
    # collection walks them all (a 300 ms pause inside some firms' match at p95)
    gc.freeze()
    return index


def clear_cache() -> None:
    with _LOCK:
        _CACHE["key"] = _CACHE["index"] = None


def document_items(doc: PolicyDocument) -> list[PreparedItem]:
    return prepare(SupportItem.objects.filter(document=doc).order_by("id").values(*ITEM_FIELDS))
