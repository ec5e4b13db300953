"""The "assessments" cache backend: Django's file cache, culled every so often instead of on
every write.

Django's FileBasedCache lists its whole directory on every ``set`` to decide whether to cull; with
the ten thousand entries of a city's profiles that listing cost more than rendering the page
(first visits: ~30 ms of CPU per profile, most of it in ``glob``). Here each process lists the
directory on its first write and then once every ``CULL_EVERY`` writes, so the number of entries
may pass MAX_ENTRIES by at most CULL_EVERY × the number of processes before it is brought back
down — a few hundred small files, for a cache whose keys expire with the day anyway."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.filebased import FileBasedCache


class OccasionallyCulledFileCache(FileBasedCache):
    CULL_EVERY = 200

    def __init__(self, dir: str, params: dict[str, Any]) -> None:  # Django's parameter names
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self) -> None:
        self._writes += 1  # a lost increment between threads only shifts the next cull
        if self._writes % self.CULL_EVERY == 1:
            super()._cull()
