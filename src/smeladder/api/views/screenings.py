"""梯度筛选 over the API: runs the user may see, starting one, one run's results in scope."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from smeladder.screening.actions import ScreeningInputError, start_screening
from smeladder.screening.models import ScreeningResult, ScreeningRun

from .. import serializers as s
from ..pagination import Pagination
from ..permissions import IsOfficial, in_scope, is_admin
from ..schema import ApiSchema
from .common import checked_params, id_path, path_id


class ScreeningRunListView(generics.ListAPIView):
    """梯度筛选 runs the user may see; POST starts one (officials; own area only)."""

    schema = ApiSchema()
    parser_classes = [JSONParser]
    pagination_class = Pagination
    serializer_class = s.ScreeningRunSerializer

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [IsOfficial()]
        return [IsAuthenticated()]

    def get_queryset(self) -> Any:
        return ScreeningRun.objects.for_user(self.request.user).order_by("-started_at", "-id")

    @extend_schema(request=s.ScreeningStartSerializer, responses={201: s.ScreeningRunSerializer})
    def post(self, request: Request) -> Response:
        params = checked_params(s.ScreeningStartSerializer, request.data)
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

    schema = ApiSchema()
    parser_classes = [JSONParser]
    pagination_class = Pagination
    serializer_class = s.ScreeningResultSerializer

    @extend_schema(
        parameters=[
            id_path("筛选编号 / screening run id"),
            OpenApiParameter("standard", str),
            OpenApiParameter("outcome", str, enum=["pass", "fail", "undetermined"]),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        user = self.request.user
        run = get_object_or_404(ScreeningRun.objects.for_user(user), pk=path_id(self.kwargs["pk"]))
        params = checked_params(s.ScreeningResultFilterSerializer, self.request.query_params)
        qs = ScreeningResult.objects.for_user(user).filter(run=run).select_related("enterprise")
        if params.get("standard"):
            qs = qs.filter(standard=params["standard"])
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        return qs.order_by("standard", "enterprise__uscc")
