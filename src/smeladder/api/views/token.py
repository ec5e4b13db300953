"""POST /token: username + password → token, under the login page's lockout."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ..errors import ApiError
from ..schema import ApiSchema


def _locked_out() -> ApiError:
    return ApiError(
        "登录失败次数过多，账户已暂时锁定 / too many failed logins: temporarily locked",
        code="locked_out",
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class TokenView(ObtainAuthToken):
    """Username + password → token, under the same lockout as the login page (django-axes)."""

    schema = ApiSchema(extra=("429",))
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        username = request.data.get("username") if hasattr(request.data, "get") else None
        credentials = {"username": username if isinstance(username, str) else ""}
        if AxesProxyHandler.is_locked(request._request, credentials):
            self._clear_lock_flag(request)
            raise _locked_out()
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if self._clear_lock_flag(request):
                raise _locked_out() from None
            raise

    @staticmethod
    def _clear_lock_flag(request: Request) -> bool:
        """Axes marks a locked-out request for its middleware, which would answer in HTML;
        the API answers in JSON itself, so the mark is taken off."""
        locked = False
        for obj in (request, request._request):
            if getattr(obj, "axes_locked_out", False):
                locked = True
                obj.axes_locked_out = False
        return locked
