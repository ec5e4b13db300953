"""Role checks for the API. Which rows a user sees is decided by `for_user` (registry/models/
scoped.py); these classes only decide which *kinds* of action a role may take."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from smeladder.accounts.roles import in_scope, is_admin, is_official

__all__ = ["in_scope", "is_admin", "is_official"]


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
