"""Facts checked for malformed values before assessment, without a database (no `db` fixture)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from smeladder.standards.facts_check import (
    MalformedFacts,
    check_record,
    check_records,
    ensure_well_formed,
)

GOOD = {
    "uscc": "91370303MA3XXXXXX1",
    "industry_code": "C3484",
    "founded_on": "2015-03-02",
    "flags": {"abnormal_operations_list": False},
    "main_product": {"market_share": 0.12, "key_field": "A"},
    "ip": {"class1": 2, "class2": 4},
    "rd_institution": "city",
    "awards": [{"level": "provincial", "year": 2024, "rank": 1}],
    "titles": [
        {"code": "innovative_sme", "level": "provincial", "valid_from": "2024-01-01"},
    ],
    "equity_financing": {"2024": 0},
    "annual": {"2025": {"revenue": 20000000, "employees": 300, "net_profit": -5000}},
}


def _with(**changes):
    record = {**GOOD}
    record.update(changes)
    return record


def _paths(record) -> list[str]:
    return [p.path for p in check_record(record)]


def test_a_well_formed_record_passes() -> None:
    assert check_record(GOOD) == []
    ensure_well_formed([GOOD, {"uscc": "x"}, {}])


def test_missing_and_null_are_unknown_not_malformed() -> None:
    assert check_record({"annual": {"2025": {"revenue": None}}, "listed": None}) == []


@pytest.mark.parametrize(
    ("record", "path"),
    [
        (_with(annual={"2025": {"revenue": "2000万"}}), "annual.2025.revenue"),
        (_with(annual={"2025": {"revenue": True}}), "annual.2025.revenue"),
        (_with(annual={"2025": {"employees": -1}}), "annual.2025.employees"),
        (_with(annual={"2025": {"employees": 10.5}}), "annual.2025.employees"),
        (_with(annual={"2025": {"revenue": -1}}), "annual.2025.revenue"),
        (_with(annual={"FY25": {"revenue": 1}}), "annual.FY25"),
        (_with(annual=[1, 2]), "annual"),
        (_with(ip={"class1": "3"}), "ip.class1"),
        (_with(ip={"class2": -2}), "ip.class2"),
        (_with(main_product={"market_share": "12%"}), "main_product.market_share"),
        (_with(main_product={"market_share": 1.2}), "main_product.market_share"),
        (_with(main_product={"market_share": -0.1}), "main_product.market_share"),
        (_with(main_product={"key_field": "D"}), "main_product.key_field"),
        (_with(founded_on="2015/03/02"), "founded_on"),
        (_with(founded_on="2015-02-30"), "founded_on"),
        (_with(founded_on=20150302), "founded_on"),
        (_with(flags={"serious_dishonesty_list": "否"}), "flags.serious_dishonesty_list"),
        (_with(flags={"major_incident_3y": 0}), "flags.major_incident_3y"),
        (_with(listed="false"), "listed"),
        (_with(awards=[{"level": "provincial", "year": "2024"}]), "awards[0].year"),
        (_with(titles=[{"valid_from": "1 Jan 2024"}]), "titles[0].valid_from"),
        (_with(equity_financing={"2024": "100"}), "equity_financing.2024"),
        (_with(awards={"level": "city"}), "awards"),
    ],
)
def test_malformed_values_name_the_field(record, path) -> None:
    problems = check_record(record, 1)
    assert [p.path for p in problems] == [path]
    problem = problems[0]
    assert problem.enterprise == GOOD["uscc"]
    message = problem.message()
    assert GOOD["uscc"] in message and path in message
    assert "企业" in message and "enterprise" in message  # Chinese and English


def test_enterprise_without_uscc_is_named_by_position() -> None:
    problems = check_records([GOOD, {"annual": {"2025": {"employees": -3}}}])
    assert [(p.enterprise, p.path) for p in problems] == [("#2", "annual.2025.employees")]
    assert "不能为负数" in problems[0].message()
    assert "cannot be negative" in problems[0].message()


def test_a_record_that_is_not_an_object() -> None:
    problems = check_records([[1, 2]])
    assert problems[0].enterprise == "#1"
    assert "JSON" in problems[0].message()


def test_every_problem_is_collected() -> None:
    bad = _with(
        annual={"2025": {"revenue": "abc", "employees": -1}}, main_product={"market_share": 2}
    )
    with pytest.raises(MalformedFacts) as err:
        ensure_well_formed([bad])
    assert sorted(p.path for p in err.value.problems) == [
        "annual.2025.employees",
        "annual.2025.revenue",
        "main_product.market_share",
    ]


def test_wrong_type_message_says_what_was_expected() -> None:
    (problem,) = check_record(_with(annual={"2025": {"revenue": "abc"}}))
    assert problem.label_zh == "营业收入"
    assert "应为数字" in problem.zh and "文本" in problem.zh
    assert "expected a number" in problem.en


def test_the_checker_does_not_import_django() -> None:
    code = (
        "import sys\n"
        "from smeladder.standards import facts_check, cli_assess\n"
        "facts_check.check_record({'annual': {'2025': {'revenue': 'x'}}})\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": ""})


def test_expert_scores_are_objects_of_numbers_from_0_to_100() -> None:
    good = _with(expert_scores={"hnte": {"conversion": 27, "rd_management": 17.5, "x": None}})
    assert check_record(good) == []
    bad = [
        (_with(expert_scores=[1, 2]), "expert_scores"),
        (_with(expert_scores={"hnte": 27}), "expert_scores.hnte"),
        (_with(expert_scores={"hnte": {"conversion": "27分"}}), "expert_scores.hnte.conversion"),
        (_with(expert_scores={"hnte": {"conversion": True}}), "expert_scores.hnte.conversion"),
        (_with(expert_scores={"hnte": {"conversion": -1}}), "expert_scores.hnte.conversion"),
        (_with(expert_scores={"hnte": {"conversion": 101}}), "expert_scores.hnte.conversion"),
        (_with(expert_scores={"hnte": {"conversion": {"a": 1}}}), "expert_scores.hnte.conversion"),
    ]
    for record, path in bad:
        problems = check_record(record)
        assert [p.path for p in problems] == [path], path
        message = problems[0].message()
        assert "专家评分" in message and "expert score" in message
        assert "企业" in message and "enterprise" in message
