"""Checking enterprise facts for malformed values before assessing them, without a database.

The engine reads values as they are, so a string where a number belongs (``"1,000万"`` in
``annual.2025.revenue``), a date that is not ISO, a flag that is not a JSON boolean, a negative
head-count or a share outside 0–1 is reported, never guessed at. Missing keys and explicit
``null`` are fine (the engine treats them as unknown).

Each value is judged by the importer's own checker (``registry/interchange/coerce.py``) against the
interchange schema; both are Django-free, so a fact and its checks are written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from smeladder.registry.interchange.coerce import Invalid, coerce, wrong_type, year_key
from smeladder.registry.interchange.schema import (
    ANNUAL_FACTS,
    AWARD_FACTS,
    ENTERPRISE_FACTS,
    EQUITY_FACT,
    GROUPS,
    MAKER_CHINA_FACTS,
    PLATFORM_SCORE_FACT,
    STRUCTURED_LABELS,
    TITLE_FACTS,
    Fact,
)

TOP_FACTS: dict[str, Fact] = {f.path: f for f in ENTERPRISE_FACTS if f.group is None}
GROUP_FACTS: dict[str, dict[str, Fact]] = {
    group: {f.key: f for f in ENTERPRISE_FACTS if f.group == group} for group in GROUPS
}
ANNUAL: dict[str, Fact] = {f.key: f for f in ANNUAL_FACTS}
LIST_ITEMS: dict[str, dict[str, Fact]] = {
    "awards": {f.key: f for f in AWARD_FACTS},
    "maker_china": {f.key: f for f in MAKER_CHINA_FACTS},
    "titles": {f.key: f for f in TITLE_FACTS},
}
#: judgement scores (e.g. 高企 expert sub-scores): ``expert_scores.<standard>.<item>``, 0–100
EXPERT_SCORE = Fact("expert_scores", "decimal", "score", "专家评分", "expert score", min=0, max=100)
EXPERT_SCORES_LABEL = ("专家评分", "expert scores")
PER_YEAR: dict[str, Fact] = {
    "equity_financing": EQUITY_FACT,
    "platform_score": PLATFORM_SCORE_FACT,
}


@dataclass(frozen=True)
class FactProblem:
    """One malformed value: which enterprise, which field, what is wrong (Chinese and English)."""

    enterprise: str  # the uscc, or "#n" (1-based position in the input) when it has none
    path: str  # e.g. "annual.2025.revenue", "awards[0].year"
    label_zh: str
    label_en: str
    zh: str
    en: str

    def message(self) -> str:
        return (
            f"企业 {self.enterprise} 字段 {self.path}（{self.label_zh}）：{self.zh} / "
            f"enterprise {self.enterprise} field {self.path} ({self.label_en}): {self.en}"
        )


class MalformedFacts(ValueError):
    """Some facts are malformed; ``problems`` lists every one found."""

    def __init__(self, problems: list[FactProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.message() for p in problems))


def _wrong_type(value: Any, want_zh: str, want_en: str) -> tuple[str, str]:
    problem = wrong_type(value, want_zh, want_en)
    return problem.zh, problem.en


def value_problem(fact: Fact, value: Any) -> tuple[str, str] | None:
    """What is wrong with ``value`` as ``fact`` (Chinese, English), or None if it is fine.

    The importer's checker decides, so a value is well-formed here exactly when the import would
    take it, except for the columns' storage limits, which the engine does not need."""
    try:
        coerce(fact, value, for_storage=False)
    except Invalid as problem:
        return problem.zh, problem.en
    return None


def enterprise_name(record: Any, position: int) -> str:
    """How messages name a record: its uscc, else its 1-based position as ``#n``."""
    if isinstance(record, Mapping):
        uscc = record.get("uscc")
        if isinstance(uscc, str) and uscc.strip():
            return uscc
    return f"#{position}"


def check_record(record: Any, position: int = 1) -> list[FactProblem]:
    """Every malformed value of one enterprise's facts (``position`` is 1-based)."""
    who = enterprise_name(record, position)
    problems: list[FactProblem] = []

    def add(path: str, label: tuple[str, str], what: tuple[str, str]) -> None:
        problems.append(FactProblem(who, path, label[0], label[1], what[0], what[1]))

    def check(fact: Fact, path: str, value: Any) -> None:
        what = value_problem(fact, value)
        if what is not None:
            add(path, (fact.zh, fact.en), what)

    def need_object(path: str, value: Any, label: tuple[str, str]) -> bool:
        if isinstance(value, Mapping):
            return True
        add(path, label, _wrong_type(value, "对象", "an object"))
        return False

    def year_keyed(path: str, value: Any, label: tuple[str, str]) -> list[tuple[str, Any]]:
        if value is None or not need_object(path, value, label):
            return []
        out = []
        for key, item in value.items():
            try:
                year_key(key)
            except Invalid as problem:
                add(f"{path}.{key}", label, (problem.zh, problem.en))
                continue
            out.append((f"{path}.{key}", item))
        return out

    if not isinstance(record, Mapping):
        add("(record)", ("记录", "record"), _wrong_type(record, "JSON 对象", "a JSON object"))
        return problems

    for path, fact in TOP_FACTS.items():
        if path in record:
            check(fact, path, record[path])
    for group, facts in GROUP_FACTS.items():
        node = record.get(group)
        if node is None or not need_object(group, node, (group, group)):
            continue
        for key, fact in facts.items():
            if key in node:
                check(fact, fact.path, node[key])

    annual_label = STRUCTURED_LABELS["annual"]
    for year_path, figures in year_keyed("annual", record.get("annual"), annual_label):
        if figures is None or not need_object(year_path, figures, annual_label):
            continue
        for key, fact in ANNUAL.items():
            if key in figures:
                check(fact, f"{year_path}.{key}", figures[key])

    for key, fact in PER_YEAR.items():
        for year_path, value in year_keyed(key, record.get(key), STRUCTURED_LABELS[key]):
            check(fact, year_path, value)

    for key, facts in LIST_ITEMS.items():
        items = record.get(key)
        label = STRUCTURED_LABELS[key]
        if items is None:
            continue
        if not isinstance(items, list):
            add(key, label, _wrong_type(items, "列表", "a list"))
            continue
        for i, item in enumerate(items):
            item_path = f"{key}[{i}]"
            if not need_object(item_path, item, label):
                continue
            for field_key, fact in facts.items():
                if field_key in item:
                    check(fact, f"{item_path}.{field_key}", item[field_key])

    # Optional judgement scores, an object of objects of numbers: expert_scores.hnte.conversion
    scores = record.get("expert_scores")
    if scores is not None and need_object("expert_scores", scores, EXPERT_SCORES_LABEL):
        for standard, items in scores.items():
            path = f"expert_scores.{standard}"
            if items is None or not need_object(path, items, EXPERT_SCORES_LABEL):
                continue
            for item, value in items.items():
                check(EXPERT_SCORE, f"{path}.{item}", value)
    return problems


def check_records(records: Iterable[Any]) -> list[FactProblem]:
    """Every malformed value of every record, in input order."""
    problems: list[FactProblem] = []
    for position, record in enumerate(records, start=1):
        problems.extend(check_record(record, position))
    return problems


def ensure_well_formed(records: Iterable[Any]) -> None:
    """Raise :class:`MalformedFacts` listing every problem, if there is any."""
    problems = check_records(records)
    if problems:
        raise MalformedFacts(problems)
