"""Pages of 50 (settings.REST_FRAMEWORK PAGE_SIZE); a `page` that is not a positive whole number
is a 400 naming it (DRF's own paginator reads "" as page 1 and "abc" as a missing page)."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_query_param: ["应为正整数 / a positive whole number"]})
        return super().paginate_queryset(queryset, request, view)
