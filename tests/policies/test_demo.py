"""The demo policy library: ≥ 500 published items over every level and category, every kind of
rule and benefit, marked as demo data, valid in the policy format, evaluable by the engine."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from smeladder.policies.demo import DEMO_MARK, build_demo_library, generate_items
from smeladder.policies.interchange.format import document_to_data
from smeladder.policies.interchange.validate import validate_document
from smeladder.policies.models import Category, Level, PolicyDocument, Status, SupportItem
from smeladder.standards.checks import Context, Ev, evaluate
from smeladder.standards.facts import Facts
from smeladder.standards.logic import UNKNOWN

ON = dt.date(2026, 6, 1)


@pytest.fixture
def library(db) -> int:
    # the search index is the search helper's (and slow to build): tested once below
    return build_demo_library("3703", ON, index=False)


def _nodes(expr: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(expr, dict):
        for op, arg in expr.items():
            yield op, arg
            yield from _nodes(arg)
    elif isinstance(expr, list):
        for x in expr:
            yield from _nodes(x)


def _kinds(item: SupportItem) -> set[str]:
    found: set[str] = set()
    exprs = [item.eligibility, item.benefit]
    for op, arg in _nodes(exprs):
        if op == "title":
            found.add("title_granted_in" if "granted_in" in arg else "title_held")
        elif op == "within":
            found.add(f"within_{arg[0]['fact']}")
        elif op in ("pool", "size_class", "ratio", "growth", "mul"):
            found.add(op)
        elif op in ("ge", "gt", "le", "lt") and isinstance(arg[0], dict) and "fact" in arg[0]:
            found.add("figure_threshold")
    if item.manual_conditions:
        found.add("manual")
    benefit = item.benefit
    found.add(f"benefit_{benefit['kind']}")
    if benefit["kind"] == "formula" and "cap" in benefit:
        found.add("benefit_formula_cap")
    return found


def test_at_least_500_published_demo_items(library):
    assert library >= 500
    assert SupportItem.objects.count() == library
    docs = PolicyDocument.objects.all()
    assert docs.exists()
    assert not docs.exclude(status=Status.PUBLISHED).exists()
    assert not docs.exclude(demo=True).exists()
    for doc in docs:
        assert doc.title.startswith(DEMO_MARK)
        assert "演示数据" in doc.full_text
    assert all(doc.revisions.count() == 1 for doc in docs[:20])


def test_every_level_and_category(library):
    pairs = {(d.level, c) for d in PolicyDocument.objects.all() for c in d.categories}
    assert pairs == {(lv, c) for lv in Level.values for c in Category.values}
    item_categories = Counter(c for i in SupportItem.objects.all() for c in i.categories)
    assert set(item_categories) == set(Category.values)
    district_regions = {
        r for d in PolicyDocument.objects.filter(level=Level.DISTRICT) for r in d.regions
    }
    assert len(district_regions) == 8  # every county of 淄博
    owners = {d.owner_prefix for d in PolicyDocument.objects.all()}
    assert all(o.startswith("3703") for o in owners)


def test_every_kind_of_rule_and_benefit(library):
    seen: set[str] = set()
    for item in SupportItem.objects.all():
        seen |= _kinds(item)
    expected = {
        "title_held",
        "title_granted_in",
        "pool",
        "within_division_code",
        "within_industry_code",
        "size_class",
        "figure_threshold",
        "ratio",
        "growth",
        "mul",
        "manual",
        "benefit_fixed",
        "benefit_formula",
        "benefit_formula_cap",
        "benefit_tiered",
        "benefit_none",
    }
    assert expected <= seen, expected - seen


def test_demo_documents_are_valid_policy_data(library):
    for doc in PolicyDocument.objects.prefetch_related("items"):
        _clean, problems = validate_document(document_to_data(doc, read_only=False))
        assert problems == [], (doc.title, problems)


def test_auto_grant_items_need_no_person(library):
    auto = SupportItem.objects.filter(auto_grant=True)
    assert auto.exists()
    assert all(not i.manual_conditions for i in auto)


def test_windows_mix_open_closing_and_year_round(library):
    docs = PolicyDocument.objects.all()
    assert docs.filter(apply_to__isnull=True).exists()  # 常年申报
    assert PolicyDocument.objects.open_on(ON).count() > docs.count() // 3
    closing = docs.filter(apply_to__gte=ON, apply_to__lte=ON + dt.timedelta(days=7))
    assert closing.exists()  # for the 7-day reminders
    assert docs.filter(apply_from__gt=ON).exists()


def test_every_eligibility_evaluates_on_a_real_firm(library):
    facts = Facts(
        {
            "division_code": "370303",
            "industry_code": "C3484",
            "listed": False,
            "flags": {"excluded_industry_rd_deduction": False, "serious_dishonesty_list": False},
            "titles": [
                {"code": "little_giant", "level": "national", "valid_from": "2025-07-01"},
                {"code": "hnte", "level": "national", "valid_from": "2024-01-01"},
            ],
            "pools": [{"code": "seed", "joined_on": "2024-03-01", "left_on": None}],
            "annual": {
                "2025": {"revenue": 80_000_000, "rd_expense": 4_000_000, "employees": 200},
                "2024": {"revenue": 60_000_000, "rd_expense": 3_000_000},
            },
        }
    )
    outcomes = Counter()
    for item in SupportItem.objects.all():
        ctx = Context(facts, ON)
        ctx.size_class = lambda: Ev("small")  # the firm's class, as matching passes it
        value = evaluate(item.eligibility, ctx).value if item.eligibility else True
        outcomes["unknown" if value is UNKNOWN else bool(value)] += 1
    # a titled, growing 张店 firm qualifies for some items and not for others
    assert outcomes[True] > 0 and outcomes[False] > 0


def test_rebuild_replaces_only_demo_documents(library, make_user):
    from smeladder.accounts.models import Role
    from smeladder.policies.actions import save_document

    from .test_workflow import policy_data

    official = make_user("city1", Role.CITY_OFFICIAL, division_prefix="3703")
    real = save_document(official, policy_data())
    titles = sorted(PolicyDocument.objects.filter(demo=True).values_list("title", flat=True))
    again = build_demo_library("3703", ON, index=False)
    assert again == library
    assert sorted(PolicyDocument.objects.filter(demo=True).values_list("title", flat=True)) == (
        titles
    )  # same seed, same library
    assert PolicyDocument.objects.filter(pk=real.pk).exists()


def test_generate_items_writes_exactly_n_quickly(db):
    started = time.perf_counter()
    assert generate_items(3000, seed=7) == 3000
    seconds = time.perf_counter() - started
    assert SupportItem.objects.count() == 3000
    assert seconds < 30, seconds
    # the realistic mix: several levels and every category
    assert PolicyDocument.objects.values("level").distinct().count() == 4


def test_build_rebuilds_the_search_index(db, monkeypatch):
    import smeladder.policies.search as search

    calls = []
    monkeypatch.setattr(search, "reindex_all", lambda *a, **k: calls.append(1) or (0, 0))
    build_demo_library("3703", ON, items=40)
    assert calls == [1]
    assert SupportItem.objects.count() >= 40


def test_place_bound_items_stay_in_their_place(library):
    """A district's settlement reward is not in a national document, and a district document's
    division conditions name its own district."""
    for item in SupportItem.objects.select_related("document"):
        divisions = [
            p
            for op, arg in _nodes(item.eligibility)
            if op == "within" and arg[0] == {"fact": "division_code"}
            for p in arg[1]
        ]
        doc = item.document
        if doc.level in (Level.NATIONAL, Level.PROVINCIAL):
            assert divisions == [], (doc.title, item.name)
        elif doc.level == Level.DISTRICT:
            assert all(p.startswith(doc.regions[0]) for p in divisions), (doc.title, item.name)


def test_smeladder_demo_builds_the_policy_library(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("demo", enterprises=20, seed=5, stdout=out)
    assert "演示政策库" in out.getvalue()
    assert SupportItem.objects.filter(document__demo=True).count() >= 500
