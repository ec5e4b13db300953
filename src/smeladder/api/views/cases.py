"""企业诉求 over the API: list and file cases, read one with its history, move it through the
state machine, escalate, reassign, rate, log 回访, upload and download attachments; the
departments to reassign to and the precomputed metrics.

Thin: which cases exist for a caller is `Case.objects.for_user` (an enterprise user its own
firm's, officials their area, a department's members what is assigned to it, partners nothing),
and every write is one call of `casework.actions`, whose refusals become JSON errors with stable
codes — out of scope 404 `not_found`, not this caller's to do 403 `permission_denied`, not in
this state 409 `illegal_transition`, bad input 400 naming the field."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_admin, is_official
from smeladder.casework import actions
from smeladder.casework.actions import (
    CaseworkError,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    OutOfScope,
)
from smeladder.casework.calendar import CalendarNotCovered
from smeladder.casework.models import OPEN_STATES, Attachment, Case, CaseMetric, Department, State
from smeladder.casework.rules import NoDeadlineRule
from smeladder.registry.models import Enterprise

from .. import serializers_cases as cs
from ..errors import ApiError
from ..pagination import Pagination
from ..permissions import IsOfficial
from ..schema import ApiSchema
from .common import checked_params, path_id, scoped_enterprise

CASE_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": cs.ID_MAX},
    OpenApiParameter.PATH,
    description="诉求编号 / case id",
)
ATTACHMENT_ID = OpenApiParameter(
    "att",
    {"type": "integer", "minimum": 1, "maximum": cs.ID_MAX},
    OpenApiParameter.PATH,
    description="附件编号 / attachment id",
)

#: the sniffed kind of an attachment → the Content-Type it is served with
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

TRANSITION_CALLS = {
    "accept": actions.accept,
    "start": actions.start,
    "wait": actions.wait_for_enterprise,
    "reply": actions.enterprise_replied,
    "resolve": actions.resolve,
    "confirm": actions.confirm,
    "reopen": actions.reopen,
}


def _not_found(what: str = "没有这个诉求 / no such case") -> ApiError:
    return ApiError(what, code="not_found", status_code=status.HTTP_404_NOT_FOUND)


def refused(err: Exception, field: str = "non_field_errors") -> ApiError:
    """An action's refusal as the API's error; `field` is the input an InvalidInput is about."""
    if isinstance(err, OutOfScope):
        return _not_found()
    if isinstance(err, NotAllowed):
        return ApiError(str(err), code="permission_denied", status_code=status.HTTP_403_FORBIDDEN)
    if isinstance(err, IllegalTransition):
        return ApiError(str(err), code="illegal_transition", status_code=status.HTTP_409_CONFLICT)
    if isinstance(err, InvalidInput):
        return ApiError("输入有误 / invalid input", code="invalid", fields={field: [str(err)]})
    if isinstance(err, NoDeadlineRule):
        return ApiError(str(err), code="no_deadline_rule", status_code=status.HTTP_409_CONFLICT)
    if isinstance(err, CalendarNotCovered):
        return ApiError(str(err), code="calendar_not_covered", status_code=status.HTTP_409_CONFLICT)
    return ApiError(str(err), code="casework_refused", status_code=status.HTTP_409_CONFLICT)


REFUSALS = (CaseworkError, CalendarNotCovered)


def _detail_queryset(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("enterprise", "department").prefetch_related(
        "events", "ratings", "follow_up_calls", "attachments"
    )


def visible_case(request: Request, pk: str) -> Case:
    """The case if the caller sees it; otherwise 404, whether it exists or not."""
    case = (
        Case.objects.for_user(request.user)
        .select_related("enterprise", "department")
        .filter(pk=path_id(pk))
        .first()
    )
    if case is None:
        raise _not_found()
    return case


def answer(request: Request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    """The case as it is after a write. A reassignment can take it out of a department
    member's sight; the one who just acted on it still gets the result of that act."""
    case = _detail_queryset(Case.objects.for_user(request.user)).filter(pk=pk).first()
    if case is None:
        case = _detail_queryset(Case.objects.all()).get(pk=pk)
    return Response(cs.CaseDetailSerializer(case).data, status=code)


