"""年度经营数据 over the API: one enterprise's yearly figures, read and written per year.

Writes are facts objects `{"annual": {"<year>": {...}}}` sent through the audited import action,
so bounds, precision, unknown keys and the audit trail are the import's own."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.registry.interchange.coerce import YEAR_MAX, YEAR_MIN, Invalid, year_key
from smeladder.registry.models import AnnualFigures, Enterprise

from .. import serializers as s
from ..errors import ApiError
from ..permissions import OfficialsWrite, is_official
from ..schema import ApiSchema
from .common import (
    USCC_PATH,
    accepted_checksum,
    existing_facts,
    json_object,
    scoped_enterprise,
    write_facts,
)

USCC = USCC_PATH
YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
    OpenApiParameter.PATH,
    description="年度 / year, e.g. 2025",
)


def _year(value: Any, field: str = "year") -> int:
    """A year as the import accepts it (1900–2100); a JSON integer or its 4-digit text."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        return year_key(text)
    except Invalid as err:
        raise ApiError(
            "输入有误 / invalid input",
            code="invalid",
            fields={field: [f"{err.zh} / {err.en}"]},
        ) from None


def _renamer(year: int) -> Any:
    """Name the problem by the key the client sent: "annual.2025.revenue" → "revenue"."""
    prefix = f"annual.{year}"

    def rename(path: str) -> str:
        if path == prefix:
            return "non_field_errors"
        return re.sub(rf"^{re.escape(prefix)}\.", "", path)

    return rename


def _row(enterprise: Enterprise, year: int, user: Any) -> AnnualFigures | None:
    return AnnualFigures.objects.for_user(user).filter(enterprise=enterprise, year=year).first()


def _write_year(request: Request, enterprise: Enterprise, year: int, values: dict, verb: str):
    body = {**existing_facts(enterprise), "annual": {str(year): values}}
    write_facts(
        request,
        body,
        label=f"API {verb} {enterprise.uscc} figures/{year}",
        accept=accepted_checksum(enterprise),
        rename=_renamer(year),
    )


def _writer(request: Request, uscc: str) -> Enterprise:
    enterprise = scoped_enterprise(request, uscc)  # 404 before 403: no existence leak
    if not is_official(request.user):
        raise PermissionDenied()
    return enterprise


class FiguresListView(APIView):
    """All years of one enterprise, oldest first; POST adds a year (officials, own area)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [OfficialsWrite]

    @extend_schema(parameters=[USCC], responses={200: s.FiguresSerializer(many=True)})
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)
        rows = AnnualFigures.objects.for_user(request.user).filter(enterprise=enterprise)
        return Response(s.FiguresSerializer(rows.order_by("year"), many=True).data)

    @extend_schema(
        parameters=[USCC],
        request=s.FiguresSerializer,
        responses={201: s.FiguresSerializer},
    )
    def post(self, request: Request, uscc: str) -> Response:
        enterprise = _writer(request, uscc)
        values = json_object(request, "一个年度对象 {...} / one object of a year's figures")
        if "year" not in values:
            raise ApiError(
                "输入有误 / invalid input",
                code="invalid",
                fields={"year": ["必填 / required"]},
            )
        year = _year(values.pop("year"))
        if _row(enterprise, year, request.user) is not None:
            raise ApiError(
                f"{year} 年度数据已存在，请用 PATCH / figures for {year} exist: use PATCH",
                code="already_exists",
                status_code=status.HTTP_409_CONFLICT,
                fields={"year": ["已存在 / already exists"]},
            )
        _write_year(request, enterprise, year, values, "POST")
        row = _row(enterprise, year, request.user)
        return Response(s.FiguresSerializer(row).data, status=status.HTTP_201_CREATED)


class FiguresDetailView(APIView):
    """One year of one enterprise; PATCH changes the keys sent (null = not known)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [OfficialsWrite]

    def _get_row(self, request: Request, enterprise: Enterprise, year: int) -> AnnualFigures:
        row = _row(enterprise, year, request.user)
        if row is None:
            raise ApiError(
                f"没有 {year} 年度数据 / no figures for {year}",
                code="not_found",
                status_code=status.HTTP_404_NOT_FOUND,
            )
        return row

    @extend_schema(parameters=[USCC, YEAR], responses={200: s.FiguresSerializer})
    def get(self, request: Request, uscc: str, year: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)
        row = self._get_row(request, enterprise, _year(year))
        return Response(s.FiguresSerializer(row).data)

    @extend_schema(
        parameters=[USCC, YEAR],
        request=s.FiguresValuesSerializer,
        responses={200: s.FiguresSerializer},
    )
    def patch(self, request: Request, uscc: str, year: str) -> Response:
        enterprise = _writer(request, uscc)
        number = _year(year)
        self._get_row(request, enterprise, number)
        values = json_object(request, "一个年度对象 {...} / one object of a year's figures")
        if "year" in values and values.pop("year") not in (number, str(number)):
            raise ApiError(
                "年度不可修改 / the year cannot be changed",
                code="invalid",
                fields={"year": ["须与地址中的一致 / must match the URL"]},
            )
        _write_year(request, enterprise, number, values, "PATCH")
        return Response(s.FiguresSerializer(self._get_row(request, enterprise, number)).data)
