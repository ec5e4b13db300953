"""Rule cases: YAML files beside each rulebook (``<rulebook>.cases.yaml``).

A case file names its standard, a set of firms (facts, money in yuan) and cases; each case merges
``facts`` into its firm, drops the dotted paths in ``remove``, assesses on ``on`` (optionally with
``band_edge``) and compares only the keys in ``expect``. Expected values are transcribed from
standards.md, never copied from the engine's output.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from .rulebook import RULEBOOK_DIR

CASE_SUFFIX = ".cases.yaml"


def case_files(directory: Path = RULEBOOK_DIR) -> list[Path]:
    return sorted(directory.rglob(f"*{CASE_SUFFIX}"))


def rulebook_path(case_file: Path) -> Path:
    return case_file.with_name(case_file.name.replace(CASE_SUFFIX, ".json"))


def load_cases(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    for key in ("standard", "firms", "cases"):
        if key not in data:
            raise ValueError(f"{path}: missing {key!r}")
    return data


def cases_of(standard: str, directory: Path = RULEBOOK_DIR) -> dict[str, Any]:
    """The first case file of ``standard`` (its firms are handy fixtures for tests)."""
    return load_cases(next((directory / standard).glob(f"*{CASE_SUFFIX}")))


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def case_facts(firms: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """The facts a case assesses: its firm, with ``facts`` merged in and ``remove`` dropped."""
    facts = _merge(firms[case["firm"]], case.get("facts", {}))
    for path in case.get("remove", ()):
        *parents, last = path.split(".")
        node = facts
        for part in parents:
            node = node[part]
        del node[last]
    return facts
