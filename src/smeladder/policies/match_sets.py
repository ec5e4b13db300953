"""An item's stored sweep result as one compact row (ItemMatchSet): which firms pass, which are
undetermined, their amounts and the facts each waits on — encoded with NumPy + zlib, decoded
here, and the reads the pages need (an item's eligible firms, counts, pairs to push).

Why one row per item: the sweep finds ~140 M passing and ~470 M undetermined pairs on the
benchmark registry; one row per pair is hours of writing on any backend, one row per item is
seconds.

The encoding (one per firm group of an item: ``pass`` and ``undetermined``), all little-endian:

- ids — b"" when empty; else one byte naming the delta width (``B`` 1, ``H`` 2, ``I`` 4, ``Q`` 8
  bytes, unsigned) then zlib of the firms' ids sorted ascending as deltas (the first id, then
  each id minus the previous one): dense id ranges give deltas of 1, which zlib folds away;
- amounts (yuan, float64, NaN = a range, unknown or non-monetary) — b"" when empty; b"=" and
  one float64 when every firm gets the same; else b"a" and zlib of the float64 array, in the
  order of the ids;
- missing — for each firm (order of the ids), an index into ``missing_sets`` (a JSON list of the
  distinct lists of facts waited on and conditions a person judges): b"" when empty, b"=" and
  one uint32 when all equal, else the width byte and zlib of the indexes.

More than BLOCK (4,096) firms: each column in blocks of BLOCK elements, compressed one by one —
ids ``K``, uint32 block count, the blocks' first ids (uint64 each), their byte offsets (uint32,
count + 1), then the blocks (each as above, its deltas from its own first id); amounts and
indexes ``k``, count, offsets, blocks. Finding a firm (patching it in) then decodes one block
per column instead of the whole set.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

PASS, UNDETERMINED = "pass", "undetermined"
_WIDTHS = ((0xFF, b"B", "<u1"), (0xFFFF, b"H", "<u2"), (0xFFFFFFFF, b"I", "<u4"))
_DTYPE = {b"B": "<u1", b"H": "<u2", b"I": "<u4", b"Q": "<u8"}
LEVEL = 3  # zlib: level 6 is ~10 % smaller on firm ids but ~20 times slower
#: elements per block of a long column: patching a firm into a set decodes one block, not all
BLOCK = 4096


# --- encoding -------------------------------------------------------------------------------


def _uints(values: np.ndarray) -> bytes:
    top = int(values.max()) if len(values) else 0
    for limit, tag, dtype in _WIDTHS:
        if top <= limit:
            return tag + zlib.compress(values.astype(dtype).tobytes(), LEVEL)
    return b"Q" + zlib.compress(values.astype("<u8").tobytes(), LEVEL)


def _read_uints(blob: bytes) -> np.ndarray:
    return np.frombuffer(zlib.decompress(blob[1:]), dtype=_DTYPE[blob[:1]]).astype(np.int64)


def _blocked(tag: bytes, parts: list[bytes], head: bytes = b"") -> bytes:
    """tag, the number of blocks (uint32), ``head``, the blocks' byte offsets (uint32 × blocks
    + 1), then the blocks."""
    offsets = np.cumsum([0, *(len(p) for p in parts)]).astype("<u4")
    return (
        tag + np.array([len(parts)], "<u4").tobytes() + head + offsets.tobytes() + b"".join(parts)
    )


class _Blocks:
    """A blocked column: block ``i`` holds elements [i·BLOCK, (i+1)·BLOCK)."""

    def __init__(self, blob: bytes, head_items: int = 0) -> None:
        nb = int(np.frombuffer(blob, "<u4", 1, 1)[0])
        at = 5
        self.firsts = np.frombuffer(blob, "<u8", nb * head_items, at).astype(np.int64)
        at += 8 * nb * head_items
        self.offsets = np.frombuffer(blob, "<u4", nb + 1, at).astype(np.int64)
        self.blob, self.start, self.n = blob, at + 4 * (nb + 1), nb

    def part(self, i: int) -> bytes:
        return self.blob[self.start + self.offsets[i] : self.start + self.offsets[i + 1]]


def encode_ids(ids: np.ndarray) -> bytes:
    """Sorted, distinct, non-negative ids: deltas, in blocks of BLOCK ids when there are more
    (each block's deltas from its first id, which the header lists: a look-up decodes one
    block)."""
    if len(ids) == 0:
        return b""
    ids = np.asarray(ids, dtype=np.uint64)
    if len(ids) <= BLOCK:
        return _uints(np.diff(ids, prepend=np.uint64(0)))
    parts, firsts = [], []
    for lo in range(0, len(ids), BLOCK):
        block = ids[lo : lo + BLOCK]
        firsts.append(block[0])
        parts.append(_uints(np.diff(block, prepend=block[0])))
    return _blocked(b"K", parts, np.array(firsts, "<u8").tobytes())


def _id_block(blocks: _Blocks, i: int) -> np.ndarray:
    part = blocks.part(i)
    raw = np.frombuffer(zlib.decompress(part[1:]), dtype=_DTYPE[part[:1]])
    return blocks.firsts[i] + np.cumsum(raw, dtype=np.int64)


def decode_ids(blob: bytes | memoryview | None) -> np.ndarray:
    if not blob:
        return np.zeros(0, np.int64)
    blob = bytes(blob)
    if blob[:1] == b"K":
        blocks = _Blocks(blob, head_items=1)
        return np.concatenate([_id_block(blocks, i) for i in range(blocks.n)])
    raw = np.frombuffer(zlib.decompress(blob[1:]), dtype=_DTYPE[blob[:1]])
    return np.cumsum(raw, dtype=np.uint64).astype(np.int64)


def find_ids(blob: bytes | memoryview | None, firms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions, ids) of those of ``firms`` (sorted) in the encoded ids, decoding only the
    blocks they could be in."""
    empty = np.zeros(0, np.int64)
    if not blob or not len(firms):
        return empty, empty
    blob = bytes(blob)
    if blob[:1] != b"K":
        ids = decode_ids(blob)
        at = np.clip(np.searchsorted(ids, firms), 0, len(ids) - 1)
        at = at[ids[at] == firms]
        return at, ids[at]
    blocks = _Blocks(blob, head_items=1)
    which = np.searchsorted(blocks.firsts, firms, side="right") - 1
    found_at, found = [], []
    for i in np.unique(which[which >= 0]).tolist():
        ids = _id_block(blocks, i)
        wanted = firms[which == i]
        at = np.clip(np.searchsorted(ids, wanted), 0, len(ids) - 1)
        at = at[ids[at] == wanted]
        found_at.append(at + i * BLOCK)
        found.append(ids[at])
    if not found:
        return empty, empty
    return np.concatenate(found_at), np.concatenate(found)


