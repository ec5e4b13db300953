"""企业库 over the API: list, read, create and patch enterprises (scoped; writes through the
audited import action); one firm's assessments."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.registry.interchange.export_facts import enterprise_facts, registry_facts
from smeladder.registry.interchange.records import SourceRecord
from smeladder.registry.interchange.validate import validate
from smeladder.registry.models import Enterprise
from smeladder.standards.cli_assess import today_in_china
from smeladder.standards.engine import assess_all

from .. import serializers as s
from ..errors import ApiError
from ..facts_schema import FactsPatchSerializer, FactsSerializer
from ..pagination import Pagination
from ..permissions import OfficialsWrite, is_official
from ..schema import ApiSchema
from .common import (
    USCC_PATH,
    accepted_checksum,
    checked_params,
    json_object,
    problem_error,
    scoped_enterprise,
    write_facts,
)


class EnterpriseListView(generics.ListAPIView):
    """企业库: enterprises within the user's scope; POST creates one (officials, own area)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    pagination_class = Pagination
    serializer_class = s.EnterpriseListRowSerializer
    permission_classes = [OfficialsWrite]

    def get_queryset(self) -> Any:
        params = checked_params(s.EnterpriseFilterSerializer, self.request.query_params)
        qs = Enterprise.objects.for_user(self.request.user).only(
            "uscc", "name", "division_code", "industry_code", "founded_on", "updated_at"
        )
        if params.get("division"):
            qs = qs.filter(division_code__startswith=params["division"])
        if params.get("industry"):
            qs = qs.filter(industry_code__startswith=params["industry"])
        q = (params.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(uscc__istartswith=q))
        return qs.order_by("uscc")

    @extend_schema(
        parameters=[
            OpenApiParameter("division", str, description="区划代码前缀 (2/4/6 digits)"),
            OpenApiParameter("industry", str, description="行业代码前缀, e.g. C34"),
            OpenApiParameter("q", str, description="名称或统一社会信用代码 / name or USCC"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=FactsSerializer, responses={201: FactsSerializer})
    def post(self, request: Request) -> Response:
        body = json_object(request)
        checked = validate([SourceRecord("API", body)])
        errors = [p for p in checked.problems if p.is_error]
        if errors:
            raise problem_error(errors)
        uscc = checked.records[0].uscc
        if Enterprise.objects.filter(uscc=uscc).exists():
            raise ApiError(
                f"企业 {uscc} 已存在 / enterprise {uscc} already exists",
                code="already_exists",
                status_code=status.HTTP_409_CONFLICT,
                fields={"uscc": ["已存在 / already exists"]},
            )
        write_facts(request, body, label=f"API POST {uscc}", accept=[])
        enterprise = scoped_enterprise(request, uscc)
        return Response(enterprise_facts(enterprise.pk), status=status.HTTP_201_CREATED)


class EnterpriseDetailView(APIView):
    """企业画像: one enterprise as its facts-format object; PATCH = partial facts."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [OfficialsWrite]

    @extend_schema(parameters=[USCC_PATH], responses={200: FactsSerializer})
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)
        return Response(enterprise_facts(enterprise.pk))

    @extend_schema(
        parameters=[USCC_PATH], request=FactsPatchSerializer, responses={200: FactsSerializer}
    )
    def patch(self, request: Request, uscc: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)  # 404 before 403: no existence leak
        if not is_official(request.user):
            raise PermissionDenied()
        body = json_object(request)
        given = body.get("uscc", enterprise.uscc)
        if not isinstance(given, str) or given.strip().upper() != enterprise.uscc:
            raise ApiError(
                "统一社会信用代码不可修改 / the USCC cannot be changed",
                code="invalid",
                fields={"uscc": ["须与地址中的一致 / must match the URL"]},
            )
        body["uscc"] = enterprise.uscc
        body.setdefault("name", enterprise.name)
        body.setdefault("division_code", enterprise.division_code)
        accept = accepted_checksum(enterprise)
        write_facts(request, body, label=f"API PATCH {enterprise.uscc}", accept=accept)
        return Response(enterprise_facts(enterprise.pk))


class EnterpriseAssessmentsView(APIView):
    """The latest assessment of every standard in force on `on` (default today), with gaps."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[USCC_PATH, OpenApiParameter("on", OpenApiTypes.DATE)],
        responses={200: s.AssessmentResultSerializer(many=True)},
    )
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = scoped_enterprise(request, uscc)
        on = checked_params(s.OnSerializer, request.query_params).get("on") or today_in_china()
        facts = registry_facts(enterprise_facts(enterprise.pk))
        return Response([r.to_dict() for r in assess_all(facts, on, gaps=True)])
