"""称号 over the API: one enterprise's titles (history included), adding one, changing one.

A title is identified in the registry by (code, level, valid_from), so those three cannot be
changed by PATCH; everything else (valid_to, batch, status, source_document) can. Writes are
facts objects `{"titles": [...]}` sent through the audited import action; a change of status
(e.g. 撤销 revoked) needs a reason, which the audit event keeps with the change."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.registry.interchange.coerce import Invalid, parse_date
from smeladder.registry.models import Enterprise, Title

from .. import serializers as s
from ..errors import ApiError
from ..permissions import OfficialsWrite, is_official
from ..schema import ApiSchema
from .common import (
    USCC_PATH,
    accepted_checksum,
    existing_facts,
    id_path,
    json_object,
    path_id,
    scoped_enterprise,
    write_facts,
)

USCC = USCC_PATH
TITLE_ID = id_path("称号编号 / title id")
KEY = ("code", "level", "valid_from")
CHANGEABLE = ("valid_to", "batch", "status", "source_document")
REASON_MAX = 200


def _invalid(fields: dict[str, list[str]], message: str = "输入有误 / invalid input") -> ApiError:
    return ApiError(message, code="invalid", fields=fields)


def _rename(path: str) -> str:
    """Name the key the client sent: "titles[0].valid_to" → "valid_to" (one title, no list)."""
    if path.startswith("titles[0]."):
        return path.removeprefix("titles[0].")
    return "non_field_errors" if path in ("titles", "titles[0]") else path


def _writer(request: Request, uscc: str) -> Enterprise:
    enterprise = scoped_enterprise(request, uscc)  # 404 before 403: no existence leak
    if not is_official(request.user):
        raise PermissionDenied()
    return enterprise


def _write(request: Request, enterprise: Enterprise, item: dict[str, Any], label: str) -> None:
    body = {**existing_facts(enterprise), "titles": [item]}
    write_facts(request, body, label=label, accept=accepted_checksum(enterprise), rename=_rename)


def _titles(request: Request, enterprise: Enterprise) -> Any:
    return Title.objects.for_user(request.user).filter(enterprise=enterprise)


class TitleListView(APIView):
    """The titles of one enterprise, oldest first; POST records a new one (officials)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [OfficialsWrite]

    @extend_schema(parameters=[USCC], responses={200: s.TitleSerializer(many=True)})
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)
        rows = _titles(request, enterprise).order_by("valid_from", "code", "level", "id")
        return Response(s.TitleSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[USCC], request=s.TitleCreateSerializer, responses={201: s.TitleSerializer}
    )
    def post(self, request: Request, uscc: str) -> Response:
        enterprise = _writer(request, uscc)
        item = json_object(request, "一个称号对象 {...} / one title object")
        missing = {k: ["必填 / required"] for k in KEY if item.get(k) is None}
        if missing:
            raise _invalid(missing)
        try:
            valid_from = parse_date(item["valid_from"])
        except Invalid as err:
            raise _invalid({"valid_from": [f"{err.zh} / {err.en}"]}) from None
        key = {"code": item["code"], "level": item["level"], "valid_from": valid_from}
        if (
            all(isinstance(item[k], str) for k in KEY)
            and _titles(request, enterprise).filter(**key).exists()
        ):
            raise ApiError(
                "该称号已登记，请用 PATCH / this title is already recorded: use PATCH",
                code="already_exists",
                status_code=status.HTTP_409_CONFLICT,
                fields={k: ["已存在 / already exists"] for k in KEY},
            )
        _write(request, enterprise, item, f"API POST {enterprise.uscc} titles")
        title = _titles(request, enterprise).get(**key)
        return Response(s.TitleSerializer(title).data, status=status.HTTP_201_CREATED)


class TitleDetailView(APIView):
    """One title; PATCH changes valid_to, batch, status or source_document."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [OfficialsWrite]

    def _title(self, request: Request, enterprise: Enterprise, pk: str) -> Title:
        title = _titles(request, enterprise).filter(pk=path_id(pk)).first()
        if title is None:
            raise ApiError(
                "没有这个称号 / no such title",
                code="not_found",
                status_code=status.HTTP_404_NOT_FOUND,
            )
        return title

    @extend_schema(parameters=[USCC, TITLE_ID], responses={200: s.TitleSerializer})
    def get(self, request: Request, uscc: str, pk: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)
        return Response(s.TitleSerializer(self._title(request, enterprise, pk)).data)

    @extend_schema(
        parameters=[USCC, TITLE_ID],
        request=s.TitlePatchSerializer,
        responses={200: s.TitleSerializer},
    )
    def patch(self, request: Request, uscc: str, pk: str) -> Response:
        enterprise = _writer(request, uscc)
        title = self._title(request, enterprise, pk)
        body = json_object(request, "一个称号对象 {...} / one title object")
        reason = body.pop("reason", None)
        fixed = {
            k: ["不可修改（称号以代码、级别、有效期起标识）/ cannot be changed"]
            for k in KEY
            if k in body and str(body[k]) != str(getattr(title, k))
        }
        if fixed:
            raise _invalid(fixed)
        if reason is not None and not (
            isinstance(reason, str) and reason.strip() and len(reason) <= REASON_MAX
        ):
            raise _invalid({"reason": [f"应为 1–{REASON_MAX} 字的文本 / 1–{REASON_MAX} chars"]})
        status_change = body.get("status") is not None and body["status"] != title.status
        if status_change and reason is None:
            raise _invalid({"reason": ["改变状态须说明原因 / a status change needs a reason"]})
        item = {
            "code": title.code,
            "level": title.level,
            "valid_from": title.valid_from.isoformat(),
            **{k: v for k, v in body.items() if k not in KEY},
        }
        label = f"API PATCH {enterprise.uscc} titles/{title.pk}"
        if reason:
            label += f" 原因 / reason: {reason.strip()}"
        _write(request, enterprise, item, label)
        title.refresh_from_db()
        return Response(s.TitleSerializer(title).data)
