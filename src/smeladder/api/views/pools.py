"""培育库 over the API: the pools a user sees, one pool's current members within scope, adding
a firm with a reason and taking it out with a reason — through registry/actions/pools.py,
which decides what is allowed and records the audit events."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from smeladder.registry.actions.pools import PoolError, add_to_pool, remove_from_pool
from smeladder.registry.models import Enterprise, Pool, PoolMembership

from .. import serializers as s
from ..errors import ApiError
from ..pagination import Pagination
from ..permissions import IsOfficial
from ..schema import ApiSchema
from .common import checked_params, id_path, path_id

CODE = OpenApiParameter(
    "code",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,64}$"},
    OpenApiParameter.PATH,
    description="培育库代码 / pool code",
)
MEMBER_ID = id_path("入库记录编号 / membership id")
PAGE = OpenApiParameter("page", int, description="成员页码 / page of members")


def _with_member_counts(pools: Any, user: Any) -> Any:
    """Each pool with the number of its current members the user may see: one subquery."""
    members = (
        PoolMembership.objects.for_user(user)
        .filter(pool=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("pool")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return pools.annotate(members=Coalesce(Subquery(members, output_field=IntegerField()), 0))


def _pool(request: Request, code: str) -> Pool:
    """The pool if the user sees it; otherwise 404, whether it exists or not."""
    pool = Pool.objects.for_user(request.user).filter(code=code.strip()).first()
    if pool is None:
        raise ApiError(
            "没有这个培育库 / no such pool", code="not_found", status_code=status.HTTP_404_NOT_FOUND
        )
    return pool


def _current_members(request: Request, pool: Pool) -> Any:
    return (
        PoolMembership.objects.for_user(request.user)
        .filter(pool=pool, left_on__isnull=True)
        .select_related("enterprise", "pool")
        .order_by("enterprise__uscc", "id")
    )


def _refused(err: PoolError) -> ApiError:
    return ApiError(str(err), code="pool_rule", status_code=status.HTTP_400_BAD_REQUEST)


class PoolListView(generics.ListAPIView):
    """The pools the user sees (officials: of their area and the areas containing it)."""

    schema = ApiSchema()
    pagination_class = Pagination
    serializer_class = s.PoolSerializer

    def get_queryset(self) -> Any:
        pools = Pool.objects.for_user(self.request.user).order_by("code")
        return _with_member_counts(pools, self.request.user)


class PoolDetailView(APIView):
    """One pool with a page of its current members within the user's scope."""

    schema = ApiSchema()

    @extend_schema(parameters=[CODE, PAGE], responses={200: s.PoolDetailSerializer})
    def get(self, request: Request, code: str) -> Response:
        pool = _pool(request, code)
        pool.members = _current_members(request, pool).count()
        paginator = Pagination()
        page = paginator.paginate_queryset(_current_members(request, pool), request, view=self)
        data = s.PoolSerializer(pool).data
        data["member_page"] = {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": s.MembershipSerializer(page, many=True).data,
        }
        return Response(data)


class PoolMembersView(APIView):
    """Add a firm of the user's scope to the pool, with a reason (入库理由)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [IsOfficial]

    @extend_schema(
        parameters=[CODE], request=s.PoolAddSerializer, responses={201: s.MembershipSerializer}
    )
    def post(self, request: Request, code: str) -> Response:
        pool = _pool(request, code)
        data = checked_params(s.PoolAddSerializer, request.data)
        uscc = data["uscc"].strip().upper()
        enterprise = Enterprise.objects.for_user(request.user).filter(uscc=uscc).first()
        if enterprise is None:
            raise ApiError(
                "没有该企业或不在您的管辖范围内 / no such enterprise within your scope",
                code="not_found",
                status_code=status.HTTP_404_NOT_FOUND,
                fields={"uscc": ["未找到 / not found"]},
            )
        try:
            membership = add_to_pool(
                actor=request.user,
                pool=pool,
                enterprise=enterprise,
                joined_on=data.get("joined_on") or timezone.localdate(),
                reason=data["reason"],
            )
        except PoolError as err:
            raise _refused(err) from None
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class PoolMemberRemoveView(APIView):
    """Take a firm out of the pool on a day, with a reason (出库原因); the stay is kept."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    permission_classes = [IsOfficial]

    @extend_schema(
        parameters=[CODE, MEMBER_ID],
        request=s.PoolRemoveSerializer,
        responses={200: s.MembershipSerializer},
    )
    def post(self, request: Request, code: str, pk: str) -> Response:
        pool = _pool(request, code)
        membership = (
            PoolMembership.objects.for_user(request.user)
            .filter(pool=pool, pk=path_id(pk))
            .select_related("enterprise", "pool")
            .first()
        )
        if membership is None:
            raise ApiError(
                "没有这条入库记录 / no such membership",
                code="not_found",
                status_code=status.HTTP_404_NOT_FOUND,
            )
        data = checked_params(s.PoolRemoveSerializer, request.data)
        try:
            membership = remove_from_pool(
                actor=request.user,
                membership=membership,
                left_on=data.get("left_on") or timezone.localdate(),
                reason=data["reason"],
            )
        except PoolError as err:
            raise _refused(err) from None
        return Response(s.MembershipSerializer(membership).data)
