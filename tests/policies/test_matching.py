"""match_enterprise: three-valued outcomes with missing facts and manual conditions, regions,
the index never dropping an item that could apply, sorting, the library cache, bounded queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from smeladder.policies import matching
from smeladder.policies.eligibility import clear_cache, published_index, requirements
from smeladder.policies.matching import FAIL, match_enterprise, result_for
from smeladder.policies.models import PolicyDocument, Status, SupportItem
from smeladder.registry.models import AnnualFigures, Enterprise, Pool, PoolMembership, Title
from smeladder.standards.facts import Facts
from tests.registry.fixtures import make_uscc

ON = dt.date(2026, 5, 1)
pytestmark = pytest.mark.django_db

LG = {"title": {"codes": ["little_giant"], "levels": ["national"]}}
RD = {"fact": "annual.{L}.rd_expense"}


def doc(regions: list[str], apply_to: dt.date | None = None, **kw: Any) -> PolicyDocument:
    return PolicyDocument.objects.create(
        title=kw.pop("title", "文件"),
        issuer="淄博市工信局",
        level=kw.pop("level", "city"),
        regions=regions,
        status=kw.pop("status", Status.PUBLISHED),
        apply_to=apply_to,
        **kw,
    )


def item(d: PolicyDocument, seq: int, eligibility: Any, benefit: Any, **kw: Any) -> SupportItem:
    return SupportItem.objects.create(
        document=d, seq=seq, name=f"事项{seq}", eligibility=eligibility, benefit=benefit, **kw
    )


@pytest.fixture
def library(db: None) -> dict[str, Any]:
    clear_cache()
    city = doc(["3703"], apply_to=dt.date(2026, 6, 30))
    district = doc(["370304"], apply_to=dt.date(2026, 5, 10))
    national = doc([], level="national")
    closed = doc(["3703"], apply_to=dt.date(2026, 4, 30))
    draft = doc(["3703"], status=Status.DRAFT)
    items = {
        "lg": item(city, 1, LG, {"kind": "fixed", "amount": 1_000_000}),
        "rd": item(
            city,
            2,
            {"all": [{"ge": [RD, 1_000_000]}]},
            {"kind": "formula", "expr": {"mul": [0.1, RD]}, "cap": 500_000},
        ),
        "manual": item(
            city,
            3,
            {"all": [{"size_class": ["small", "micro"]}]},
            {"kind": "fixed", "amount": 1_000_000},
            manual_conditions=["项目通过专家评审"],
        ),
        "pool": item(district, 1, {"pool": {"codes": ["seed"]}}, {"kind": "fixed", "amount": 50}),
        "free": item(national, 1, {}, {"kind": "none", "text": "优先推荐"}),
        "closed": item(closed, 1, {}, {"kind": "fixed", "amount": 9}),
        "draft": item(draft, 1, {}, {"kind": "fixed", "amount": 9}),
    }
    zd = Enterprise.objects.create(
        uscc=make_uscc(1, "370303"), name="甲", division_code="370303", industry_code="C3484"
    )
    bs = Enterprise.objects.create(
        uscc=make_uscc(2, "370304"), name="乙", division_code="370304", industry_code="C3484"
    )
    other = Enterprise.objects.create(
        uscc=make_uscc(3, "210102"), name="丙", division_code="210102", industry_code="C3484"
    )
    Title.objects.create(
        enterprise=zd, code="little_giant", level="national", valid_from=dt.date(2025, 1, 1)
    )
    AnnualFigures.objects.create(
        enterprise=zd, year=2025, rd_expense=2_000_000, employees=50, revenue=10_000_000
    )
    AnnualFigures.objects.create(enterprise=bs, year=2025, revenue=10_000_000)
    seed = Pool.objects.create(code="seed", name="种子库")
    PoolMembership.objects.create(pool=seed, enterprise=bs, joined_on=dt.date(2025, 1, 1))
    return {"items": items, "zd": zd, "bs": bs, "other": other}


def by_item(matches: list[matching.ItemMatch]) -> dict[int, matching.ItemMatch]:
    return {m.item_id: m for m in matches}


def test_firm_with_title_and_figures(library: dict[str, Any]) -> None:
    it = library["items"]
    got = by_item(match_enterprise(library["zd"], ON))
    assert set(got) == {it["lg"].pk, it["rd"].pk, it["manual"].pk, it["free"].pk}
    assert got[it["lg"].pk].outcome == "pass"
    assert (got[it["lg"].pk].amount_lo, got[it["lg"].pk].amount_hi) == (1_000_000, 1_000_000)
    assert got[it["rd"].pk].amount_lo == pytest.approx(200_000)
    # passes on data but a person must judge the rest: undetermined, the condition listed
    manual = got[it["manual"].pk]
    assert manual.outcome == "undetermined"
    assert manual.manual_conditions == ("项目通过专家评审",)
    assert manual.missing == ()
    assert got[it["free"].pk].amount_lo is None and got[it["free"].pk].amount_text == "优先推荐"


def test_unknown_facts_are_listed_not_guessed(library: dict[str, Any]) -> None:
    it = library["items"]
    got = by_item(match_enterprise(library["bs"], ON))
    # no R&D expense on record: the R&D item waits on it, its amount is not 0 but unknown
    rd = got[it["rd"].pk]
    assert rd.outcome == "undetermined"
    assert rd.missing == ("annual.2025.rd_expense",)
    assert (rd.amount_lo, rd.amount_hi) == (None, 500_000)
    # size class waits on the employees
    assert "annual.2025.employees" in got[it["manual"].pk].missing
    assert got[it["pool"].pk].outcome == "pass"  # 博山 firm in the seed pool
    assert it["lg"].pk not in got  # no title: fails, not listed


def test_regions_and_windows(library: dict[str, Any]) -> None:
    it = library["items"]
    got = by_item(match_enterprise(library["other"], ON))
    assert set(got) == {it["free"].pk}  # only the national document covers 沈阳
    zd = by_item(match_enterprise(library["zd"], ON, include_fail=True))
    assert zd[it["pool"].pk].outcome == FAIL  # another district's document
    assert it["closed"].pk not in zd and it["draft"].pk not in zd  # closed window, draft
    assert by_item(match_enterprise(library["zd"], dt.date(2026, 4, 30)))[it["lg"].pk]


def test_sorted_by_amount_then_deadline(library: dict[str, Any]) -> None:
    got = match_enterprise(library["zd"], ON)
    amounts = [m.amount_hi if m.amount_hi is not None else -1 for m in got]
    assert amounts == sorted(amounts, reverse=True)
    lg, manual = got[0], got[1]  # both ¥100万: same deadline, then by item
    assert lg.amount_hi == manual.amount_hi == 1_000_000 and lg.item_id < manual.item_id
    district = doc(["3703"], apply_to=dt.date(2026, 5, 5))
    soon = item(district, 1, {}, {"kind": "fixed", "amount": 1_000_000})
    got = match_enterprise(library["zd"], ON)
    assert got[0].item_id == soon.pk  # same amount, earlier deadline first


def test_index_never_drops_an_item_that_could_apply(library: dict[str, Any]) -> None:
    """Brute force (every item evaluated) and the indexed path agree on every firm."""
    from smeladder.registry.interchange.export_facts import enterprise_engine_facts

    index = published_index()
    for firm in ("zd", "bs", "other"):
        pk = library[firm].pk
        facts = Facts(enterprise_engine_facts(pk))
        brute = {i.id: result_for(i, facts, ON).outcome for i in index.items if i.current_on(ON)}
        fast = {m.item_id: m.outcome for m in match_enterprise(pk, ON, include_fail=True)}
        assert fast == brute


def test_requirements_read_off_the_conjuncts() -> None:
    req = requirements(
        {
            "all": [
                LG,
                {"all": [{"pool": {"codes": ["seed", "ipo"]}}]},
                {"within": [{"fact": "division_code"}, ["370303"]]},
                {"size_class": ["small", "micro"]},
                {"size_class": ["micro", "medium"]},
                {"any": [{"title": {"codes": ["hnte"]}}]},  # an alternative: no requirement
            ]
        }
    )
    assert req.titles == (frozenset({"little_giant"}),)
    assert req.pools == (frozenset({"seed", "ipo"}),)
    assert req.divisions == (("370303",),)
    assert req.size_classes == frozenset({"micro"})


def test_cache_follows_the_library(library: dict[str, Any]) -> None:
    first = published_index()
    assert published_index() is first  # unchanged library: the same prepared items
    d = library["items"]["lg"].document
    PolicyDocument.objects.filter(pk=d.pk).update(status=Status.WITHDRAWN)
    second = published_index()
    assert second is not first
    assert library["items"]["lg"].pk not in second.by_id
    pool = library["items"]["pool"]
    SupportItem.objects.filter(pk=pool.pk).update(name="改")
    PolicyDocument.objects.filter(pk=pool.document_id).update(version=2)
    assert published_index().by_id[pool.pk].version == 2


def test_query_count_is_bounded(library: dict[str, Any], django_assert_max_num_queries) -> None:
    match_enterprise(library["zd"], ON)  # warm the cache
    for n in range(30):
        doc(["3703"]).items.create(seq=1, name=f"x{n}", eligibility=LG, benefit={})
    clear_cache()
    published_index()
    # the firm's facts (8 reads) and one fingerprint of the library, however many items
    with django_assert_max_num_queries(10):
        match_enterprise(library["zd"], ON)


def test_registry_import_updates_stored_matches(
    library: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The import action recomputes the changed firm's matches once its transaction commits."""
    from smeladder.policies.match_sets import firm_matches
    from smeladder.registry.actions import import_enterprises
    from smeladder.registry.interchange.export_facts import enterprise_facts
    from smeladder.registry.interchange.records import ReadResult, SourceRecord

    zd = library["zd"]
    rd = library["items"]["rd"]
    # the hook computes as of today: keep the window open whatever today is
    PolicyDocument.objects.filter(pk=rd.document_id).update(apply_to=None)
    matching.store_matches_for_enterprises([zd.pk], ON)
    before = firm_matches([rd.pk], zd.pk)[rd.pk]
    assert before.amount == 200_000  # 10% of ¥200万
    facts = enterprise_facts(zd.pk)
    facts["annual"]["2025"]["rd_expense"] = 3_000_000
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = import_enterprises(ReadResult("json", [SourceRecord("[0]", facts)]))
    assert result.written and result.updated == 1
    assert len(callbacks) == 1
    # computed as of today by the hook; the amount follows the new figure
    assert firm_matches([rd.pk], zd.pk)[rd.pk].amount == 300_000
