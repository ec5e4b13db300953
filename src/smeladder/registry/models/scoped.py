"""Scoping lives here: every registry query a user makes goes through `for_user`."""

from __future__ import annotations

from typing import Any

from django.db import models


class ScopedQuerySet(models.QuerySet):
    #: path from this model to the enterprise's division code / primary key
    division_path = "division_code"
    enterprise_path = "pk"

    def in_division(self, prefix: str) -> ScopedQuerySet:
        if not prefix:
            return self
        return self.filter(**{f"{self.division_path}__startswith": prefix})

    def for_user(self, user: Any) -> ScopedQuerySet:
        from smeladder.accounts.models import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.ADMIN:
            return self
        if user.role in (Role.CITY_OFFICIAL, Role.DISTRICT_OFFICIAL):
            # An official without a division has no scope, not the whole province.
            return self.in_division(user.division_prefix) if user.division_prefix else self.none()
        if user.role == Role.ENTERPRISE and user.enterprise_id:
            return self.filter(**{self.enterprise_path: user.enterprise_id})
        return self.none()


class EnterpriseChildQuerySet(ScopedQuerySet):
    division_path = "enterprise__division_code"
    enterprise_path = "enterprise_id"
