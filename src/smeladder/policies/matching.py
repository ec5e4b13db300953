"""Matching one firm against the whole published library (the firm's "policy calculator"), and
keeping the stored matches (one ItemMatchSet per item) current when a firm or a policy changes.

``match_enterprise`` is three-valued like the standards engine: an item whose eligibility waits
on facts the firm has not given is ``undetermined`` with those facts listed, and an item whose
rule data passes but that lists ``manual_conditions`` (what only a person can judge) is
``undetermined`` with them listed, never guessed. Speed (goal 200 ms for 20,000 items): the
prepared items are cached in-process, grouped by identical eligibility and regions and indexed
by what they require (eligibility.py), so a firm's candidate groups are a few dictionary
look-ups, each group's eligibility is evaluated once (not each item's), each distinct benefit
once, and the firm's size class (sme_size), needed by many items, once per call.

Stored matches: ``store_matches_for_enterprises`` recomputes the given firms with the set-based
sweep (sweep.py), restricted to them, and patches them into every item's stored set;
``on_enterprise_changed`` is what the registry's import action calls after its transaction
commits (it queues ``patch_enterprises``); ``on_policy_changed`` recomputes one document's
items' sets whole over every firm (or removes them when it is no longer published). A firm's
own list is not read from the sets: it is ``match_enterprise``, computed live."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from smeladder.standards.checks import Context, Ev, evaluate, firm_size_class
from smeladder.standards.facts import Facts
from smeladder.standards.logic import UNKNOWN

from .benefits import Amount, evaluate_benefit
from .eligibility import ItemIndex, PreparedItem, held_codes, published_index

PASS, UNDETERMINED, FAIL = "pass", "undetermined", "fail"


@dataclass(slots=True)
class ItemMatch:
    item_id: int
    outcome: str  # pass / undetermined / fail
    amount_lo: float | None  # yuan; None = non-monetary or not computable yet
    amount_hi: float | None
    missing: tuple[str, ...] = ()  # facts the result (or the amount) waits on
    manual_conditions: tuple[str, ...] = ()
    apply_to: date | None = None
    amount_text: str = ""
    document_id: int = 0
    name: str = ""
    document_title: str = ""
    categories: tuple[str, ...] = field(default=())
    version: int = 0


def _size_memo(facts: Facts, on: date) -> Any:
    cell: list[Ev] = []

    def size() -> Ev:
        if not cell:
            cell.append(firm_size_class(facts, on))
        return cell[0]

    return size


def evaluate_item(
    item: PreparedItem, facts: Facts, on: date, size: Any = None
) -> tuple[Any, frozenset[str]]:
    """The item's eligibility for one firm: (True / False / UNKNOWN, facts it waits on); the
    document's regions are part of it."""
    if not item.covers(facts.get("division_code") if "division_code" in facts.data else None):
        if "division_code" not in facts.data and item.regions:
            return UNKNOWN, frozenset({"division_code"})
        return False, frozenset()
    if not item.has_condition:
        return True, frozenset()
    ev = evaluate(item.eligibility, Context(facts, on, size_class=size))
    return ev.value, ev.missing


def result_for(item: PreparedItem, facts: Facts, on: date, size: Any = None) -> ItemMatch:
    """One item for one firm, with its amount when it does not fail."""
    value, missing = evaluate_item(item, facts, on, size)
    if value is False or value is None:
        return _fail(item)
    amount = evaluate_benefit(item.benefit, facts, on, size_class=size)
    return _outcome(item, value, missing, amount)


def _outcome(item: PreparedItem, value: Any, missing: frozenset[str], amount: Amount) -> ItemMatch:
    """Pass only when the rule data passes and nothing is left to a person."""
    outcome = PASS if value is True and not item.manual_conditions else UNDETERMINED
    waits = set(missing) if value is UNKNOWN else set()
    waits |= amount.missing
    return _match(item, outcome, amount, tuple(sorted(waits)))


def _match(item: PreparedItem, outcome: str, amount: Amount, missing: tuple[str, ...]) -> ItemMatch:
    return ItemMatch(
        item_id=item.id,
        outcome=outcome,
        amount_lo=amount.lo,
        amount_hi=amount.hi,
        missing=missing,
        manual_conditions=item.manual_conditions,
        apply_to=item.apply_to,
        amount_text=amount.text,
        document_id=item.document_id,
        name=item.name,
        document_title=item.document_title,
        categories=item.categories,
        version=item.version,
    )


def sort_key(m: ItemMatch) -> tuple[Any, ...]:
    """Largest amount first (the upper end of a range; non-monetary last), then the earliest
    deadline (open-ended last), then the item."""
    amount = m.amount_hi if m.amount_hi is not None else m.amount_lo
    return (
        -(amount if amount is not None else -1.0),
        m.apply_to or date.max,
        m.item_id,
    )