class CaseListView(generics.ListAPIView):
    """诉求 in the caller's scope, newest first, each with its due date computed from the
    event log in working days and whether it is overdue today. POST files a new case: an
    enterprise user for its own firm (channel api), an official for a firm of its area on the
    firm's behalf (channel phone, visit, hotline …)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    pagination_class = Pagination
    serializer_class = cs.CaseRowSerializer

    def get_queryset(self) -> Any:
        params = checked_params(cs.CaseFilterSerializer, self.request.query_params)
        cases = (
            Case.objects.for_user(self.request.user)
            .select_related("enterprise", "department")
            .prefetch_related("events")
        )
        if params.get("state"):
            cases = cases.filter(state=params["state"])
        if params.get("category"):
            cases = cases.filter(category=params["category"])
        if params.get("department"):
            cases = cases.filter(department_id=params["department"])
        if params.get("uscc"):
            cases = cases.filter(enterprise__uscc=params["uscc"])
        wanted = params.get("overdue")
        if wanted is None:
            return cases
        # overdue is computed, not stored: only a running clock can be late, so only open
        # cases not waiting for the firm need their event log read
        today = timezone.localdate()
        candidates = cases.filter(state__in=OPEN_STATES).exclude(state=State.WAITING)
        late = [c for c in candidates if cs.deadline_info(c, today).overdue]
        if wanted:
            return late
        return cases.exclude(pk__in=[c.pk for c in late])

    @extend_schema(
        summary="诉求列表（管辖范围内，含应办结日期与是否超期）",
        parameters=[cs.CaseFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="提交诉求（企业自行提交，或工作人员代企业提交）",
        request=cs.CaseCreateSerializer,
        responses={201: cs.CaseDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        data = checked_params(cs.CaseCreateSerializer, request.data)
        user = request.user
        if user.role == Role.ENTERPRISE and user.enterprise_id and not is_admin(user):
            firm = Enterprise.objects.get(pk=user.enterprise_id)
            if data.get("uscc") and data["uscc"].strip().upper() != firm.uscc:
                raise _not_found("没有该企业或不在您的管辖范围内 / no such enterprise")
            if data.get("channel") not in (None, "api"):
                raise ApiError(
                    "输入有误 / invalid input",
                    code="invalid",
                    fields={"channel": ["企业经接口提交的诉求渠道为 api / must be api"]},
                )
            channel = "api"
        elif is_official(user):
            if not data.get("uscc"):
                raise ApiError(
                    "输入有误 / invalid input",
                    code="invalid",
                    fields={"uscc": ["工作人员代企业提交时必填 / required for officials"]},
                )
            firm = scoped_enterprise(request, data["uscc"])
            channel = data.get("channel") or "phone"
        else:
            raise PermissionDenied(
                "只有企业用户或工作人员可以提交诉求 / only enterprise users and officials file"
            )
        try:
            case = actions.file_case(
                user,
                firm,
                category=data["category"],
                description=data["description"],
                urgency=data["urgency"],
                channel=channel,
            )
        except REFUSALS as err:
            raise refused(err, "description") from None
        return answer(request, case.pk, status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    """One case with its events (every transition: actor, time, from → to, note), ratings,
    回访 calls and attachments (metadata and a download URL)."""

    schema = ApiSchema()

    @extend_schema(
        summary="诉求详情（事件记录、评价、回访、附件）",
        parameters=[CASE_ID],
        responses={200: cs.CaseDetailSerializer},
    )
    def get(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)
        return answer(request, case.pk)


class CaseTransitionView(APIView):
    """Move the case: accept, start, wait (for the firm: the clock pauses), reply (it
    resumes), resolve, confirm (closed), reopen. A move the state does not allow is refused
    with 409 `illegal_transition` and the case stays as it was."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        summary="办理流转：受理、开始办理、请企业补充、企业答复、办结、确认、重新办理",
        parameters=[CASE_ID],
        request=cs.TransitionSerializer,
        responses={200: cs.CaseDetailSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)
        data = checked_params(cs.TransitionSerializer, request.data)
        try:
            TRANSITION_CALLS[data["action"]](case.pk, request.user, data["note"].strip())
        except REFUSALS as err:
            raise refused(err, "note") from None
        return answer(request, case.pk)