def encode_amounts(amounts: np.ndarray) -> bytes:
    if len(amounts) == 0:
        return b""
    amounts = np.asarray(amounts, dtype="<f8")
    first = amounts[0]
    same = np.isnan(amounts).all() if np.isnan(first) else bool((amounts == first).all())
    if same:
        return b"=" + amounts[:1].tobytes()
    if len(amounts) <= BLOCK:
        return b"a" + zlib.compress(amounts.tobytes(), LEVEL)
    parts = [
        zlib.compress(amounts[lo : lo + BLOCK].tobytes(), LEVEL)
        for lo in range(0, len(amounts), BLOCK)
    ]
    return _blocked(b"k", parts)


def decode_amounts(
    blob: bytes | memoryview | None, n: int, at: np.ndarray | None = None
) -> np.ndarray:
    """Every amount, or those at positions ``at`` (sorted; only their blocks decoded)."""
    count = n if at is None else len(at)
    if not blob or n == 0 or count == 0:
        return np.zeros(0)
    blob = bytes(blob)
    if blob[:1] == b"=":
        return np.full(count, np.frombuffer(blob[1:9], dtype="<f8")[0])
    if blob[:1] == b"a":
        every = np.frombuffer(zlib.decompress(blob[1:]), dtype="<f8").astype(float)
        return every if at is None else every[at]
    blocks = _Blocks(blob)
    wanted = range(blocks.n) if at is None else np.unique(at // BLOCK).tolist()
    decoded = {i: np.frombuffer(zlib.decompress(blocks.part(i)), dtype="<f8") for i in wanted}
    if at is None:
        return np.concatenate([decoded[i] for i in range(blocks.n)]).astype(float)
    return np.array([decoded[p // BLOCK][p % BLOCK] for p in at.tolist()], dtype=float)


def encode_indexes(sig: np.ndarray) -> bytes:
    if len(sig) == 0:
        return b""
    if (sig == sig[0]).all():
        return b"=" + np.array([sig[0]], dtype="<u4").tobytes()
    sig = np.asarray(sig)
    if len(sig) <= BLOCK:
        return _uints(sig)
    return _blocked(b"k", [_uints(sig[lo : lo + BLOCK]) for lo in range(0, len(sig), BLOCK)])


def decode_indexes(
    blob: bytes | memoryview | None, n: int, at: np.ndarray | None = None
) -> np.ndarray:
    """Every index, or those at positions ``at`` (sorted; only their blocks decoded)."""
    count = n if at is None else len(at)
    if not blob or n == 0 or count == 0:
        return np.zeros(0, np.int64)
    blob = bytes(blob)
    if blob[:1] == b"=":
        return np.full(count, int(np.frombuffer(blob[1:5], dtype="<u4")[0]), dtype=np.int64)
    if blob[:1] != b"k":
        every = _read_uints(blob)
        return every if at is None else every[at]
    blocks = _Blocks(blob)
    wanted = range(blocks.n) if at is None else np.unique(at // BLOCK).tolist()
    decoded = {i: _read_uints(blocks.part(i)) for i in wanted}
    if at is None:
        return np.concatenate([decoded[i] for i in range(blocks.n)])
    return np.array([decoded[p // BLOCK][p % BLOCK] for p in at.tolist()], dtype=np.int64)


# --- one item's firms in memory -------------------------------------------------------------


@dataclass
class MatchSet:
    """An item's firms sorted by id: outcome, amount and facts waited on per firm."""

    ids: np.ndarray  # int64, sorted, distinct
    passed: np.ndarray  # bool
    amount: np.ndarray  # float64, NaN = none
    sig: np.ndarray  # int64 index into ``sets``
    sets: list[list[str]]

    @classmethod
    def empty(cls) -> MatchSet:
        return cls(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0), np.zeros(0, np.int64), [])

    @classmethod
    def of_rows(cls, rows: Iterable[tuple[int, str, Any, Sequence[str]]]) -> MatchSet:
        """From (firm id, outcome, amount or None, missing) rows (tests, small patches)."""
        rows = sorted(rows, key=lambda r: r[0])
        distinct: dict[tuple[str, ...], int] = {}
        sig = [distinct.setdefault(tuple(r[3]), len(distinct)) for r in rows]
        return cls(
            np.array([r[0] for r in rows], dtype=np.int64),
            np.array([r[1] == PASS for r in rows], dtype=bool),
            np.array([np.nan if r[2] is None else float(r[2]) for r in rows], dtype=float),
            np.array(sig, dtype=np.int64),
            [list(k) for k in distinct],
        )

    def __len__(self) -> int:
        return len(self.ids)

    def only(self, firm_ids: np.ndarray) -> MatchSet:
        keep = np.isin(self.ids, firm_ids)
        return MatchSet(
            self.ids[keep], self.passed[keep], self.amount[keep], self.sig[keep], self.sets
        )

    def same_as(self, other: MatchSet) -> bool:
        """The same firms with the same outcome, amount and facts waited on."""
        return (
            np.array_equal(self.ids, other.ids)
            and np.array_equal(self.passed, other.passed)
            and np.array_equal(self.amount, other.amount, equal_nan=True)
            and [self.sets[s] for s in self.sig.tolist()]
            == [other.sets[s] for s in other.sig.tolist()]
        )

    def without(self, firm_ids: np.ndarray) -> MatchSet:
        keep = ~np.isin(self.ids, firm_ids)
        return MatchSet(
            self.ids[keep], self.passed[keep], self.amount[keep], self.sig[keep], self.sets
        )

    def merged(self, other: MatchSet) -> MatchSet:
        """Both sets' firms (``other`` wins a firm present in both), the lists re-indexed."""
        mine = self.without(other.ids)
        sets: list[list[str]] = []
        index: dict[tuple[str, ...], int] = {}
        remaps = []
        for part in (mine, other):
            remap = np.array(
                [index.setdefault(tuple(s), len(index)) for s in part.sets] or [0], dtype=np.int64
            )
            remaps.append(remap[part.sig] if len(part) else part.sig)
        sets = [list(k) for k in index]
        ids = np.concatenate([mine.ids, other.ids])
        order = np.argsort(ids, kind="stable")
        return MatchSet(
            ids[order],
            np.concatenate([mine.passed, other.passed])[order],
            np.concatenate([mine.amount, other.amount])[order],
            np.concatenate(remaps)[order],
            sets,
        )

    def outcome_of(self, firm_ids: np.ndarray) -> np.ndarray:
        """Position of each firm in the set (-1: neither passes nor is undetermined)."""
        if len(self.ids) == 0:
            return np.full(len(firm_ids), -1, dtype=np.int64)
        at = np.clip(np.searchsorted(self.ids, firm_ids), 0, len(self.ids) - 1)
        return np.where(self.ids[at] == firm_ids, at, -1)

    def encode(self, ids: dict[str, bytes] | None = None) -> dict[str, Any]:
        """The ItemMatchSet columns of the firms and their lists (``ids``: the ``*_ids``
        columns already encoded for the same firms and outcomes)."""
        out: dict[str, Any] = {"missing_sets": self.sets}
        for name, mask in ((PASS, self.passed), (UNDETERMINED, ~self.passed)):
            out.update(encode_group(name, self.ids[mask], self.amount[mask], self.sig[mask], ids))
        return out

    @classmethod
    def decode(cls, row: Any) -> MatchSet:
        parts = [decode_group(row, name) for name in (PASS, UNDETERMINED)]
        ids = np.concatenate([parts[0][0], parts[1][0]])
        order = np.argsort(ids, kind="stable")
        passed = np.concatenate([np.ones(len(parts[0][0]), bool), np.zeros(len(parts[1][0]), bool)])
        return cls(
            ids[order],
            passed[order],
            np.concatenate([parts[0][1], parts[1][1]])[order],
            np.concatenate([parts[0][2], parts[1][2]])[order],
            list(row.missing_sets or []),
        )


def decode_firms(row: Any, firms: np.ndarray) -> MatchSet:
    """Only ``firms`` (sorted) of a stored set, decoding only the blocks they could be in
    (patching a few firms into 18,000 sets must not decode and sort every set whole)."""
    parts = []
    for name in (PASS, UNDETERMINED):
        short = "pass" if name == PASS else "undetermined"
        at, ids = find_ids(getattr(row, f"{short}_ids"), firms)
        if not len(at):
            continue
        n = getattr(row, f"n_{short}")
        amounts = decode_amounts(getattr(row, f"{short}_amounts"), n, at)
        sig = decode_indexes(getattr(row, f"{short}_missing"), n, at)
        parts.append((ids, np.full(len(at), name == PASS), amounts, sig))
    if not parts:
        return MatchSet.empty()
    ids = np.concatenate([p[0] for p in parts])
    order = np.argsort(ids, kind="stable")
    return MatchSet(
        ids[order],
        np.concatenate([p[1] for p in parts])[order],
        np.concatenate([p[2] for p in parts])[order],
        np.concatenate([p[3] for p in parts])[order],
        list(row.missing_sets or []),
    )


def encode_group(
    name: str,
    ids: np.ndarray,
    amount: np.ndarray,
    sig: np.ndarray,
    encoded: dict[str, bytes] | None = None,
) -> dict:
    """One outcome's columns: ``pass_ids``, ``pass_amounts``, ``pass_missing``, ``n_pass``."""
    short = "pass" if name == PASS else "undetermined"
    blob = encoded[f"{short}_ids"] if encoded is not None else encode_ids(ids)
    return {
        f"n_{short}": len(ids),
        f"{short}_ids": blob,
        f"{short}_amounts": encode_amounts(amount),
        f"{short}_missing": encode_indexes(sig),
    }


def decode_group(row: Any, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    short = "pass" if name == PASS else "undetermined"
    n = getattr(row, f"n_{short}")
    ids = decode_ids(getattr(row, f"{short}_ids"))
    return (
        ids,
        decode_amounts(getattr(row, f"{short}_amounts"), n),
        decode_indexes(getattr(row, f"{short}_missing"), n),
    )


def yuan(value: float) -> Decimal | None:
    """A stored amount as the pages show it: cents, Python's correctly rounded ``round``."""
    if value != value:  # NaN
        return None
    return Decimal(repr(round(float(value), 2))).quantize(Decimal("0.01"))


# --- writing --------------------------------------------------------------------------------


def store(
    item_id: int,
    found: MatchSet,
    *,
    on: date,
    version: int,
    rulebook: str = "",
) -> None:
    """Replace the item's stored set (tests and small patches; the sweep writes in bulk)."""
    from .models import ItemMatchSet

    ItemMatchSet.objects.update_or_create(
        item_id=item_id,
        defaults={
            "policy_version": version,
            "computed_on": on,
            "rulebook": rulebook,
            **found.encode(),
        },
    )


# --- reads ----------------------------------------------------------------------------------


def load(item_ids: Iterable[int]) -> dict[int, MatchSet]:
    from .models import ItemMatchSet

    return {
        row.item_id: MatchSet.decode(row)
        for row in ItemMatchSet.objects.filter(item_id__in=list(item_ids))
    }


def visible_ids(user: Any, district: str = "") -> np.ndarray | None:
    """The firms ``user`` may see (in ``district``, a division-code prefix, when given), sorted;
    None: every firm (an administrator, no district)."""
    from smeladder.registry.models import Enterprise
    from smeladder.registry.models.pools import official_area

    if official_area(user) == "" and not district:
        return None
    firms = Enterprise.objects.for_user(user)
    if district:
        firms = firms.filter(division_code__startswith=district)
    return np.sort(np.fromiter(firms.values_list("id", flat=True), dtype=np.int64))


def in_scope(ids: np.ndarray, scope: np.ndarray | None) -> np.ndarray:
    return np.ones(len(ids), bool) if scope is None else np.isin(ids, scope)


@dataclass
class FirmRow:
    """One eligible firm of an item, as the 免申即享 list and the API show it."""

    enterprise: Any
    outcome: str
    amount: Decimal | None
    missing: list[str]
    policy_version: int
    computed_on: date
    application: str = ""


class EligibleFirms:
    """An item's firms of one outcome in the user's scope, largest amount first (none last),
    then by id: counts and sums from the decoded set, firms fetched a page at a time — a
    sequence Django's and DRF's paginators slice."""

    def __init__(self, item: Any, outcome: str, scope: np.ndarray | None) -> None:
        from .models import ItemMatchSet

        self.item = item
        self.outcome = outcome
        row = ItemMatchSet.objects.filter(item=item).first()
        found = MatchSet.decode(row) if row is not None else MatchSet.empty()
        mask = (found.passed if outcome == PASS else ~found.passed) & in_scope(found.ids, scope)
        ids, amount, sig = found.ids[mask], found.amount[mask], found.sig[mask]
        order = np.lexsort((ids, np.where(np.isnan(amount), np.inf, -amount)))
        self.ids, self.amounts, self.sig = ids[order], amount[order], sig[order]
        self.sets = found.sets
        self.version = row.policy_version if row is not None else 0
        self.computed_on = row.computed_on if row is not None else None

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def total(self) -> Decimal | None:
        known = self.amounts[~np.isnan(self.amounts)]
        return yuan(float(known.sum())) if len(known) else None

    def __getitem__(self, key: slice | int) -> Any:
        if isinstance(key, int):
            return self[key : key + 1][0]
        return self.rows(range(*key.indices(len(self.ids))))

    def rows(self, positions: range) -> list[FirmRow]:
        from smeladder.registry.models import Enterprise

        from .models import Application

        wanted = [int(self.ids[p]) for p in positions]
        firms = Enterprise.objects.in_bulk(wanted)
        applied = dict(
            Application.objects.filter(item=self.item, enterprise_id__in=wanted).values_list(
                "enterprise_id", "status"
            )
        )
        out = []
        for p in positions:
            firm_id = int(self.ids[p])
            if firm_id not in firms:  # deleted since the sweep
                continue
            out.append(
                FirmRow(
                    firms[firm_id],
                    self.outcome,
                    yuan(self.amounts[p]),
                    list(self.sets[int(self.sig[p])]) if self.sets else [],
                    self.version,
                    self.computed_on,
                    applied.get(firm_id, ""),
                )
            )
        return out

    def batches(self, size: int = 2000, limit: int | None = None) -> Iterable[list[FirmRow]]:
        end = len(self.ids) if limit is None else min(limit, len(self.ids))
        for start in range(0, end, size):
            yield self.rows(range(start, min(start + size, end)))


def counts(item_ids: Iterable[int], scope: np.ndarray | None) -> dict[tuple[int, str], int]:
    """(item, outcome) → firms in scope."""
    out: dict[tuple[int, str], int] = {}
    for item_id, found in load(item_ids).items():
        seen = in_scope(found.ids, scope)
        out[(item_id, PASS)] = int((found.passed & seen).sum())
        out[(item_id, UNDETERMINED)] = int((~found.passed & seen).sum())
    return out


def firm_matches(item_ids: Iterable[int], firm_id: int) -> dict[int, FirmRow]:
    """One firm's stored result for each of these items (absent: fails or not swept)."""
    out = {}
    for item_id, found in load(item_ids).items():
        (at,) = found.outcome_of(np.array([firm_id], dtype=np.int64))
        if at >= 0:
            out[item_id] = FirmRow(
                None,
                PASS if found.passed[at] else UNDETERMINED,
                yuan(found.amount[at]),
                list(found.sets[int(found.sig[at])]),
                0,
                date.min,
            )
    return out


def pass_pairs(item_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(item id, firm id) of every stored pass of these items."""
    from .models import ItemMatchSet

    out: list[tuple[int, int]] = []
    rows = ItemMatchSet.objects.filter(item_id__in=list(item_ids)).only("item_id", "pass_ids")
    for row in rows.iterator(chunk_size=100):
        out += [(row.item_id, int(f)) for f in decode_ids(row.pass_ids)]
    return out


def amounts_of(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Decimal | None]:
    """The stored amount of each (item, firm) pair found in the sets."""
    wanted: dict[int, list[int]] = {}
    for item_id, firm_id in pairs:
        wanted.setdefault(item_id, []).append(firm_id)
    out = {}
    for item_id, found in load(wanted).items():
        firms = np.array(wanted[item_id], dtype=np.int64)
        for firm_id, at in zip(firms.tolist(), found.outcome_of(firms).tolist(), strict=True):
            if at >= 0:
                out[(item_id, firm_id)] = yuan(found.amount[at])
    return out
