"""The HTTP API (/api/v1/). Views are thin: every query goes through `for_user`, every write
through a registry/screening action, every result is the engine's own facts-format dict."""

from __future__ import annotations

import json
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.core.exceptions import RequestDataTooBig
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.registry.actions import import_enterprises
from smeladder.registry.interchange.export_facts import enterprise_facts, registry_facts
from smeladder.registry.interchange.problems import Problem
from smeladder.registry.interchange.read_json import loads
from smeladder.registry.interchange.records import ReadResult, SourceRecord
from smeladder.registry.interchange.validate import validate
from smeladder.registry.models import Enterprise
from smeladder.screening.actions import ScreeningInputError, start_screening
from smeladder.screening.models import ScreeningResult, ScreeningRun
from smeladder.standards.cli_assess import (
    AssessInputError,
    assess_records,
    read_facts,
    select_standards,
    today_in_china,
)
from smeladder.standards.engine import assess_all
from smeladder.standards.facts_check import MalformedFacts

from . import serializers as s
from .errors import ApiError
from .permissions import IsOfficial, OfficialsWrite, in_scope, is_admin, is_official

FACTS_OBJECT = OpenApiTypes.OBJECT


# -- helpers ---------------------------------------------------------------------------------


def _body_text(request: Request) -> str:
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


def _json_object(request: Request) -> dict[str, Any]:
    """The body as one JSON object; numbers as Decimal (money arrives exactly as written)."""
    text = _body_text(request)
    try:
        data = loads(text)
    except ValueError as err:
        raise ApiError(
            f"请求体不是合法的 JSON / body is not valid JSON: {err}", code="parse_error"
        ) from None
    if not isinstance(data, dict):
        raise ApiError(
            "请求体应为一个企业对象 {...} / the body must be one enterprise object",
            code="invalid",
        )
    return data


def _problem_error(problems: list[Problem]) -> ApiError:
    fields: dict[str, list[str]] = {}
    for p in problems:
        fields.setdefault(p.field or "non_field_errors", []).append(
            f"{p.reason_zh} / {p.reason_en}"
        )
    return ApiError(
        "输入有误 / invalid input",
        code="invalid",
        fields=fields,
        extra={"problems": [p.as_dict() for p in problems]},
    )


def _params(serializer_class: type, data: Any) -> dict[str, Any]:
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _scoped_enterprise(request: Request, uscc: str) -> Enterprise:
    """The enterprise if the user may see it; otherwise 404, whether it exists or not."""
    return get_object_or_404(Enterprise.objects.for_user(request.user), uscc=uscc.strip().upper())


def _write(request: Request, body: dict[str, Any], *, label: str, accept: list[str]) -> None:
    """Validate one facts object and write it through the audited import action."""
    read = ReadResult("api", [SourceRecord("API", body)])
    checked = validate(read.records, accepted_checksum_failures=accept)
    errors = [p for p in checked.problems if p.is_error]
    if errors:
        raise _problem_error(errors)
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
        raise _problem_error(result.errors)


# -- enterprises -----------------------------------------------------------------------------


class EnterpriseListView(generics.ListAPIView):
    """企业库: enterprises within the user's scope; POST creates one (officials, own area)."""

    serializer_class = s.EnterpriseListRowSerializer
    permission_classes = [OfficialsWrite]

    def get_queryset(self) -> Any:
        params = _params(s.EnterpriseFilterSerializer, self.request.query_params)
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

    @extend_schema(request=FACTS_OBJECT, responses={201: FACTS_OBJECT})
    def post(self, request: Request) -> Response:
        body = _json_object(request)
        checked = validate([SourceRecord("API", body)])
        errors = [p for p in checked.problems if p.is_error]
        if errors:
            raise _problem_error(errors)
        uscc = checked.records[0].uscc
        if Enterprise.objects.filter(uscc=uscc).exists():
            raise ApiError(
                f"企业 {uscc} 已存在 / enterprise {uscc} already exists",
                code="already_exists",
                status_code=status.HTTP_409_CONFLICT,
                fields={"uscc": ["已存在 / already exists"]},
            )
        _write(request, body, label=f"API POST {uscc}", accept=[])
        enterprise = _scoped_enterprise(request, uscc)
        return Response(enterprise_facts(enterprise.pk), status=status.HTTP_201_CREATED)


