"""Scope-crawl tables for the casework pages (诉求) (see the package docstring)."""

from __future__ import annotations

from typing import Any

from smeladder.registry.models import Enterprise

PARAMETERS: dict[tuple[str, str], dict[str, str]] = {}
NO_OBJECT: set[tuple[str, str]] = set()
QUERIES: dict[tuple[str, str], list[str]] = {}


def build(zhangdian: Enterprise, boshan: Enterprise) -> dict[str, str]:
    """The area's 博山 objects; returns {value name: identifier} for PARAMETERS and QUERIES."""
    return {}


def foreign_state(boshan_pk: int) -> list[Any]:
    """What another tenant's crafted POSTs must leave unchanged."""
    return []
