"""Entering the holiday arrangement of a year the calendar package does not know yet: a whole
year from the State Council's notice (`smeladder load_holidays`), or a day at a time in the
Django admin. Each write is audited and makes this process read the calendar table again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from smeladder.accounts.audit import record
from smeladder.accounts.models import Role

from ..calendar import PACKAGE_YEARS, forget_supplement
from ..models import ArrangedDay, HolidayArrangement
from ..models.holidays import package_year_error, year_errors
from .errors import InvalidInput, NotAllowed

OBJECT_TYPE = "casework.HolidayArrangement"


def may_edit_holidays(actor: Any) -> bool:
    """The platform (a command) or a city-level administrator: the calendar is the whole
    city's, not a district's."""
    if isinstance(actor, str):
        return bool(actor)
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and (actor.is_superuser or actor.role in (Role.ADMIN, Role.CITY_OFFICIAL))
    )


def _require_city_admin(actor: Any) -> None:
    if not may_edit_holidays(actor):
        raise NotAllowed("只有系统管理员或市级工作人员可以维护法定节假日安排")


def _changed() -> None:
    forget_supplement()
    transaction.on_commit(forget_supplement)  # and again once the new rows are visible


def load_year(year: int, notice: str, days: list[ArrangedDay], actor: Any) -> int:
    """Replace year `year`'s arrangement with `days` (from the notice `notice`). Refused whole,
    with every problem listed, when the year is incomplete or wrong in any day, or when the
    pinned package already knows it. The number of days written."""
    _require_city_admin(actor)
    notice = (notice or "").strip()
    errors = [] if notice else ["请填写通知文号（如 国办发明电〔2025〕7号）"]
    if year in PACKAGE_YEARS:
        errors.append(package_year_error(year))
    errors += year_errors(year, days)
    with transaction.atomic():
        taken = (
            HolidayArrangement.objects.filter(day__in=[d.day for d in days])
            .exclude(year=year)
            .values_list("day", "year")
        )
        errors += [f"{day.isoformat()} 已在 {other} 年的安排中" for day, other in taken]
        if errors:
            raise InvalidInput("\n".join(errors))
        old = HolidayArrangement.objects.filter(year=year)
        replaced = old.count()
        old.delete()
        HolidayArrangement.objects.bulk_create(
            HolidayArrangement(year=year, day=d.day, kind=d.kind, name=d.name, notice=notice)
            for d in sorted(days, key=lambda d: d.day)
        )
        holidays = sum(1 for d in days if d.kind == HolidayArrangement.Kind.HOLIDAY)
        record(
            "casework.load_holidays",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=str(year),
            changes={
                "notice": notice,
                "holidays": holidays,
                "workdays": len(days) - holidays,
                "replaced": replaced,
            },
        )
        _changed()
    return len(days)


def save_day(row: HolidayArrangement, actor: Any) -> HolidayArrangement:
    """Add or correct one day."""
    _require_city_admin(actor)
    try:
        row.full_clean()  # the admin form ran it already; a direct call gets the same checks
    except ValidationError as err:
        raise InvalidInput("\n".join(err.messages)) from None
    fields = ("year", "day", "kind", "name", "notice")
    with transaction.atomic():
        before = HolidayArrangement.objects.filter(pk=row.pk).values(*fields).first()
        row.save()
        after = {f: getattr(row, f) for f in fields}
        changes = {
            f: [_plain(before[f]) if before else None, _plain(after[f])]
            for f in fields
            if before is None or before[f] != after[f]
        }
        record(
            "casework.holiday_day",
            actor=actor,
            object_type=OBJECT_TYPE,
            object_id=str(row.year),
            changes=changes,
        )
        _changed()
    return row


def delete_days(rows: list[HolidayArrangement], actor: Any) -> int:
    _require_city_admin(actor)
    with transaction.atomic():
        for row in rows:
            record(
                "casework.holiday_day_delete",
                actor=actor,
                object_type=OBJECT_TYPE,
                object_id=str(row.year),
                changes={"day": row.day.isoformat(), "kind": row.kind, "name": row.name},
            )
        deleted, _ = HolidayArrangement.objects.filter(pk__in=[r.pk for r in rows]).delete()
        _changed()
    return deleted


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value