class EnterpriseDetailView(APIView):
    """企业画像: one enterprise as its facts-format object; PATCH = partial facts."""

    permission_classes = [OfficialsWrite]

    @extend_schema(responses={200: FACTS_OBJECT})
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = _scoped_enterprise(request, uscc)
        return Response(enterprise_facts(enterprise.pk))

    @extend_schema(request=FACTS_OBJECT, responses={200: FACTS_OBJECT})
    def patch(self, request: Request, uscc: str) -> Response:
        enterprise = _scoped_enterprise(request, uscc)  # 404 before 403: no existence leak
        if not is_official(request.user):
            raise PermissionDenied()
        body = _json_object(request)
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
        accept = [] if enterprise.uscc_checksum_ok else [enterprise.uscc]
        _write(request, body, label=f"API PATCH {enterprise.uscc}", accept=accept)
        return Response(enterprise_facts(enterprise.pk))


class EnterpriseAssessmentsView(APIView):
    """The latest assessment of every standard in force on `on` (default today), with gaps."""

    @extend_schema(
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, uscc: str) -> Response:
        enterprise = _scoped_enterprise(request, uscc)
        on = _params(s.OnSerializer, request.query_params).get("on") or today_in_china()
        facts = registry_facts(enterprise_facts(enterprise.pk))
        return Response([r.to_dict() for r in assess_all(facts, on, gaps=True)])


# -- assess ----------------------------------------------------------------------------------


def _query_list(request: Request, name: str) -> list[str] | None:
    values = [v for item in request.query_params.getlist(name) for v in item.split(",")]
    values = [v.strip() for v in values if v.strip()]
    return values or None


class AssessView(APIView):
    """Facts in (one object, an array or JSON Lines; or {"facts": …, "on": …, "standards": […]}),
    results out exactly as facts-format.md "Assessment results". Nothing is stored."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("on", OpenApiTypes.DATE),
            OpenApiParameter("standards", str, many=True),
            OpenApiParameter("gaps", bool),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        try:
            records = read_facts(_body_text(request))
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
        opts = _params(s.AssessParamsSerializer, params)
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
        return Response(json.loads(json.dumps([r.to_dict() for r in results], default=str)))


# -- screening -------------------------------------------------------------------------------


class ScreeningRunListView(generics.ListAPIView):
    """梯度筛选 runs the user may see; POST starts one (officials; own area only)."""

    serializer_class = s.ScreeningRunSerializer

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsOfficial()]
        return [IsAuthenticated()]

    def get_queryset(self) -> Any:
        return ScreeningRun.objects.for_user(self.request.user).order_by("-started_at", "-id")

    @extend_schema(request=s.ScreeningStartSerializer, responses={201: s.ScreeningRunSerializer})
    def post(self, request: Request) -> Response:
        params = _params(s.ScreeningStartSerializer, request.data)
        user = request.user
        prefix = params.get("division_prefix")
        if not prefix and not is_admin(user):
            prefix = user.division_prefix
        if not in_scope(user, prefix or ""):
            raise PermissionDenied(
                f"区划 {prefix} 不在您的管辖范围内 / division {prefix} is outside your area"
            )
        try:
            run = start_screening(
                params["on"],
                params.get("standards") or None,
                prefix or "",
                engine=params["engine"],
                user=user,
            )
        except ScreeningInputError as err:
            raise ValidationError({"non_field_errors": [str(err)]}) from None
        return Response(s.ScreeningRunSerializer(run).data, status=status.HTTP_201_CREATED)


class ScreeningResultListView(generics.ListAPIView):
    """One run's results, only the rows of enterprises within the user's scope."""

    serializer_class = s.ScreeningResultSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("standard", str),
            OpenApiParameter("outcome", str, enum=["pass", "fail", "undetermined"]),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        user = self.request.user
        run = get_object_or_404(ScreeningRun.objects.for_user(user), pk=self.kwargs["pk"])
        params = _params(s.ScreeningResultFilterSerializer, self.request.query_params)
        qs = ScreeningResult.objects.for_user(user).filter(run=run).select_related("enterprise")
        if params.get("standard"):
            qs = qs.filter(standard=params["standard"])
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        return qs.order_by("standard", "enterprise__uscc")


# -- token -----------------------------------------------------------------------------------


def _locked_out() -> ApiError:
    return ApiError(
        "登录失败次数过多，账户已暂时锁定 / too many failed logins: temporarily locked",
        code="locked_out",
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class TokenView(ObtainAuthToken):
    """Username + password → token, under the same lockout as the login page (django-axes)."""

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
