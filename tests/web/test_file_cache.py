"""The assessments cache lists its directory now and then, not on every write, and still
keeps its size near MAX_ENTRIES."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

from smeladder.web.file_cache import OccasionallyCulledFileCache


def _cache(tmp_path: Path, max_entries: int) -> OccasionallyCulledFileCache:
    cache = OccasionallyCulledFileCache(
        str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}}
    )
    cache.CULL_EVERY = 5
    return cache


def test_lists_the_directory_once_every_cull_every_writes(tmp_path: Path) -> None:
    cache = _cache(tmp_path, 1000)
    with mock.patch.object(cache, "_list_cache_files", wraps=cache._list_cache_files) as listed:
        for n in range(12):
            cache.set(f"k{n}", n)
    assert listed.call_count == 3  # writes 1, 6 and 11
    assert [cache.get(f"k{n}") for n in range(12)] == list(range(12))


def test_size_stays_near_max_entries(tmp_path: Path) -> None:
    cache = _cache(tmp_path, 10)
    for n in range(200):
        cache.set(f"k{n}", n)
    # at most MAX_ENTRIES + CULL_EVERY before a cull brings it down again
    assert len(cache._list_cache_files()) <= 10 + cache.CULL_EVERY
