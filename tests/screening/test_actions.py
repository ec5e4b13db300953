"""start_screening with the Python evaluator: stored rows equal `assess()` for every firm."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.interchange.export_facts import iter_facts, registry_facts
from smeladder.registry.models import Enterprise
from smeladder.screening.actions import (
    ScreeningInputError,
    SQLEngineMissingWarning,
    outcome_counts,
    recommendation_list,
    rulebooks_in_scope,
    start_screening,
)
from smeladder.screening.models import ScreeningResult, ScreeningRun
from smeladder.standards import NoRulebookInForce, assess
from smeladder.standards.rulebook import has_rulebook_on, load_rulebooks, parse_rulebook

from .helpers import city

ON = dt.date(2026, 5, 1)
BOTH = ["innovative_sme", "sme_size"]


@pytest.fixture
def firms(db, tmp_path: Path) -> list[dict]:
    return city(tmp_path)


def stored(run: ScreeningRun) -> dict[tuple[str, str], dict]:
    rows = ScreeningResult.objects.filter(run=run).select_related("enterprise")
    out = {}
    for r in rows:
        out[r.enterprise.uscc, r.standard] = {
            "rulebook": r.rulebook,
            "outcome": r.outcome,
            "score": r.score,
            "score_range": None if r.score_lo is None else [r.score_lo, r.score_hi],
            "route": r.route,
            "class": r.size_class,
            "missing": r.missing,
        }
    return out


def expected(on: dt.date, standards: list[str], prefix: str = "") -> dict[tuple[str, str], dict]:
    out = {}
    for facts in iter_facts(prefix):
        for standard in standards:
            try:
                d = assess(registry_facts(facts), standard, on).to_dict()
            except NoRulebookInForce:
                continue
            out[facts["uscc"], standard] = {
                "rulebook": d["rulebook"],
                "outcome": d["outcome"],
                "score": d["score"],
                "score_range": d.get("score_range"),
                "route": d["route"],
                "class": d["class"],
                "missing": d["missing"],
            }
    return out


def test_stored_results_equal_assess(firms) -> None:
    run = start_screening(ON, BOTH, engine="python")
    assert run.status == "done" and run.engine == "python" and not run.error
    want = expected(ON, BOTH)
    assert stored(run) == want
    assert run.enterprises == len(firms) == 8
    assert run.evaluations == len(want) == 16
    assert run.finished_at >= run.started_at
    # the fixtures cover all three outcomes
    outcomes = {v["outcome"] for (_, s), v in want.items() if s == "innovative_sme"}
    assert outcomes == {"pass", "fail", "undetermined"}


def test_rulebooks_and_counts_recorded(firms) -> None:
    run = start_screening(ON, ["innovative_sme", "sme_size", "innovative_sme"], engine="python")
    assert run.standards == BOTH  # duplicates dropped, order kept
    assert run.rulebooks == {"innovative_sme": "miit-2022-63-annex1", "sme_size": "miit-2011-300"}
    counts = outcome_counts(run)
    assert list(counts) == BOTH
    inno = counts["innovative_sme"]["miit-2022-63-annex1"]
    want = expected(ON, ["innovative_sme"])
    for outcome in ("pass", "fail", "undetermined"):
        assert inno[outcome] == sum(v["outcome"] == outcome for v in want.values())
    assert sum(counts["sme_size"]["miit-2011-300"].values()) == 8


def test_audit_event(firms, make_user) -> None:
    user = make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    run = start_screening(ON, ["sme_size"], "3703", engine="python", user=user)
    assert run.created_by == user
    event = AuditEvent.objects.get(action="screening.run")
    assert event.actor == user and event.object_id == str(run.pk)
    assert event.changes["evaluations"] == 7
    assert event.changes["rulebooks"] == {"sme_size": "miit-2011-300"}


def test_all_standards_in_force_by_default(firms) -> None:
    run = start_screening("2026-05-01", engine="python")
    assert run.standards == [
        s for s in sorted({b.standard for b in load_rulebooks()}) if has_rulebook_on(s, ON)
    ]
    assert set(BOTH) <= set(run.standards)


def test_date_switch(firms) -> None:
    # innovative_sme's rulebook is in force from 2022-06-01: the day before there is none
    with pytest.raises(ScreeningInputError, match="no innovative_sme rulebook in force"):
        start_screening("2022-05-31", ["innovative_sme"], engine="python")
    assert not ScreeningRun.objects.exists()
    run = start_screening("2022-06-01", ["innovative_sme"], engine="python")
    assert run.rulebooks == {"innovative_sme": "miit-2022-63-annex1"}
    # a different date makes a different 上年度: results still equal assess() on that date
    assert stored(run) == expected(dt.date(2022, 6, 1), ["innovative_sme"])


def test_specialized_sme_rulebook_changes_on_2026_04_01(firms) -> None:
    before, after = dt.date(2026, 3, 31), dt.date(2026, 4, 1)
    if not (
        has_rulebook_on("specialized_sme", before) and has_rulebook_on("specialized_sme", after)
    ):
        pytest.skip("specialized_sme rulebooks not there yet (issue 3 in progress)")
    old = start_screening(before, ["specialized_sme"], engine="python")
    new = start_screening(after, ["specialized_sme"], engine="python")
    assert old.rulebooks["specialized_sme"] != new.rulebooks["specialized_sme"]
    assert stored(old) == expected(before, ["specialized_sme"])
    assert stored(new) == expected(after, ["specialized_sme"])


def test_division_filter(firms) -> None:
    run = start_screening(ON, BOTH, "370304", engine="python")
    assert run.enterprises == 3
    assert stored(run) == expected(ON, BOTH, "370304")
    divisions = set(
        ScreeningResult.objects.filter(run=run).values_list("enterprise__division_code", flat=True)
    )
    assert divisions == {"370304"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"on": "2026-13-01"}, "YYYY-MM-DD"),
        ({"standards": ["nonsense"]}, "unknown standard 'nonsense'"),
        ({"division_prefix": "3703x"}, "2, 4 or 6 digits"),
        ({"division_prefix": "370"}, "2, 4 or 6 digits"),
        ({"engine": "spark"}, "engine must be sql or python"),
    ],
)
def test_bad_input_raises_before_writing(firms, kwargs, message) -> None:
    args = {"on": ON, "standards": BOTH, "division_prefix": "", "engine": "python", **kwargs}
    on, standards, prefix = args.pop("on"), args.pop("standards"), args.pop("division_prefix")
    with pytest.raises(ScreeningInputError, match=message) as err:
        start_screening(on, standards, prefix, **args)
    assert isinstance(err.value, ValueError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))  # Chinese too
    assert not ScreeningRun.objects.exists()


def test_failure_keeps_the_run_and_no_results(firms, monkeypatch) -> None:
    import smeladder.screening.evaluate_python as ep

    def broken(facts, standard, on):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(ep, "assess", broken)
    with pytest.raises(RuntimeError, match="engine exploded"):
        start_screening(ON, BOTH, engine="python")
    run = ScreeningRun.objects.get()
    assert run.status == "failed" and "engine exploded" in run.error
    assert not ScreeningResult.objects.exists()
    assert AuditEvent.objects.filter(action="screening.run_failed", object_id=str(run.pk)).exists()


def test_sql_engine_falls_back_to_python_only_when_module_missing(firms, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "smeladder.screening.evaluate_sql", None)
    with pytest.warns(SQLEngineMissingWarning, match="evaluate_sql"):
        run = start_screening(ON, ["sme_size"], engine="sql")
    assert run.engine == "python"
    assert stored(run) == expected(ON, ["sme_size"])


def test_rulebooks_in_scope_with_a_regional_rulebook() -> None:
    def book(code: str, region: list[str] | None = None):
        data = {
            "code": code,
            "standard": "gazelle",
            "title": "瞪羚",
            "document": {"title": "t", "number": "n"},
            "in_force": {"from": "2025-01-01"},
            "sources": ["s"],
            "confidence": "GOV",
            "routes": [],
            "classification": None,
        }
        if region:
            data["region"] = region
        data["routes"] = [{"route": "conditions", "when": True}]
        return parse_rulebook(data)

    books = [book("national"), book("liaoning", ["21"]), book("shenyang", ["2101"])]
    assert rulebooks_in_scope("gazelle", ON, "", books) == ["liaoning", "national", "shenyang"]
    assert rulebooks_in_scope("gazelle", ON, "21", books) == ["liaoning", "shenyang"]
    assert rulebooks_in_scope("gazelle", ON, "210102", books) == ["shenyang"]
    assert rulebooks_in_scope("gazelle", ON, "3703", books) == ["national"]


# -- recommendation list and scoping ---------------------------------------------------------


def test_recommendation_list_order_and_queries(firms, django_assert_num_queries) -> None:
    run = start_screening(ON, ["innovative_sme"], engine="python")
    with django_assert_num_queries(1):
        rows = [
            (r.enterprise.division_code, r.score, r.enterprise.uscc, r.enterprise.name)
            for r in recommendation_list(run, "innovative_sme")
        ]
    want = sorted(
        (
            (uscc[2:8], v["score"], uscc)
            for (uscc, _), v in expected(ON, ["innovative_sme"]).items()
            if v["outcome"] == "pass"
        ),
        key=lambda t: (t[0], -(t[1] if t[1] is not None else float("-inf")), t[2]),
    )
    assert [r[:3] for r in rows] == want
    assert len(rows) >= 3
    assert all(r[3].startswith("筛选测试企业") for r in rows)
    in_boshan = recommendation_list(run, "innovative_sme", "370304")
    assert {r.enterprise.division_code for r in in_boshan} == {"370304"}


def test_recommendation_list_scoped_for_district_user(firms, make_user) -> None:
    run = start_screening(ON, BOTH, engine="python")
    zhangdian = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    boshan = make_user("bs", Role.DISTRICT_OFFICIAL, division_prefix="370304")
    results = ScreeningResult.objects.for_user(zhangdian)
    assert results.count() == 8  # 4 firms × 2 standards
    assert set(results.values_list("enterprise__division_code", flat=True)) == {"370303"}
    listed = recommendation_list(run, "innovative_sme").for_user(zhangdian)
    assert {r.enterprise.division_code for r in listed} == {"370303"}
    assert (
        not ScreeningResult.objects.for_user(boshan)
        .filter(enterprise__division_code="370303")
        .exists()
    )
    firm = Enterprise.objects.get(uscc=firms[0]["uscc"])
    firm_user = make_user("firm", Role.ENTERPRISE, enterprise=firm)
    assert set(
        ScreeningResult.objects.for_user(firm_user).values_list("enterprise", flat=True)
    ) == {firm.pk}


def test_runs_scoped_by_overlapping_area(firms, make_user) -> None:
    whole = start_screening(ON, ["sme_size"], engine="python")
    city_run = start_screening(ON, ["sme_size"], "3703", engine="python")
    boshan_run = start_screening(ON, ["sme_size"], "370304", engine="python")
    jinan_run = start_screening(ON, ["sme_size"], "370102", engine="python")
    zhangdian = make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    city_user = make_user("city", Role.CITY_OFFICIAL, division_prefix="3703")
    firm_user = make_user("firm", Role.ENTERPRISE)
    assert set(ScreeningRun.objects.for_user(zhangdian)) == {whole, city_run}
    assert set(ScreeningRun.objects.for_user(city_user)) == {whole, city_run, boshan_run}
    assert jinan_run not in ScreeningRun.objects.for_user(city_user)
    assert not ScreeningRun.objects.for_user(firm_user).exists()
    assert not ScreeningRun.objects.for_user(None).exists()


def test_deleting_a_run_or_firm_cascades(firms) -> None:
    run = start_screening(ON, BOTH, engine="python")
    Enterprise.objects.filter(uscc=firms[0]["uscc"]).delete()
    assert ScreeningResult.objects.filter(run=run).count() == 14
    run.delete()
    assert not ScreeningResult.objects.exists()


@pytest.mark.parametrize("on", [dt.date(2026, 3, 31), dt.date(2026, 4, 1)])
def test_rulebook_in_force_on_each_side_of_2026_04_01(firms, on) -> None:
    # The 2026 办法 takes effect on 2026-04-01: each run records (and every row uses) the
    # rulebook in force on its own date, whichever rulebooks exist by then.
    from smeladder.standards import rulebook_for

    miit = ["innovative_sme", "tech_innovative_sme", "specialized_sme", "sme_size"]
    chosen = [s for s in miit if has_rulebook_on(s, on)]
    run = start_screening(on, chosen, engine="python")
    assert run.rulebooks == {s: rulebook_for(s, on).code for s in chosen}
    assert stored(run) == expected(on, chosen)
    used = set(ScreeningResult.objects.filter(run=run).values_list("standard", "rulebook"))
    assert used == {(s, rulebook_for(s, on).code) for s in chosen}