def _facts_of(enterprise: Any) -> dict[str, Any]:
    from smeladder.registry.interchange.export_facts import enterprise_engine_facts

    pk = enterprise if isinstance(enterprise, int) else enterprise.pk
    return enterprise_engine_facts(pk)


def match_enterprise(
    enterprise: Any,
    on: date | None = None,
    items: Iterable[PreparedItem] | None = None,
    *,
    facts: Mapping[str, Any] | None = None,
    include_fail: bool = False,
) -> list[ItemMatch]:
    """Every current published item covering the firm's region, passed or undetermined (with
    ``include_fail``, failed ones too), sorted by amount (desc) then deadline. ``enterprise``
    is an Enterprise or its pk (``facts`` may be given instead, e.g. a self-assessment's);
    ``items`` replaces the published library (tests, previews of a draft)."""
    on = on or timezone.localdate()
    data = dict(facts) if facts is not None else _facts_of(enterprise)
    f = Facts(data)
    index = published_index() if items is None else ItemIndex(list(items))
    size = _size_memo(f, on)
    titles = held_codes(data, "titles", on)
    pools = held_codes(data, "pools", on)
    division = data.get("division_code")
    out: list[ItemMatch] = []
    considered: set[int] = set()
    amounts: dict[str, Amount] = {}
    for group in index.candidate_groups(division, titles, pools):
        live = index.live(group, on)
        if not live:
            continue
        if include_fail:
            considered.update(i.id for i in live)
        # the group shares eligibility and regions: prefilter and evaluate it once
        needs = live[0].needs
        failed = False
        if needs.size_classes is not None:
            cls = size().value
            failed = cls is not UNKNOWN and cls not in needs.size_classes
        if not failed and titles is not None:
            failed = any(not (t & titles) for t in needs.titles)
        if not failed and pools is not None:
            failed = any(not (p & pools) for p in needs.pools)
        if not failed:
            value, missing = evaluate_item(live[0], f, on, size)
            failed = value is False or value is None
        if failed:
            if include_fail:
                out.extend(_fail(i) for i in live)
            continue
        waits: dict[str, tuple[str, ...]] = {}
        for item in live:
            amount = amounts.get(item.benefit_key)
            if amount is None:
                amount = evaluate_benefit(item.benefit, f, on, size_class=size)
                amounts[item.benefit_key] = amount
            if item.benefit_key not in waits:
                facts_waited = set(missing) if value is UNKNOWN else set()
                waits[item.benefit_key] = tuple(sorted(facts_waited | amount.missing))
            outcome = PASS if value is True and not item.manual_conditions else UNDETERMINED
            out.append(_match(item, outcome, amount, waits[item.benefit_key]))
    if include_fail:
        out += [_fail(i) for i in index.items if i.id not in considered and i.current_on(on)]
    out.sort(key=sort_key)
    return out


def _fail(item: PreparedItem) -> ItemMatch:
    return ItemMatch(
        item.id, FAIL, None, None, apply_to=item.apply_to, document_id=item.document_id
    )


# --- stored matches -------------------------------------------------------------------------


def store_matches_for_enterprises(ids: Iterable[int], on: date | None = None) -> dict[str, int]:
    """Recompute these firms (all published items) and patch them into the stored sets."""
    from .sweep import sweep

    return sweep(on or timezone.localdate(), enterprise_ids=list(ids))


#: more changed firms than this: a background full sweep instead of patching them
INLINE_LIMIT = 2000


@task()
def patch_enterprises(ids: list[int]) -> dict[str, Any]:
    """Background job: patch these firms into every item's stored set (as of today). A job,
    because every stored set is read to find them: 29 s at 18,565 items × 100,000 firms in the
    bench (before the sets were blocked, see sweep.py), too long to hold an import's request."""
    return store_matches_for_enterprises(ids)


def on_enterprise_changed(ids: Iterable[int]) -> None:
    """Firms' facts, titles or pools changed (the registry import calls this after commit):
    their results are patched into the stored sets by a queued job, or, for a large import,
    recomputed by a queued full sweep."""
    from .eligibility import published_items_qs

    ids = list(ids)
    if not ids or not published_items_qs().exists():
        return
    if len(ids) > INLINE_LIMIT:
        from .tasks import queue_sweep

        queue_sweep(None, timezone.localdate(), scope="full")
        return
    patch_enterprises.enqueue([int(i) for i in ids])


def on_policy_changed(doc: Any) -> None:
    """A document changed state or content: its items' matches are recomputed (published) or
    removed (anything else)."""
    from .models import ItemMatchSet, Status
    from .sweep import sweep

    if doc.status != Status.PUBLISHED:
        ItemMatchSet.objects.filter(item__document_id=doc.pk).delete()
        return
    sweep(timezone.localdate(), document_ids=[doc.pk])
