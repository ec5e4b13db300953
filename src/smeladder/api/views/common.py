"""What every API view shares: reading a JSON body exactly, validating parameters, finding a
firm within the user's scope, and writing a facts object through the audited import action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from smeladder.registry.actions import import_enterprises
from smeladder.registry.interchange.problems import Problem
from smeladder.registry.interchange.read_json import loads
from smeladder.registry.interchange.records import ReadResult, SourceRecord
from smeladder.registry.interchange.validate import validate
from smeladder.registry.models import Enterprise

from ..errors import ApiError
from ..permissions import in_scope

FACTS_OBJECT = OpenApiTypes.OBJECT

#: path parameters, documented with the shapes the views accept (anything else: 400 or 404)
USCC_PATH = OpenApiParameter(
    "uscc",
    {"type": "string", "pattern": "^[0-9A-Za-z]{18}$"},
    OpenApiParameter.PATH,
    description="统一社会信用代码 / USCC (18 characters)",
)


def id_path(description: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        OpenApiParameter.PATH,
        description=description,
    )


#: the largest id a path may name (BigAutoField's range on every backend)
ID_MAX = 2**63 - 1


def path_id(value: str, field: str = "id") -> int:
    """A numeric id from the URL; anything else is a 400 naming the parameter, never a 500."""
    if value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX:
        return int(value)
    raise ApiError(
        "输入有误 / invalid input",
        code="invalid",
        fields={field: ["应为正整数 / must be a positive whole number"]},
    )


def body_text(request: Request) -> str:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiError(
            "请求体过大 / request body too large",
            code="too_large",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError("请求体不是 UTF-8 / body is not UTF-8", code="parse_error") from None


def json_object(request: Request, what: str = "一个企业对象 {...} / one enterprise object") -> dict:
    """The body as one JSON object; numbers as Decimal (money arrives exactly as written)."""
    text = body_text(request)
    try:
        data = loads(text)
    except ValueError as err:
        raise ApiError(
            f"请求体不是合法的 JSON / body is not valid JSON: {err}", code="parse_error"
        ) from None
    if not isinstance(data, dict):
        raise ApiError(f"请求体应为{what}", code="invalid")
    return data


def problem_error(problems: list[Problem], rename: Any = None) -> ApiError:
    """Validation problems as a 400; `rename` maps a facts path to the name the endpoint uses
    (e.g. "annual.2025.revenue" → "revenue" on the figures endpoint)."""
    fields: dict[str, list[str]] = {}
    for p in problems:
        name = p.field or "non_field_errors"
        if rename is not None:
            name = rename(name)
        fields.setdefault(name, []).append(f"{p.reason_zh} / {p.reason_en}")
    return ApiError(
        "输入有误 / invalid input",
        code="invalid",
        fields=fields,
        extra={"problems": [p.as_dict() for p in problems]},
    )


def checked_params(serializer_class: type, data: Any) -> dict[str, Any]:
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def scoped_enterprise(request: Request, uscc: str) -> Enterprise:
    """The enterprise if the user may see it; otherwise 404, whether it exists or not."""
    return get_object_or_404(Enterprise.objects.for_user(request.user), uscc=uscc.strip().upper())


def write_facts(
    request: Request,
    body: dict[str, Any],
    *,
    label: str,
    accept: list[str],
    rename: Any = None,
) -> None:
    """Validate one facts object and write it through the audited import action."""
    read = ReadResult("api", [SourceRecord("API", body)])
    checked = validate(read.records, accepted_checksum_failures=accept)
    errors = [p for p in checked.problems if p.is_error]
    if errors:
        raise problem_error(errors, rename)
    record = checked.records[0]
    division = record.fields.get("division_code")
    if division is not None and not in_scope(request.user, division):
        raise PermissionDenied(
            f"区划 {division} 不在您的管辖范围内 / division {division} is outside your area"
        )
    result = import_enterprises(
        read, actor=request.user, accepted_checksum_failures=accept, file_name=label
    )
    if not result.ok:  # only if the data changed between the two validations
        raise problem_error(result.errors, rename)


def existing_facts(enterprise: Enterprise) -> dict[str, Any]:
    """The minimum facts object naming a stored firm, for writes of one of its parts."""
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "division_code": enterprise.division_code,
    }


def accepted_checksum(enterprise: Enterprise) -> list[str]:
    """A firm stored with a pilot-era USCC (bad check digit) stays writable."""
    return [] if enterprise.uscc_checksum_ok else [enterprise.uscc]


def resolve_or_none(path: str) -> Any:
    try:
        return resolve(path)
    except Resolver404:
        return None


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/v1/ that names no endpoint (no HTML page, no slash redirect that
    would drop a POST body); a missing trailing slash is named."""
    message = "没有这个接口 / no such endpoint"
    if not request.path.endswith("/"):
        match = resolve_or_none(request.path + "/")
        if match is not None and match.url_name != "not-found":
            message += f"；请用 {request.path}/ / did you mean {request.path}/ ?"
    body = {"error": {"code": "not_found", "message": message}}
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
