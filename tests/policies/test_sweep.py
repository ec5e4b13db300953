"""The set-based sweep equals the per-firm engine pair for pair (outcome, amount, facts waited
on) on a generated city and the demo library, and stays equal after a firm's figures change
and after a policy changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from smeladder.policies import matching
from smeladder.policies.demo import build_demo_library, delete_demo_library
from smeladder.policies.eligibility import clear_cache
from smeladder.policies.match_sets import load, yuan
from smeladder.policies.models import ItemMatchSet, PolicyDocument, Status, SupportItem, SweepRun
from smeladder.policies.sweep import Snapshot, Vec, evaluate_item_vec, sweep
from smeladder.registry.demo import delete_registry
from smeladder.registry.models import AnnualFigures, Enterprise, Pool, PoolMembership

ON = dt.date(2026, 5, 1)
N = 400

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def city(module_transaction: Any, django_db_blocker: Any) -> Any:
    """Built once; rolled back after the module (module_transaction), so nothing the demo
    command writes — casework, audit events, policies — is left for later modules."""
    with django_db_blocker.unblock():
        delete_registry()
        call_command("demo", enterprises=N, seed=11, stdout=StringIO())
        delete_demo_library()
        build_demo_library("3703", ON, items=300, seed=5, index=False)
        _pools()
    return None


def _pools() -> None:
    """Some firms in the pools the demo items name, some of them already left."""
    firms = list(Enterprise.objects.order_by("id").values_list("id", flat=True))
    for code in ("seed", "ipo-reserve"):
        pool, _ = Pool.objects.get_or_create(code=code, defaults={"name": code})
        for n, pk in enumerate(firms[::7]):
            PoolMembership.objects.get_or_create(
                pool=pool,
                enterprise_id=pk,
                joined_on=dt.date(2024, 1, 1) if n % 3 else ON,
                defaults={"left_on": dt.date(2026, 1, 1) if n % 5 == 0 else None},
            )


def _stored(
    items: Any = None,
) -> dict[tuple[int, int], tuple[str, Decimal | None, list[str]]]:
    """Every stored (item, firm) pair, decoded from the items' match sets."""
    ids = ItemMatchSet.objects.values_list("item_id", flat=True) if items is None else items
    out = {}
    for item_id, found in load(list(ids)).items():
        for firm, passed, amount, sig in zip(
            found.ids.tolist(), found.passed, found.amount, found.sig, strict=True
        ):
            outcome = "pass" if passed else "undetermined"
            out[(item_id, firm)] = (outcome, yuan(amount), found.sets[int(sig)])
    return out


def _python(ids: list[int] | None = None) -> dict[tuple[int, int], tuple[str, Any, list[str]]]:
    """What match_enterprise says, in the stored form."""
    clear_cache()
    out = {}
    for pk in ids or Enterprise.objects.values_list("id", flat=True):
        for m in matching.match_enterprise(pk, ON):
            exact = m.amount_lo is not None and m.amount_lo == m.amount_hi
            amount = (
                Decimal(str(round(m.amount_lo, 2))).quantize(Decimal("0.01")) if exact else None
            )
            waits = list(m.missing) + (list(m.manual_conditions) if m.outcome != "pass" else [])
            out[(m.item_id, pk)] = (m.outcome, amount, waits)
    return out


def _normalise(rows: dict) -> dict:
    return {
        k: (o, None if a is None else Decimal(a).quantize(Decimal("0.01")), w)
        for k, (o, a, w) in rows.items()
    }


def test_sweep_equals_per_firm_python(city: Any) -> None:
    stats = sweep(ON, notify=False)
    assert stats["fallback_items"] == 0  # the demo library is fully vectorised
    stored = _normalise(_stored())
    python = _normalise(_python())
    assert stored.keys() == python.keys()
    diff = [(k, stored[k], python[k]) for k in stored if stored[k] != python[k]]
    assert diff == []
    outcomes = {v[0] for v in stored.values()}
    assert outcomes == {"pass", "undetermined"}
    assert any(v[1] is not None for v in stored.values())
    assert stats["passed"] + stats["undetermined"] == len(stored)
    rows = ItemMatchSet.objects.select_related("item__document")
    assert rows.count() == stats["items"] == stats["rows_written"]  # one row per item
    assert sum(r.n_pass for r in rows) == stats["passed"]
    assert all(r.computed_on == ON for r in rows)
    assert all(r.policy_version == r.item.document.version for r in rows)
    assert stats["bytes_written"] > 0
    # a second run with nothing changed: the same sets, nobody newly passes
    again = sweep(ON, notify=False)
    assert again["new_pairs"] == 0 and _normalise(_stored()) == stored


