"""The policy library over the API: documents (list with filters and full-text search, read
with items), a firm's matches, an item's eligible firms (officials), the inbox, applications
(mark applied, record a grant). Scoped as everywhere: documents by PolicyDocument.for_user,
firms and their rows by for_user; writes through policies/actions/tracking.py (audited).
Partners see nothing of the library yet (403), as on the web."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_official
from smeladder.policies.actions.tracking import (
    NotAllowed,
    OutOfScope,
    TrackingError,
    mark_applied,
    record_grant,
)
from smeladder.policies.match_sets import EligibleFirms, visible_ids
from smeladder.policies.models import (
    Application,
    MatchOutcome,
    Notification,
    PolicyDocument,
    Status,
    SupportItem,
)
from smeladder.registry.models import Enterprise
from smeladder.standards.cli_assess import today_in_china

from .. import serializers_policies as ps
from ..errors import ApiError
from ..pagination import Pagination
from ..permissions import IsOfficial
from ..schema import ApiSchema
from .common import USCC_PATH, checked_params, id_path, path_id, scoped_enterprise

SEARCH_LIMIT = 500
POLICY_ID = id_path("政策文件编号 / policy document id")
ITEM_ID = id_path("支持事项编号 / support item id")
NOTIFICATION_ID = id_path("消息编号 / notification id")
APPLICATION_ID = id_path("申报记录编号 / application id")


class PolicyUsers(BasePermission):
    """Officials and enterprise users; partners: 403."""

    message = "政策服务仅供工作人员和企业用户使用 / officials and enterprise users only"

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return is_official(user) or (user.role == Role.ENTERPRISE and bool(user.enterprise_id))


def _not_found(what: str) -> ApiError:
    return ApiError(what, code="not_found", status_code=status.HTTP_404_NOT_FOUND)


def _refused(err: Exception) -> ApiError:
    return ApiError(str(err), code="policy_rule", status_code=status.HTTP_400_BAD_REQUEST)


class PolicyListView(generics.ListAPIView):
    """Policy documents the user sees (published ones; officials also those they maintain),
    filtered by level, category, status; ``search`` ranks by the Chinese full-text search."""

    schema = ApiSchema()
    pagination_class = Pagination
    serializer_class = ps.PolicyRowSerializer
    permission_classes = [PolicyUsers]

    def get_queryset(self) -> Any:
        params = checked_params(ps.PolicyFilterSerializer, self.request.query_params)
        user = self.request.user
        docs = PolicyDocument.objects.for_user(user).annotate(n_items=Count("items"))
        if params.get("level"):
            docs = docs.filter(level=params["level"])
        if params.get("status"):
            docs = docs.filter(status=params["status"])
        if params.get("category"):
            docs = docs.filter(categories__icontains=f'"{params["category"]}"')
        query = (params.get("search") or "").strip()
        if not query:
            return docs.order_by("-published_on", "-id")
        from smeladder.policies.search import search

        found = search(
            query,
            user=user,
            level=params.get("level"),
            category=params.get("category"),
            status=params.get("status"),
            limit=SEARCH_LIMIT,
        )
        order = list(dict.fromkeys(hit.document_id for hit in found.hits))
        rows = {d.pk: d for d in docs.filter(pk__in=order)}
        return [rows[pk] for pk in order if pk in rows]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search", str, description="全文检索 / full-text query, e.g. 小巨人 研发"
            ),
            OpenApiParameter("level", str, enum=[c for c, _ in ps.Level.choices]),
            OpenApiParameter("category", str, enum=[c for c, _ in ps.Category.choices]),
            OpenApiParameter("status", str, enum=[c for c, _ in ps.Status.choices]),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _document(request: Request, pk: str) -> PolicyDocument:
    doc = PolicyDocument.objects.for_user(request.user).filter(pk=path_id(pk)).first()
    if doc is None:
        raise _not_found("没有这个政策文件 / no such policy document")
    return doc


class PolicyDetailView(APIView):
    """One policy document with its items."""

    schema = ApiSchema()
    permission_classes = [PolicyUsers]

    @extend_schema(parameters=[POLICY_ID], responses={200: ps.PolicyDocumentSerializer})
    def get(self, request: Request, pk: str) -> Response:
        doc = _document(request, pk)
        return Response(ps.PolicyDocumentSerializer(doc).data)


class PolicyItemsView(APIView):
    """The support items of one policy document."""

    schema = ApiSchema()
    permission_classes = [PolicyUsers]

    @extend_schema(parameters=[POLICY_ID], responses={200: ps.SupportItemSerializer(many=True)})
    def get(self, request: Request, pk: str) -> Response:
        doc = _document(request, pk)
        return Response(ps.SupportItemSerializer(doc.items.order_by("seq"), many=True).data)


class EnterpriseMatchesView(APIView):
    """我的政策: every published item the firm passes or may pass (undetermined, with the facts
    to fill in), largest amount first."""

    schema = ApiSchema()
    permission_classes = [PolicyUsers]

    @extend_schema(parameters=[USCC_PATH], responses={200: ps.PolicyMatchRowSerializer(many=True)})
    def get(self, request: Request, uscc: str) -> Response:
        from smeladder.web.views.policies_firm import firm_rows

        firm = scoped_enterprise(request, uscc)
        rows = [
            {
                "item": r.item.pk,
                "item_name": r.item.name,
                "document": r.item.document_id,
                "document_title": r.item.document.title,
                "outcome": r.outcome,
                "amount_lo": r.lo,
                "amount_hi": r.hi,
                "apply_to": r.item.document.apply_to,
                "missing": r.missing,
                "application": r.application,
            }
            for r in firm_rows(firm, today_in_china())
        ]
        return Response(ps.PolicyMatchRowSerializer(rows, many=True).data)


class ItemFirmsView(generics.ListAPIView):
    """免申即享: the firms of the official's area that pass an item (its stored match set), with
    the amount each gets, largest first (then by firm); ``outcome=undetermined`` lists those
    waiting on facts; ``district`` narrows to a division-code prefix."""

    schema = ApiSchema()
    pagination_class = Pagination
    serializer_class = ps.EligibleFirmSerializer
    permission_classes = [IsOfficial]

    def get_queryset(self) -> Any:
        params = checked_params(ps.EligibleFilterSerializer, self.request.query_params)
        user = self.request.user
        item = (
            SupportItem.objects.filter(document__in=PolicyDocument.objects.for_user(user))
            .filter(pk=path_id(self.kwargs["pk"]))
            .first()
        )
        if item is None:
            raise _not_found("没有这个支持事项 / no such support item")
        # the item's stored set, decoded; only the page's firms are read from the registry
        scope = visible_ids(user, params.get("district") or "")
        return EligibleFirms(item, params.get("outcome") or MatchOutcome.PASS, scope)

    @extend_schema(
        parameters=[
            ITEM_ID,
            OpenApiParameter("outcome", str, enum=[c for c, _ in MatchOutcome.choices]),
            OpenApiParameter("district", str, pattern=r"^[0-9]{1,12}$"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationListView(generics.ListAPIView):
    """Messages: an enterprise user's own firm's; officials see those of their area."""

    schema = ApiSchema()
    pagination_class = Pagination
    serializer_class = ps.NotificationSerializer
    permission_classes = [PolicyUsers]

    def get_queryset(self) -> Any:
        return (
            Notification.objects.for_user(self.request.user)
            .select_related("enterprise")
            .order_by("-created_at", "-id")
        )


class NotificationReadView(APIView):
    """Mark one of the firm's own messages read (enterprise users only)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [PolicyUsers]

    @extend_schema(
        parameters=[NOTIFICATION_ID],
        request=ps.NotificationReadSerializer,
        responses={200: ps.NotificationSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        note = (
            Notification.objects.for_user(request.user)
            .select_related("enterprise")
            .filter(pk=path_id(pk))
            .first()
        )
        if note is None:
            raise _not_found("没有这条消息 / no such notification")
        if request.user.role != Role.ENTERPRISE:
            raise PermissionDenied(
                "只有企业本身可以标记已读 / only the firm marks its messages read"
            )
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return Response(ps.NotificationSerializer(note).data)


class ApplicationListView(generics.ListAPIView):
    """Applications (申报) in scope; POST marks an item applied for a firm (its own user, or
    an official of its area)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    pagination_class = Pagination
    serializer_class = ps.ApplicationSerializer
    permission_classes = [PolicyUsers]

    def get_queryset(self) -> Any:
        return (
            Application.objects.for_user(self.request.user)
            .select_related("enterprise")
            .order_by("-applied_on", "-id")
        )

    @extend_schema(
        request=ps.ApplicationCreateSerializer, responses={201: ps.ApplicationSerializer}
    )
    def post(self, request: Request) -> Response:
        data = checked_params(ps.ApplicationCreateSerializer, request.data)
        user = request.user
        if data.get("uscc"):
            firm = scoped_enterprise(request, data["uscc"])
        elif user.role == Role.ENTERPRISE:
            firm = Enterprise.objects.for_user(user).get(pk=user.enterprise_id)
        else:
            raise ApiError(
                "请指明企业 / name the firm", code="invalid", fields={"uscc": ["必填 / required"]}
            )
        item = (
            SupportItem.objects.select_related("document")
            .filter(document__status=Status.PUBLISHED, pk=data["item"])
            .first()
        )
        if item is None:
            raise _not_found("没有这个已发布的支持事项 / no such published item")
        try:
            application = mark_applied(
                user, item, firm, on=data.get("applied_on") or today_in_china(),
                note=data.get("note", ""),
            )  # fmt: skip
        except OutOfScope:
            raise _not_found("没有该企业或不在您的管辖范围内 / no such enterprise") from None
        except (NotAllowed, TrackingError) as err:
            raise _refused(err) from None
        return Response(ps.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationGrantView(APIView):
    """Record the amount granted (officials of the firm's area; 0 = not supported)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [IsOfficial]

    @extend_schema(
        parameters=[APPLICATION_ID],
        request=ps.GrantSerializer,
        responses={200: ps.ApplicationSerializer},
    )
    def post(self, request: Request, pk: str) -> Response:
        application = (
            Application.objects.for_user(request.user)
            .select_related("enterprise", "item__document")
            .filter(pk=path_id(pk))
            .first()
        )
        if application is None:
            raise _not_found("没有这条申报记录 / no such application")
        data = checked_params(ps.GrantSerializer, request.data)
        try:
            record_grant(
                request.user,
                application,
                data["amount"],
                data.get("decided_on") or today_in_china(),
                note=data.get("note", ""),
            )
        except OutOfScope:
            raise _not_found("没有这条申报记录 / no such application") from None
        except NotAllowed as err:
            raise PermissionDenied(str(err)) from None
        except TrackingError as err:
            raise _refused(err) from None
        return Response(ps.ApplicationSerializer(application).data)
