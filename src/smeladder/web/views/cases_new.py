"""提交诉求: an enterprise user files for its own firm (web channel); an official files on behalf
of a firm of their area named by USCC, noting how the firm got in touch (phone, visit, hotline).
Attachments are checked by casework/attachments.py inside the action (type by extension AND
content, size); any refusal is shown in Chinese and nothing is stored."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from smeladder.accounts.models import Role
from smeladder.accounts.roles import is_official
from smeladder.casework.actions import CaseworkError, file_case
from smeladder.casework.attachments import EXTENSIONS, max_bytes
from smeladder.casework.models import Category, Channel, Urgency
from smeladder.registry.models import Enterprise

#: how an official heard of the request (the web and API channels are the firm's own)
OFFICIAL_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.HOTLINE)
MAX_FILES = 5


def _filer(request: HttpRequest) -> Any:
    user: Any = request.user
    if is_official(user) or (user.role == Role.ENTERPRISE and user.enterprise_id):
        return user
    raise PermissionDenied(_("只有企业用户或主管部门工作人员可以提交诉求。"))


def _firm(user: Any, uscc: str) -> Enterprise | None:
    if user.role == Role.ENTERPRISE:
        return Enterprise.objects.filter(pk=user.enterprise_id).first()
    uscc = uscc.strip().upper()
    if not uscc:
        return None
    return Enterprise.objects.for_user(user).filter(uscc=uscc).first()


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user = _filer(request)
    official = user.role != Role.ENTERPRISE
    fields = ("uscc", "category", "description", "urgency", "channel")
    source = request.POST if request.method == "POST" else request.GET
    form = {name: (source.get(name) or "").strip() for name in fields}
    # a link naming a firm (from its profile): outside the user's scope it does not exist
    scoped = Enterprise.objects.for_user(user)
    if (
        request.method == "GET"
        and form["uscc"]
        and not scoped.filter(uscc=form["uscc"].upper()).exists()
    ):
        raise Http404(_("未找到该企业，或不在您的管辖范围内"))
    form["urgency"] = form["urgency"] or Urgency.NORMAL
    form["channel"] = form["channel"] or Channel.PHONE
    errors: list[str] = []
    if request.method == "POST":
        firm = _firm(user, form["uscc"])
        uploads = request.FILES.getlist("files")
        if firm is None:
            errors.append(
                _("请填写企业的统一社会信用代码。")
                if not form["uscc"]
                else _("在您的管辖范围内未找到该企业。")
            )
        if not form["category"]:
            errors.append(_("请选择诉求类别。"))
        if not form["description"]:
            errors.append(_("请填写诉求内容。"))
        if official and form["channel"] not in OFFICIAL_CHANNELS:
            errors.append(_("请选择来源渠道（电话、走访或热线）。"))
        if len(uploads) > MAX_FILES:
            errors.append(_("一次最多上传 %(n)d 个附件。") % {"n": MAX_FILES})
        if not errors and firm is not None:
            try:
                case = file_case(
                    user,
                    firm,
                    category=form["category"],
                    description=form["description"],
                    urgency=form["urgency"],
                    channel=form["channel"] if official else Channel.WEB,
                    files=[(f.name, f) for f in uploads],
                )
            except CaseworkError as err:
                errors.append(err.message)
            else:
                messages.success(
                    request,
                    _("诉求 #%(id)s 已提交，承办部门：%(dept)s。")
                    % {
                        "id": case.pk,
                        "dept": case.department.name if case.department_id else _("待指派"),
                    },
                )
                return redirect("web:case_detail", pk=case.pk)
    context = {
        "form": form,
        "errors": errors,
        "official": official,
        "firm": None if official else _firm(user, ""),
        "categories": Category.choices,
        "urgencies": Urgency.choices,
        "channels": [(c.value, c.label) for c in OFFICIAL_CHANNELS],
        "extensions": "、".join(sorted({e.lstrip(".").upper() for e in EXTENSIONS})),
        "max_mb": max_bytes() // (1024 * 1024),
        "max_files": MAX_FILES,
    }
    return render(request, "web/cases/new.html", context, status=400 if errors else 200)
