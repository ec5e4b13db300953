from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from smeladder.standards import NoRulebookInForce, assess, load_rulebooks, rulebook_for
from smeladder.standards.cases import cases_of
from smeladder.standards.rulebook import (
    CONFIDENCE_TAGS,
    RULEBOOK_DIR,
    RulebookError,
    parse_rulebook,
)

INNOVATIVE = RULEBOOK_DIR / "innovative_sme" / "miit-2022-63-annex1.json"


def _data() -> dict:
    return json.loads(INNOVATIVE.read_text(encoding="utf-8"))


def test_packaged_rulebooks_load() -> None:
    codes = {b.code for b in load_rulebooks()}
    assert {"miit-2011-300", "miit-2022-63-annex1"} <= codes


def test_every_check_cites_document_article_and_confidence() -> None:
    for book in load_rulebooks():
        assert book.document["number"]
        assert book.confidence in CONFIDENCE_TAGS
        for check in book.checks:
            assert check["source"]["document"] and check["source"]["article"]
            assert check["confidence"] in CONFIDENCE_TAGS
        for group in (book.classification or {}).get("groups", ()):
            assert group["article"] and group["confidence"] in CONFIDENCE_TAGS


def test_sme_size_has_all_sixteen_groups() -> None:
    book = rulebook_for("sme_size", date(2026, 1, 1))
    assert book.classification is not None
    assert len(book.classification["groups"]) == 16


@pytest.mark.parametrize(
    ("standard", "on", "code"),
    [
        ("innovative_sme", date(2022, 6, 1), "miit-2022-63-annex1"),
        ("innovative_sme", date(2026, 3, 31), "miit-2022-63-annex1"),
        # still the tier-1 test after the 2026 办法 (standards.md §0.2)
        ("innovative_sme", date(2026, 4, 1), "miit-2022-63-annex1"),
        ("sme_size", date(2011, 6, 18), "miit-2011-300"),
    ],
)
def test_date_picks_rulebook(standard: str, on: date, code: str) -> None:
    assert rulebook_for(standard, on).code == code


def test_no_rulebook_before_it_was_issued() -> None:
    with pytest.raises(NoRulebookInForce):
        rulebook_for("innovative_sme", date(2022, 5, 31))
    with pytest.raises(NoRulebookInForce):
        assess({}, "innovative_sme", date(2021, 1, 1))


def test_a_later_rulebook_takes_over_on_its_date(tmp_path: Path) -> None:
    """A revision is a new file with its own dates; the date switches between them."""
    old, new = _data(), _data()
    old["in_force"]["to"] = "2026-03-31"
    new["code"] = "test-2026-revision"
    new["in_force"] = {"from": "2026-04-01", "to": None}
    total = next(c for c in new["checks"] if c["code"] == "total_score")
    total["test"]["ge"][1] = 95  # a stricter (invented) pass mark
    (tmp_path / "old.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
    sme = RULEBOOK_DIR / "sme_size" / "miit-2011-300.json"
    (tmp_path / "sme.json").write_text(sme.read_text(encoding="utf-8"), encoding="utf-8")
    books = load_rulebooks(tmp_path)
    e1 = cases_of("innovative_sme")["firms"]["E1"]  # 90 points (standards.md §9.3)
    before = assess(e1, "innovative_sme", date(2026, 3, 31), rulebooks=books)
    after = assess(e1, "innovative_sme", date(2026, 4, 1), rulebooks=books)
    assert (before.rulebook, before.outcome) == ("miit-2022-63-annex1", "pass")
    assert (after.rulebook, after.outcome) == ("test-2026-revision", "fail")


def test_overlapping_rulebooks_are_rejected(tmp_path: Path) -> None:
    a, b = _data(), _data()
    b["code"] = "overlap"
    (tmp_path / "a.json").write_text(json.dumps(a), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(b), encoding="utf-8")
    with pytest.raises(RulebookError, match="overlap"):
        load_rulebooks(tmp_path)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["checks"][5].pop("source"), "source"),
        (lambda d: d["checks"][5].update(confidence="maybe"), "confidence"),
        (lambda d: d["checks"][5]["points"].update(lambda_=1), "unknown"),
        (lambda d: d["routes"][0]["when"]["all"].append({"check": "nope"}), "unknown checks"),
        (lambda d: d.update(band_edge="sideways"), "band_edge"),
        (lambda d: d["checks"][5].pop("max_points"), "max_points"),
    ],
)
def test_malformed_rulebooks_are_rejected(mutate, message: str) -> None:
    data = copy.deepcopy(_data())
    mutate(data)
    with pytest.raises(RulebookError, match=message):
        parse_rulebook(data)


def test_every_title_rulebook_says_how_long_its_title_lasts() -> None:
    for book in load_rulebooks():
        if book.standard == "sme_size":
            assert book.validity is None  # a size class, not a title
            continue
        assert book.validity is not None, book.code
        assert book.validity["source"]["document"], book.code


def test_title_periods_follow_the_rulebooks() -> None:
    hnte = rulebook_for("hnte", date(2026, 5, 1))
    assert hnte.title_period(date(2024, 5, 1)) == (date(2024, 5, 1), date(2027, 4, 30))
    assert hnte.title_period(date(2024, 2, 29)) == (date(2024, 2, 29), date(2027, 2, 28))
    tech = rulebook_for("tech_sme", date(2026, 5, 1))
    assert tech.title_period(date(2026, 3, 2)) == (date(2026, 3, 2), date(2026, 12, 31))
    champion = rulebook_for("single_champion", date(2026, 5, 1))
    assert (
        champion.validity["renewal"] == "review" and champion.validity["review_extends_years"] == 3
    )
    assert hnte.validity["renewal"] == "reapply"  # 2016 rules: no 复审, re-apply as new


@pytest.mark.parametrize(
    "validity",
    [
        {"years": 0, "renewal": "review"},
        {"years": 3, "renewal": "forever"},
        {"years": 3, "renewal": "review", "until": "next_week"},
        {"years": 3, "renewal": "review", "rule": "有效期3年"},  # no source
    ],
)
def test_malformed_validity_is_rejected(tmp_path: Path, validity: dict) -> None:
    data = _data()
    data["validity"] = {"rule": "x", "source": {"document": "d"}, "confidence": "C1", **validity}
    if "rule" in validity and "source" not in validity:
        del data["validity"]["source"]
    (tmp_path / "x.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RulebookError):
        load_rulebooks(tmp_path)