@pytest.mark.parametrize(
    ("per_firm_limit", "block"),
    [(0, 16), (20, 4096)],
    ids=["snapshot, sets in blocks of 16", "per-firm engine, sets unblocked"],
)
def test_incremental_after_a_figure_change(
    city: Any, per_firm_limit: int, block: int, monkeypatch
) -> None:
    """Both ways of computing the changed firms (a registry snapshot of them; the per-firm
    engine for a few) patch the same outcome into the stored sets, blocked or not."""
    from smeladder.policies import match_sets
    from smeladder.policies import sweep as sweep_module

    monkeypatch.setattr(sweep_module, "PER_FIRM_LIMIT", per_firm_limit)
    monkeypatch.setattr(match_sets, "BLOCK", block)
    sweep(ON, notify=False)
    assert _normalise(_stored()) == _normalise(_python())  # whole sets, blocked or not
    # a firm's R&D expense jumps: the R&D items now see it
    firm = Enterprise.objects.filter(annual_figures__year=2025).order_by("id").first()
    AnnualFigures.objects.filter(enterprise=firm, year=2025).update(
        rd_expense=Decimal("9000000"), revenue=Decimal("60000000")
    )
    everything = _stored()
    before = {k: v for k, v in everything.items() if k[1] == firm.pk}
    matching.store_matches_for_enterprises([firm.pk], ON)
    after = _normalise({k: v for k, v in _stored().items() if k[1] == firm.pk})
    assert after == _normalise(_python([firm.pk]))
    assert after != _normalise(before)
    # and nothing else moved
    assert {k: v for k, v in _stored().items() if k[1] != firm.pk} == {
        k: v for k, v in everything.items() if k[1] != firm.pk
    }


def test_incremental_after_a_policy_change(city: Any) -> None:
    sweep(ON, notify=False)
    item = SupportItem.objects.filter(benefit__kind="fixed", document__status=Status.PUBLISHED)
    item = item.filter(match_set__n_pass__gt=0).first()
    doc = item.document
    others = {k: v for k, v in _stored().items() if k[0] not in _items_of(doc)}
    SupportItem.objects.filter(pk=item.pk).update(benefit={"kind": "fixed", "amount": 123456})
    PolicyDocument.objects.filter(pk=doc.pk).update(version=doc.version + 1)
    doc.refresh_from_db()
    matching.on_policy_changed(doc)
    amounts = {v[1] for v in _stored([item.pk]).values()}
    assert amounts == {Decimal("123456.00")}
    assert ItemMatchSet.objects.get(item=item).policy_version == doc.version
    assert {k: v for k, v in _stored().items() if k[0] not in _items_of(doc)} == others
    # withdrawn: its matches go
    PolicyDocument.objects.filter(pk=doc.pk).update(status=Status.WITHDRAWN)
    doc.refresh_from_db()
    matching.on_policy_changed(doc)
    assert not ItemMatchSet.objects.filter(item__document=doc).exists()


def _items_of(doc: PolicyDocument) -> set[int]:
    return set(doc.items.values_list("pk", flat=True))


def test_vectorised_ratio_zero_denominator_waits(city: Any) -> None:
    """A zero denominator is unknown and named '… (is 0)', as in checks.py."""
    snap = Snapshot(ON)
    vec = Vec(snap, slice(0, snap.n))
    got = vec.ev({"ratio": [1, {"fact": "annual.{L}.rd_expense"}]})
    zero = snap.fact("annual.2025.rd_expense")[1] == 0
    assert zero.any()
    assert (got.miss["annual.2025.rd_expense (is 0)"] == zero).all()


def test_queue_sweep_records_a_run(city: Any) -> None:
    from smeladder.policies.tasks import queue_sweep

    run = queue_sweep(None, ON)
    run.refresh_from_db()
    assert run.state == SweepRun.State.DONE
    assert run.items > 0 and run.enterprises == N
    assert run.passed + run.undetermined == len(_stored())


def test_unvectorised_operator_falls_back(city: Any) -> None:
    from smeladder.policies.eligibility import prepare

    item = SupportItem.objects.filter(document__status=Status.PUBLISHED).first()
    row = {
        "id": item.pk,
        "document_id": item.document_id,
        "name": "x",
        "eligibility": {"exists": {"in": "awards", "where": {"ge": [{"item": "year"}, 2020]}}},
        "manual_conditions": [],
        "benefit": {"kind": "none"},
        "auto_grant": False,
        "categories": [],
        "document__version": 1,
        "document__title": "t",
        "document__level": "city",
        "document__categories": [],
        "document__regions": ["370303"],
        "document__apply_from": None,
        "document__apply_to": None,
        "document__expires_on": None,
    }
    (prepared,) = prepare([row])
    assert evaluate_item_vec(Snapshot(ON), prepared) is None
