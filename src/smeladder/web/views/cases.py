"""企业诉求: the list of the cases a user sees (an enterprise its own — 我的诉求 —, a department
the cases assigned to it, officials their area), with filters, due dates, pages and an Excel
export, and the user's casework messages (unread first). This module owns every URL of the
诉求 pages; the filing form, the case page and its actions live beside it (cases_new.py,
cases_detail.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from smeladder.accounts.models import Role
from smeladder.casework.actions import mark_read
from smeladder.casework.models import Case, CaseMessage, Category, Level, State

from .cases_common import CaseFilter, casework_user, department_choices, due_of, events_prefetch
from .cases_detail import case_action, case_attachment, case_detail
from .cases_export import export_cases
from .cases_new import case_new
from .common import PAGE_SIZE

MESSAGES_SHOWN = 10


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = casework_user(request)
    today = timezone.localdate()
    filters = CaseFilter.from_query(request.GET)
    cases = filters.apply(Case.objects.for_user(user), today)
    if request.GET.get("format") == "xlsx":
        return export_cases(user, cases, filters, today)
    cases = cases.select_related("enterprise", "department").only(
        "pk", "category", "state", "level", "urgency", "filed_at",
        "enterprise__name", "enterprise__uscc", "department__name",
    ).prefetch_related(events_prefetch())  # fmt: skip
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.due = due_of(case.events.all(), today)
    inbox = CaseMessage.objects.for_user(user)
    context = {
        "page": page,
        "f": filters,
        "query": filters.query(),
        "states": [("open", _("未办结")), *State.choices],
        "categories": Category.choices,
        "levels": Level.choices,
        "departments": department_choices(user),
        "own": user.role == Role.ENTERPRISE,
        "may_file": user.role != Role.DEPARTMENT,
        "today": today,
        "inbox": list(
            inbox.select_related(None)
            .only("pk", "case_id", "title", "body", "created_at", "read_at")
            .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")[:MESSAGES_SHOWN]
        ),
        "unread": inbox.unread().count(),
    }
    return render(request, "web/cases/list.html", context)


@login_required
@require_POST
def messages_read(request: HttpRequest) -> HttpResponse:
    """Mark one of the user's casework messages read (``id``), or all of them."""
    user = casework_user(request)
    raw = request.POST.get("id", "").strip()
    ids = [int(raw)] if raw.isdigit() else None
    count = mark_read(user, ids)
    if ids is None:
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect("web:cases")


urlpatterns = [
    path("cases/", case_list, name="cases"),
    path("cases/new/", case_new, name="case_new"),
    path("cases/messages/read/", messages_read, name="case_messages_read"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/attachments/<int:att>/", case_attachment, name="case_attachment"),
    path("cases/<int:pk>/<slug:action>/", case_action, name="case_action"),
]