class CaseEscalateView(APIView):
    """Escalate by hand one rung up the ladder (自办 → 专办 → 工作专班 → 领导小组), with a
    reason; officials of the firm's area only."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        summary="人工升级（自办 → 专办 → 工作专班 → 领导小组）",
        parameters=[CASE_ID],
        request=cs.EscalateSerializer,
        responses={200: cs.CaseDetailSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)
        data = checked_params(cs.EscalateSerializer, request.data)
        try:
            actions.escalate(case.pk, request.user, data["reason"].strip())
        except REFUSALS as err:
            raise refused(err, "reason") from None
        return answer(request, case.pk)


def visible_departments(user: Any) -> QuerySet | None:
    """Active departments a user may hand cases to: an admin all; officials and department
    members those serving their area (the city's units and their district's, never another
    district's). None for anyone else (enterprise users, partners outside any department)."""
    departments = Department.objects.filter(active=True)
    if is_admin(user):
        return departments
    areas = set(Department.objects.filter(members=user).values_list("division_prefix", flat=True))
    if is_official(user):
        areas.add(user.division_prefix)
    if not areas:
        return None
    related = Q(pk__in=[])
    for area in areas:
        wider = [area[:n] for n in (2, 4, 6) if n <= len(area)]
        related |= Q(division_prefix__startswith=area) | Q(division_prefix__in=wider)
    return departments.filter(related)


class CaseReassignView(APIView):
    """Hand the case to another department (one of /api/v1/departments/), with a reason."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        summary="改派承办部门（须说明理由）",
        parameters=[CASE_ID],
        request=cs.ReassignSerializer,
        responses={200: cs.CaseDetailSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)  # scope first: an outsider learns nothing of units
        data = checked_params(cs.ReassignSerializer, request.data)
        choosable = visible_departments(request.user)
        target = None if choosable is None else choosable.filter(pk=data["department"]).first()
        if target is None:
            raise ApiError(
                "输入有误 / invalid input",
                code="invalid",
                fields={"department": ["承办部门不存在、已停用或不在可选范围内"]},
            )
        try:
            actions.reassign(case.pk, request.user, target, data["reason"])
        except REFUSALS as err:
            field = "reason" if not data["reason"].strip() else "department"
            raise refused(err, field) from None
        return answer(request, case.pk)


class CaseRatingView(APIView):
    """好差评: the firm rates the resolution (an official may record a rating given by phone).
    满意 / 基本满意 closes a resolved case; 不满意 (with a comment) reopens it, or escalates it
    when the category's rule says so."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        summary="企业评价（满意 / 基本满意 / 不满意）",
        parameters=[CASE_ID],
        request=cs.RatingCreateSerializer,
        responses={201: cs.CaseDetailSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)
        data = checked_params(cs.RatingCreateSerializer, request.data)
        try:
            actions.rate(case.pk, request.user, data["satisfaction"], data["comment"])
        except REFUSALS as err:
            raise refused(err, "comment") from None
        return answer(request, case.pk, status.HTTP_201_CREATED)


class CaseFollowUpView(APIView):
    """回访: a handler logs a call to the firm after resolution."""

    schema = ApiSchema()
    parser_classes = [JSONParser]

    @extend_schema(
        summary="登记回访",
        parameters=[CASE_ID],
        request=cs.FollowUpCreateSerializer,
        responses={201: cs.CaseDetailSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)
        data = checked_params(cs.FollowUpCreateSerializer, request.data)
        try:
            actions.log_follow_up(case.pk, request.user, data["summary"], data["contact"])
        except REFUSALS as err:
            raise refused(err, "summary") from None
        return answer(request, case.pk, status.HTTP_201_CREATED)


class CaseAttachmentsView(APIView):
    """Upload an attachment (multipart, field `file`): the extension and the content must be
    one of PDF, JPG, PNG, DOCX, XLSX and agree, within the size limit; otherwise 400 naming
    `file`. The firm's own user or a handler of the case."""

    schema = ApiSchema()
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="上传附件（PDF、JPG、PNG、DOCX、XLSX）",
        parameters=[CASE_ID],
        request={"multipart/form-data": cs.AttachmentUploadSerializer},
        responses={201: cs.AttachmentSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        case = visible_case(request, pk)
        upload = request.data.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(
                "输入有误 / invalid input",
                code="invalid",
                fields={"file": ["请上传文件（multipart 字段 file） / a file is required"]},
            )
        try:
            row = actions.add_attachment(case.pk, request.user, upload.name or "", upload)
        except REFUSALS as err:
            raise refused(err, "file") from None
        return Response(cs.AttachmentSerializer(row).data, status=status.HTTP_201_CREATED)


class CaseAttachmentDownloadView(APIView):
    """Download an attachment of a case the caller sees (its original name, its checked
    type)."""

    schema = ApiSchema()

    @extend_schema(
        summary="下载附件",
        parameters=[CASE_ID, ATTACHMENT_ID],
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY, description="附件内容")
            for media in MEDIA_TYPES.values()
        },
    )
    def get(self, request: Request, pk: str, att: str) -> FileResponse:
        case = visible_case(request, pk)
        row = Attachment.objects.filter(case=case, pk=path_id(att, "att")).first()
        if row is None:
            raise _not_found("没有这个附件 / no such attachment")
        try:
            handle = row.file.open("rb")
        except FileNotFoundError:
            raise _not_found("附件文件缺失 / the file is missing") from None
        return FileResponse(
            handle,
            as_attachment=True,
            filename=row.original_name,
            content_type=MEDIA_TYPES.get(row.content_type, "application/octet-stream"),
        )


class DepartmentUsers(BasePermission):
    """Officials, admins and members of a department; others: 403."""

    message = "仅限工作人员和承办部门成员 / officials and department members only"

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and visible_departments(user) is not None)


