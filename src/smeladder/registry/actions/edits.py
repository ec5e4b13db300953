"""Edits made by people through forms: a firm's basic facts, one year's figures.

Each edit becomes a one-record facts object and goes through `import_enterprises`, so a form
is checked by exactly the importer's rules (types, bounds, GB/T 2260 and GB/T 4754 codes),
is written all-or-nothing and is audited old → new like any other registry write.

Who may edit what (the web pages and any later caller ask here):

- officials (city, district) and admins: the basic facts and the yearly figures of any firm in
  their area; a new division code must stay inside their area;
- an enterprise user: the yearly figures of their own firm only — never its name, division or
  other registered facts, which the officials keep;
- everyone else (partners): nothing.

A firm outside the user's scope does not exist here either: `OutOfScope`, which pages turn
into 404, and nothing is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from smeladder.accounts.models import Role
from smeladder.accounts.roles import in_scope, is_official

from ..interchange.problems import Problem
from ..interchange.records import ReadResult, SourceRecord
from ..interchange.schema import ANNUAL_FACTS
from ..models import AnnualFigures, Enterprise
from .imports import import_enterprises

#: the basic facts a form may change, as facts-format paths
FACT_PATHS = (
    "name",
    "division_code",
    "industry_code",
    "founded_on",
    "listed",
    "flags.abnormal_operations_list",
    "flags.serious_dishonesty_list",
    "flags.major_incident_3y",
    "flags.restricted_products",
    "flags.excluded_industry_rd_deduction",
)
ANNUAL_KEYS = tuple(f.path for f in ANNUAL_FACTS)
FORMAT = "form"


class OutOfScope(LookupError):
    """The firm is not in the user's scope (or does not exist): show 404, write nothing."""


class NotAllowed(PermissionError):
    """The user sees the firm but may not make this change (403)."""


@dataclass
class EditResult:
    #: facts path → messages in Chinese (the form maps paths to its fields)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def can_edit_facts(user: Any, firm: Enterprise) -> bool:
    """For a firm the user sees (scoped_firm / for_user): officials may edit its basic facts."""
    return is_official(user)


def can_edit_figures(user: Any, firm: Enterprise) -> bool:
    """For a firm the user sees: officials, and the firm's own users, may edit its figures."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_official(user):
        return True
    return user.role == Role.ENTERPRISE and user.enterprise_id == firm.pk


def scoped_firm(user: Any, uscc: str) -> Enterprise:
    """The firm if this user may see it, else OutOfScope (whether it exists or not)."""
    firm = Enterprise.objects.for_user(user).filter(uscc=uscc.strip().upper()).first()
    if firm is None:
        raise OutOfScope(uscc)
    return firm


def _fact_value(value: Any) -> Any:
    """Form values → what the interchange format carries (dates as text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value


def _problem_path(problem: Problem) -> str:
    path = problem.field
    if " (" in path and path.endswith(")"):  # "Excel header (path)"
        path = path[path.rindex(" (") + 2 : -1]
    return path


def _run(user: Any, record: dict[str, Any], label: str) -> EditResult:
    outcome = EditResult()
    read = ReadResult(FORMAT, [SourceRecord(_("网页表单"), record)])
    result = import_enterprises(read, actor=user, file_name=label)
    for problem in result.problems:
        if problem.is_error:
            outcome.add(_problem_path(problem), problem.reason_zh)
        else:
            outcome.warnings.append(problem.reason_zh)
    outcome.changed = result.written and result.updated > 0
    return outcome


def edit_facts(user: Any, uscc: str, values: dict[str, Any]) -> EditResult:
    """Set the basic facts of one firm (keys: FACT_PATHS; a blank value = unknown)."""
    firm = scoped_firm(user, uscc)
    if not can_edit_facts(user, firm):
        raise NotAllowed(uscc)
    unknown = set(values) - set(FACT_PATHS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    record: dict[str, Any] = {"uscc": firm.uscc}
    for path, value in values.items():
        value = _fact_value(value)
        if "." in path:
            group, key = path.split(".", 1)
            record.setdefault(group, {})[key] = value
        else:
            record[path] = value
    record.setdefault("name", firm.name)
    record.setdefault("division_code", firm.division_code)
    outcome = EditResult()
    division = record.get("division_code")
    if isinstance(division, str) and not in_scope(user, division):
        outcome.add(
            "division_code",
            _("区划代码 %(code)s 不在您的管辖范围内，不能把企业移出本辖区。") % {"code": division},
        )
        return outcome
    return _run(user, record, f"网页表单 {firm.uscc} 基本信息")


def edit_year(
    user: Any, uscc: str, year: int, figures: dict[str, Any], *, adding: bool = False
) -> EditResult:
    """Set one year's figures of one firm (keys: ANNUAL_KEYS, money in yuan; a blank value =
    unknown). `adding`: the year must not have figures yet (a form for a new year)."""
    firm = scoped_firm(user, uscc)
    if not can_edit_figures(user, firm):
        raise NotAllowed(uscc)
    unknown = set(figures) - set(ANNUAL_KEYS)
    if unknown:
        raise ValueError(f"not annual figures: {sorted(unknown)}")
    outcome = EditResult()
    if adding and AnnualFigures.objects.filter(enterprise=firm, year=year).exists():
        message = _("%(year)s 年度已有数据，请在年度数据表中编辑该年度。") % {"year": year}
        outcome.add("year", message)
        return outcome
    row = {key: _plain_number(figures.get(key)) for key in ANNUAL_KEYS if key in figures}
    record = {
        "uscc": firm.uscc,
        "name": firm.name,
        "division_code": firm.division_code,
        "annual": {str(year): row},
    }
    outcome = _run(user, record, f"网页表单 {firm.uscc} {year}年度数据")
    # the importer names fields annual.<year>.<key>; the form knows them by key
    outcome.errors = {
        (path.rsplit(".", 1)[-1] if path.startswith("annual.") else path): messages
        for path, messages in outcome.errors.items()
    }
    return outcome


def _plain_number(value: Any) -> Any:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


__all__ = [
    "ANNUAL_KEYS",
    "FACT_PATHS",
    "EditResult",
    "NotAllowed",
    "OutOfScope",
    "can_edit_facts",
    "can_edit_figures",
    "edit_facts",
    "edit_year",
    "scoped_firm",
]
