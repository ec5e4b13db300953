"""What every API view shares: reading a JSON body exactly, validating parameters, finding a
firm within the user's scope, and writing a facts object through the audited import action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
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