class DepartmentListView(generics.ListAPIView):
    """承办部门 to reassign a case to: active units serving the caller's area."""

    schema = ApiSchema()
    pagination_class = Pagination
    serializer_class = cs.DepartmentSerializer
    permission_classes = [DepartmentUsers]

    def get_queryset(self) -> Any:
        departments = visible_departments(self.request.user)
        assert departments is not None  # DepartmentUsers let only these through
        return departments.order_by("division_prefix", "name", "pk")

    @extend_schema(summary="可选承办部门（改派时选择）")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseMetricListView(generics.ListAPIView):
    """诉求统计: the precomputed metrics rows (`smeladder refresh_case_metrics`) of the
    official's area — a district official only its district's rows — by dimension (all,
    department, category, month) and month."""

    schema = ApiSchema()
    pagination_class = Pagination
    serializer_class = cs.MetricSerializer
    permission_classes = [IsOfficial]

    def get_queryset(self) -> Any:
        params = checked_params(cs.MetricFilterSerializer, self.request.query_params)
        rows = CaseMetric.objects.for_user(self.request.user)
        dimension = params.get("dimension")
        if params.get("month"):
            if dimension not in (None, "month"):
                raise ApiError(
                    "输入有误 / invalid input",
                    code="invalid",
                    fields={"month": ["月份只适用于 month 维度 / only with dimension=month"]},
                )
            rows = rows.filter(dimension="month", key=params["month"])
        if dimension:
            rows = rows.filter(dimension=dimension)
        if params.get("area"):
            rows = rows.filter(area=params["area"])
        return rows.order_by("area", "dimension", "key", "property", "pk")

    @extend_schema(
        summary="诉求统计（预先计算；区县工作人员只见本区县）",
        parameters=[cs.MetricFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
