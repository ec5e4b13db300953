"""Errors as JSON with a stable code: {"error": {"code", "message", "fields"}}, never a 500 page
for bad input. Messages are Chinese first, English after a slash."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


class ApiError(exceptions.APIException):
    """An error with an explicit stable code, optionally the fields at fault and extra members
    (e.g. the problems of malformed facts)."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        fields: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.api_code = code
        self.fields = fields
        self.extra = extra or {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "api_code", None)
    if code is None and isinstance(
        exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed
    ):
        code = exc.default_code  # DRF answers these with 403 when no scheme sends a challenge
    code = code or CODES.get(response.status_code, "error")
    fields = None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        fields = response.data
        message = "输入有误 / invalid input"
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message = str(detail or response.status_text)
    body: dict[str, Any] = {"code": code, "message": message}
    if isinstance(exc, ApiError):
        fields = exc.fields
        body.update(exc.extra)
    if fields is not None:
        body["fields"] = fields
    response.data = {"error": body}
    return response
