"""Role checks for the API. Which rows a user sees is decided by `for_user` (registry/models/
scoped.py); these classes only decide which *kinds* of action a role may take."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from smeladder.accounts.models import Role


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


class IsOfficial(BasePermission):
    """City/district officials (with an area) and admins. Enterprise users and partners: 403."""

    message = "仅限市级、区县工作人员 / officials only"

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_official(request.user)


class OfficialsWrite(BasePermission):
    """Everyone authenticated may read (rows still scoped by for_user); only officials write."""

    message = "仅限市级、区县工作人员修改 / only officials may change the registry"

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return is_official(request.user)
