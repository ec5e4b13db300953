"""The compact encoding of an item's match set round-trips exactly (empty sets, one firm, huge
ids, every delta width, equal and varying amounts, NaN), and patching a set (remove firms, put
their new outcome) keeps the lists of missing facts right."""

from __future__ import annotations

import numpy as np
import pytest

from smeladder.policies.match_sets import (
    PASS,
    UNDETERMINED,
    MatchSet,
    decode_amounts,
    decode_ids,
    decode_indexes,
    encode_amounts,
    encode_ids,
    encode_indexes,
    yuan,
)


@pytest.mark.parametrize(
    "ids",
    [
        [],
        [0],
        [1],
        [7, 8, 9, 10],
        [1, 300],  # a delta above one byte
        [5, 70_000],  # above two bytes
        [3, 2**33],  # above four bytes
        [2**62, 2**63 - 1],  # the largest ids a BigAutoField holds
    ],
)
def test_ids_round_trip(ids: list[int]) -> None:
    arr = np.array(ids, dtype=np.int64)
    blob = encode_ids(arr)
    assert (blob == b"") == (not ids)
    assert decode_ids(blob).tolist() == ids
    assert decode_ids(memoryview(blob)).tolist() == ids  # PostgreSQL hands a memoryview


def test_delta_width_is_the_smallest_that_holds() -> None:
    assert encode_ids(np.arange(1, 1000))[:1] == b"B"
    assert encode_ids(np.array([1, 257]))[:1] == b"H"
    assert encode_ids(np.array([1, 65_537]))[:1] == b"I"
    assert encode_ids(np.array([1, 2**32 + 1]))[:1] == b"Q"


def test_dense_ids_compress_well() -> None:
    ids = np.arange(1, 100_001, dtype=np.int64)
    assert len(encode_ids(ids)) < 2000  # 100,000 deltas of 1, in 25 blocks
    random = np.unique(np.random.default_rng(1).integers(1, 10**6, 50_000))
    assert decode_ids(encode_ids(random)).tolist() == random.tolist()


def test_amounts_round_trip() -> None:
    assert encode_amounts(np.zeros(0)) == b""
    assert decode_amounts(b"", 0).tolist() == []
    same = np.full(5, 300000.0)
    blob = encode_amounts(same)
    assert blob[:1] == b"=" and len(blob) == 9
    assert decode_amounts(blob, 5).tolist() == same.tolist()
    nan = np.full(3, np.nan)
    assert len(encode_amounts(nan)) == 9
    assert np.isnan(decode_amounts(encode_amounts(nan), 3)).all()
    mixed = np.array([1.5, np.nan, 12345678.91, 0.0])
    got = decode_amounts(encode_amounts(mixed), 4)
    assert got[0] == 1.5 and np.isnan(got[1]) and got[2] == 12345678.91 and got[3] == 0.0


def test_indexes_round_trip() -> None:
    assert decode_indexes(encode_indexes(np.zeros(0, np.int64)), 0).tolist() == []
    assert decode_indexes(encode_indexes(np.full(4, 3)), 4).tolist() == [3, 3, 3, 3]
    varied = np.array([0, 1, 0, 400, 2])
    assert decode_indexes(encode_indexes(varied), 5).tolist() == varied.tolist()


class _Row:
    """The columns of an ItemMatchSet, as the model has them."""

    def __init__(self, fields: dict) -> None:
        self.__dict__.update(fields)


def _rows(found: MatchSet) -> list[tuple]:
    return [
        (
            int(i),
            PASS if p else UNDETERMINED,
            yuan(a),
            found.sets[int(s)],
        )
        for i, p, a, s in zip(found.ids, found.passed, found.amount, found.sig, strict=True)
    ]


def test_a_set_round_trips_through_its_columns() -> None:
    rows = [
        (9, PASS, 1000, []),
        (2**40, UNDETERMINED, None, ["annual.2025.rd_expense", "项目通过专家评审"]),
        (3, UNDETERMINED, 2.5, ["项目通过专家评审"]),
        (4, PASS, None, ["annual.2025.revenue"]),
    ]
    found = MatchSet.of_rows(rows)
    fields = found.encode()
    assert fields["n_pass"] == 2 and fields["n_undetermined"] == 2
    back = MatchSet.decode(_Row(fields))
    assert _rows(back) == [
        (3, UNDETERMINED, yuan(2.5), ["项目通过专家评审"]),
        (4, PASS, None, ["annual.2025.revenue"]),
        (9, PASS, yuan(1000), []),
        (2**40, UNDETERMINED, None, ["annual.2025.rd_expense", "项目通过专家评审"]),
    ]
    empty = MatchSet.decode(_Row(MatchSet.empty().encode()))
    assert len(empty) == 0


def test_patching_replaces_the_firms_outcome() -> None:
    stored = MatchSet.of_rows([(1, PASS, 10, []), (2, UNDETERMINED, None, ["a"]), (5, PASS, 5, [])])
    fresh = MatchSet.of_rows([(2, PASS, 20, ["b"]), (7, UNDETERMINED, None, ["a"])])
    patched = stored.without(np.array([1, 2, 7])).merged(fresh)
    assert _rows(patched) == [
        (2, PASS, yuan(20), ["b"]),
        (5, PASS, yuan(5), []),
        (7, UNDETERMINED, None, ["a"]),
    ]
    assert patched.outcome_of(np.array([5, 6, 7])).tolist() == [1, -1, 2]


