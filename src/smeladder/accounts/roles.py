"""What each role may do: the predicates pages, the API and actions ask (is this user an
official, does a division lie in their area), and Django permission groups for the back office.

Scope (which rows) is enforced by ScopedQuerySet.for_user; these decide which kinds of action."""

from __future__ import annotations

from typing import Any

from .models import Role

REGISTRY_EDITABLE = (
    "enterprise",
    "annualfigures",
    "title",
    "poolmembership",
    "equityfinancing",
    "platformscore",
    "award",
    "makerchinaresult",
)
REGISTRY_READONLY = ("pool", "importrun")
REFERENCE_READONLY = ("division", "industrycode", "hightechfield")

GROUP_NAMES = {
    Role.CITY_OFFICIAL: "市级工作人员",
    Role.DISTRICT_OFFICIAL: "区县工作人员",
}


def _codenames() -> list[tuple[str, str]]:
    wanted = [
        ("registry", f"{verb}_{m}") for m in REGISTRY_EDITABLE for verb in ("view", "add", "change")
    ]
    wanted += [("registry", f"view_{m}") for m in REGISTRY_READONLY]
    wanted += [("reference", f"view_{m}") for m in REFERENCE_READONLY]
    return wanted


def ensure_role_groups(**_: Any) -> None:
    """Create/refresh the officials' groups. Runs after every migrate (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    perms = []
    for app_label, codename in _codenames():
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:  # a model of a later migration may not exist yet
            perms.append(perm)
    for name in GROUP_NAMES.values():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(perms)


def is_admin(user: Any) -> bool:
    return bool(user.is_superuser or user.role == Role.ADMIN)


def is_official(user: Any) -> bool:
    """Admins, and city/district officials that have an area (an official without a division
    has no scope, as in ScopedQuerySet.for_user)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    return user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL) and bool(user.division_prefix)


def in_scope(user: Any, division_code: str) -> bool:
    """Whether a division code lies inside the user's area (for writes)."""
    if is_admin(user):
        return True
    return is_official(user) and str(division_code).startswith(user.division_prefix)


def group_for(role: str) -> str | None:
    return GROUP_NAMES.get(role)  # type: ignore[call-overload]
