"""Per-area tables of the scope crawl (`tests/web/test_scope_crawl.py`).

Each module defines PARAMETERS, NO_OBJECT and QUERIES in the crawl's shapes, `build(zhangdian,
boshan)` that creates the area's 博山 objects and returns their identifiers (the keys its
PARAMETERS name), and `foreign_state(boshan_pk)` — what must not change when another tenant
crafts POSTs. One module per area, so that areas are added without editing the crawl itself."""

from __future__ import annotations

from types import ModuleType

from . import casework_api, casework_liaison, casework_web

AREAS: tuple[ModuleType, ...] = (casework_web, casework_liaison, casework_api)
