"""USCC checks against the public test vectors (shared/data/raw, copied into fixtures)."""

from __future__ import annotations

import csv

import pytest

from smeladder.registry.identifiers import UsccStatus, check_uscc
from tests.registry.fixtures import USCC_VECTORS, make_uscc

with USCC_VECTORS.open(encoding="utf-8") as handle:
    VECTORS = [(row["uscc"], row["gb32100_checksum_result"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(("code", "expected"), VECTORS)
def test_public_vectors(code: str, expected: str) -> None:
    result = check_uscc(code)
    if expected == "valid":
        assert result.status is UsccStatus.VALID
        assert result.ok
    else:
        # The real pilot-era code fails only the check digit: it must not look malformed.
        assert expected == "checksum_fails_but_real"
        assert result.status is UsccStatus.BAD_CHECKSUM
        assert "--accept-checksum" in result.reason_en


def test_pilot_code_is_in_the_vectors() -> None:
    assert ("91350211M00013FA1N", "checksum_fails_but_real") in VECTORS


@pytest.mark.parametrize(
    "code",
    [
        "9135021",  # too short
        "91350211M00013FA1N0",  # too long
        "91350211M00013FA1O",  # O is not in the GB 32100 alphabet
        "A1350211M00013FA1N",  # first 8 must be digits
        "",
    ],
)
def test_malformed(code: str) -> None:
    result = check_uscc(code)
    assert result.status is UsccStatus.BAD_FORMAT
    assert result.reason_zh and result.reason_en


def test_check_digit_only_failure_names_expected_digit() -> None:
    good = make_uscc(42)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    result = check_uscc(wrong)
    assert result.status is UsccStatus.BAD_CHECKSUM
    assert good[-1] in result.reason_en


def test_compacts_spaces_and_case() -> None:
    assert check_uscc(" 9131 0115 5916 93856a ").code == "91310115591693856A"
