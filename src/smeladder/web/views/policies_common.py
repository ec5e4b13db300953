"""What the policy pages share: who may open them, the firm a page is about, labels, the query
string of a filtered list without its page number."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_official
from smeladder.policies.models import Category, Level, Status
from smeladder.registry.models import Enterprise

from .common import official_or_403

LEVELS = dict(Level.choices)
CATEGORIES = dict(Category.choices)
STATUSES = dict(Status.choices)


def official(request: HttpRequest) -> Any:
    return official_or_403(request, _("政策库管理仅供主管部门工作人员使用。"))


def not_partner(request: HttpRequest) -> Any:
    """Officials and enterprise users; partners see only what is shared with them (nothing
    of the policy library yet)."""
    user: Any = request.user
    if is_official(user) or (user.role == Role.ENTERPRISE and user.enterprise_id):
        return user
    raise PermissionDenied(_("政策服务仅供主管部门工作人员和企业用户使用。"))


def firm_of(request: HttpRequest, source: Any = None) -> Enterprise:
    """The firm a page is about: an enterprise user's own; an official names one of their area
    with ``uscc`` (GET or POST). Outside the user's scope: 404, whether it exists or not."""
    user: Any = not_partner(request)
    data = source if source is not None else request.GET
    uscc = (data.get("uscc") or "").strip().upper()
    scoped = Enterprise.objects.for_user(user)
    if uscc:
        firm = scoped.filter(uscc=uscc).first()
    elif user.role == Role.ENTERPRISE:
        firm = scoped.filter(pk=user.enterprise_id).first()
    else:
        firm = None
    if firm is None:
        raise Http404(_("未找到该企业，或不在您的管辖范围内"))
    return firm


def category_labels(codes: Any) -> str:
    return "、".join(str(CATEGORIES.get(c, c)) for c in codes or []) or "—"


def query_without_page(request: HttpRequest, *drop: str) -> str:
    """The request's query string without ``page`` (and ``drop``), for pager links."""
    pairs = [
        (k, v)
        for k, values in request.GET.lists()
        for v in values
        if k not in ("page", "format", *drop) and v != ""
    ]
    return urlencode(pairs)


def as_int(text: Any) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None