def test_yuan_rounds_like_the_per_firm_path() -> None:
    assert yuan(np.nan) is None
    assert str(yuan(0.125)) == "0.12"  # half to even, as Python's round
    assert str(yuan(1234567.891)) == "1234567.89"


def test_same_as_compares_outcome_amount_and_missing() -> None:
    a = MatchSet.of_rows([(1, PASS, 10, []), (2, UNDETERMINED, None, ["x"])])
    assert a.same_as(MatchSet.of_rows([(2, UNDETERMINED, None, ["x"]), (1, PASS, 10, [])]))
    assert not a.same_as(MatchSet.of_rows([(1, PASS, 10, []), (2, UNDETERMINED, None, ["y"])]))
    assert not a.same_as(MatchSet.of_rows([(1, PASS, 11, []), (2, UNDETERMINED, None, ["x"])]))
    assert not a.same_as(MatchSet.of_rows([(1, UNDETERMINED, 10, []), (2, PASS, None, ["x"])]))
    assert not a.same_as(MatchSet.of_rows([(1, PASS, 10, [])]))
    assert MatchSet.empty().same_as(a.only(np.array([99])))


@pytest.mark.django_db
def test_eligible_firms_order_total_and_scope(make_user) -> None:
    from smeladder.accounts.models import Role
    from smeladder.policies.match_sets import EligibleFirms, counts, visible_ids

    from .library_fixtures import build_library, put_matches

    lib = build_library()
    zd, zd2, bs = lib["zd"], lib["zd2"], lib["bs"]
    rows = [(zd.pk, PASS, None, []), (zd2.pk, PASS, 5, []), (bs.pk, PASS, 10, [])]
    put_matches(lib["giant"], rows, lib["on"])
    everyone = EligibleFirms(lib["giant"], PASS, None)
    # largest first, an unknown amount last; the total sums the known ones
    assert [r.enterprise for r in everyone[0:3]] == [bs, zd2, zd]
    assert str(everyone.total()) == "15.00" and len(everyone) == 3
    assert everyone[1].amount == yuan(5) and everyone[1].computed_on == lib["on"]
    zd_official = make_user("m_zd_off", Role.DISTRICT_OFFICIAL, division_prefix="370303")
    scope = visible_ids(zd_official)
    assert [r.enterprise for r in EligibleFirms(lib["giant"], PASS, scope)[0:10]] == [zd2, zd]
    assert len(EligibleFirms(lib["giant"], UNDETERMINED, scope)) == 0
    assert counts([lib["giant"].pk], scope) == {
        (lib["giant"].pk, PASS): 2,
        (lib["giant"].pk, UNDETERMINED): 0,
    }
    # an item never swept: an empty list, not an error
    assert len(EligibleFirms(lib["draft_item"], PASS, None)) == 0


def test_long_columns_are_blocked_and_searched_block_by_block() -> None:
    from smeladder.policies.match_sets import BLOCK, decode_firms, find_ids

    rng = np.random.default_rng(3)
    ids = np.unique(rng.integers(1, 2**40, 3 * BLOCK + 17))
    blob = encode_ids(ids)
    assert blob[:1] == b"K"
    assert decode_ids(blob).tolist() == ids.tolist()
    wanted = np.sort(np.concatenate([ids[[0, BLOCK - 1, BLOCK, len(ids) - 1]], [0, 2**41]]))
    at, found = find_ids(blob, wanted)
    assert found.tolist() == ids[[0, BLOCK - 1, BLOCK, len(ids) - 1]].tolist()
    assert at.tolist() == [0, BLOCK - 1, BLOCK, len(ids) - 1]
    amounts = rng.random(len(ids)) * 1e6
    amounts[5] = np.nan
    ablob = encode_amounts(amounts)
    assert ablob[:1] == b"k"
    back = decode_amounts(ablob, len(ids))
    assert np.array_equal(back, amounts, equal_nan=True)
    assert decode_amounts(ablob, len(ids), at).tolist() == amounts[at].tolist()
    sig = rng.integers(0, 300, len(ids))
    sblob = encode_indexes(sig)
    assert sblob[:1] == b"k" and decode_indexes(sblob, len(ids)).tolist() == sig.tolist()
    assert decode_indexes(sblob, len(ids), at).tolist() == sig[at].tolist()
    # a whole set: the few firms decoded alone equal the same firms of the full decode
    passed = rng.random(len(ids)) < 0.3
    found_set = MatchSet(ids, passed, amounts, sig % 3, [[], ["a"], ["a", "b"]])
    row = _Row(found_set.encode())
    assert MatchSet.decode(row).same_as(found_set)
    firms = np.sort(rng.choice(ids, 40, replace=False))
    assert decode_firms(row, firms).same_as(found_set.only(firms))
