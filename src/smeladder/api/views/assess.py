"""POST /assess: facts in, facts-format results out; nothing is stored."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.standards.cli_assess import (
    AssessInputError,
    assess_records,
    read_facts,
    select_standards,
    today_in_china,
)
from smeladder.standards.facts_check import MalformedFacts

from .. import serializers as s
from ..errors import ApiError
from ..schema import ApiSchema
from .common import body_text, checked_params


def _query_list(request: Request, name: str) -> list[str] | None:
    values = [v for item in request.query_params.getlist(name) for v in item.split(",")]
    values = [v.strip() for v in values if v.strip()]
    return values or None


class AssessView(APIView):
    """Facts in (one object, an array or JSON Lines; or {"facts": …, "on": …, "standards": […]}),
    results out exactly as facts-format.md "Assessment results". Nothing is stored."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE),
            OpenApiParameter("standards", str, many=True),
            OpenApiParameter("gaps", bool),
        ],
        responses={200: s.AssessmentResultSerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        try:
            records = read_facts(body_text(request))
        except AssessInputError as err:
            raise ApiError(str(err), code="parse_error") from None
        params: dict[str, Any] = {}
        for name in ("on", "gaps"):
            if name in request.query_params:
                params[name] = request.query_params[name]
        if (standards := _query_list(request, "standards")) is not None:
            params["standards"] = standards
        if len(records) == 1 and isinstance(records[0], dict) and "facts" in records[0]:
            wrapper = records[0]
            unknown = set(wrapper) - {"facts", "on", "standards", "gaps"}
            if unknown:
                raise ApiError(
                    "未知参数 / unknown parameters",
                    code="invalid",
                    fields={k: ["未知参数 / unknown parameter"] for k in sorted(unknown)},
                )
            params.update({k: v for k, v in wrapper.items() if k != "facts"})
            facts = wrapper["facts"]
            records = facts if isinstance(facts, list) else [facts]
        opts = checked_params(s.AssessParamsSerializer, params)
        on = opts.get("on") or today_in_china()
        try:
            codes = select_standards(opts.get("standards"), on)
        except AssessInputError as err:
            raise ValidationError({"standards": [str(err)]}) from None
        try:
            results = assess_records(records, on, codes, gaps=opts["gaps"])
        except MalformedFacts as err:
            problems = [
                {
                    "enterprise": p.enterprise,
                    "path": p.path,
                    "label": p.label_zh,
                    "message": f"{p.zh} / {p.en}",
                }
                for p in err.problems
            ]
            fields: dict[str, list[str]] = {}
            for p in err.problems:
                fields.setdefault(p.path, []).append(f"{p.enterprise}: {p.zh} / {p.en}")
            raise ApiError(
                "事实格式有误 / malformed facts",
                code="malformed_facts",
                fields=fields,
                extra={"problems": problems},
            ) from None
        # Decimals and dates as strings (default=str), written once: when the client takes
        # plain JSON (every machine client), these bytes are what JSONRenderer would write from
        # the parsed copy, without parsing and writing 45 KB a second time (~10 % of the
        # request besides the engine).
        text = json.dumps(
            [r.to_dict() for r in results],
            default=str,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
        media = getattr(request, "accepted_media_type", "") or ""
        if isinstance(request.accepted_renderer, JSONRenderer) and "indent" not in media:
            text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
            return HttpResponse(text.encode(), content_type=JSONRenderer.media_type)
        return Response(json.loads(text))
