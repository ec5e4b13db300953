"""One 诉求: its facts, due date, event log, attachments, ratings, 回访 calls and followers, and
a button for each action the user may take now (the state machine's table and the permission
predicates decide, the same the actions check). Each action is one POST that calls the matching
casework action; a refusal shows the action's Chinese message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from smeladder.casework import actions
from smeladder.casework.actions import (
    CaseworkError,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    OutOfScope,
)
from smeladder.casework.actions.transitions import TRANSITIONS
from smeladder.casework.models import (
    OPEN_STATES,
    Case,
    Level,
    Satisfaction,
    State,
    next_level,
)
from smeladder.casework.permissions import is_handler, is_requester, is_supervisor
from smeladder.registry.models import Enterprise

from .cases_common import casework_user, due_of, reassign_targets

#: the state machine's transitions a page offers (auto_close is the job's)
PAGE_TRANSITIONS = ("accept", "start", "wait", "reply", "resolve", "confirm", "reopen")
#: transitions whose note the page requires (the firm must know what to supply / what was done)
NOTE_REQUIRED = {
    "wait": gettext_lazy("请填写需要企业补充的内容。"),
    "resolve": gettext_lazy("请填写办理结果。"),
}
EVENT_LABELS = {
    "filed": gettext_lazy("提交诉求"),
    "accept": gettext_lazy("受理"),
    "start": gettext_lazy("开始办理"),
    "wait": gettext_lazy("请企业补充材料"),
    "reply": gettext_lazy("企业已答复"),
    "resolve": gettext_lazy("办结"),
    "confirm": gettext_lazy("确认办结"),
    "auto_close": gettext_lazy("自动关闭"),
    "reopen": gettext_lazy("重新办理"),
    "reassign": gettext_lazy("改派"),
    "escalate": gettext_lazy("升级"),
    "supervise": gettext_lazy("督办"),
    "rate": gettext_lazy("评价"),
    "follow_up": gettext_lazy("回访"),
    "follow": gettext_lazy("关注"),
    "attachment": gettext_lazy("上传附件"),
}
STATUS = {IllegalTransition: 409, NotAllowed: 403, InvalidInput: 400}


def _case(user: Any, pk: int) -> Case:
    """The case if the user sees it; 404 otherwise (whether it exists or not)."""
    return get_object_or_404(
        Case.objects.for_user(user).select_related("enterprise", "department", "filed_by"), pk=pk
    )


def _capacities(user: Any, case: Case) -> dict[str, bool]:
    """In which capacities the user stands to this case (asked once per page)."""
    handler = is_handler(user, case)
    return {
        "requester": is_requester(user, case),
        "handler": handler,
        "supervisor": is_supervisor(user, case),
    }


def _offered(case: Case, may: dict[str, bool], rated: bool, following: bool) -> dict[str, Any]:
    """What the page offers: the transitions allowed now (the table's sources and who), and the
    other actions with the same predicates the actions check."""
    who = {
        "handler": may["handler"],
        "requester": may["requester"],
        "either": may["handler"] or may["requester"],
        "system": False,
    }
    transitions = [
        (kind, TRANSITIONS[kind].label, kind in NOTE_REQUIRED)
        for kind in PAGE_TRANSITIONS
        if case.state in TRANSITIONS[kind].sources and who[TRANSITIONS[kind].who]
    ]
    is_open = case.state in OPEN_STATES
    return {
        "transitions": transitions,
        "escalate": may["supervisor"] and is_open and next_level(case.level) is not None,
        "reassign": may["handler"] and is_open,
        "rate": may["requester"] and case.state in (State.RESOLVED, State.CLOSED) and not rated,
        "follow_up": may["handler"],
        "attach": may["handler"] or may["requester"],
        "follow": not following,
    }


def _rated_since_resolution(events: list[Any]) -> bool:
    kinds = [e.kind for e in events if e.kind in ("resolve", "rate")]
    return bool(kinds) and kinds[-1] == "rate"


def detail_context(user: Any, case: Case, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    events = list(case.events.select_related(None).all())
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
        event.from_label = State(event.from_state).label if event.from_state else ""
        event.to_label = State(event.to_state).label if event.to_state else ""
    followers = list(case.followers.select_related("user").order_by("added_at", "pk"))
    may = _capacities(user, case)
    offered = _offered(
        case, may, _rated_since_resolution(events), any(f.user_id == user.pk for f in followers)
    )
    firm_visible = Enterprise.objects.for_user(user).filter(pk=case.enterprise_id).exists()
    next_rung = next_level(case.level)
    return {
        "case": case,
        "due": due_of(events, today),
        "events": events,
        "attachments": list(case.attachments.all()),
        "ratings": list(case.ratings.all()),
        "calls": list(case.follow_up_calls.select_related("called_by")),
        "notices": list(case.supervision_notices.all()),
        "followers": followers,
        "offered": offered,
        "departments": reassign_targets(case) if offered["reassign"] else [],
        "satisfactions": Satisfaction.choices,
        "next_level": Level(next_rung).label if next_rung else "",
        "firm_link": firm_visible,
        "today": today,
        **extra,
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = casework_user(request)
    case = _case(user, pk)
    return render(request, "web/cases/detail.html", detail_context(user, case))


def _required(value: str, message: str) -> str:
    if not value.strip():
        raise InvalidInput(message)
    return value


def _department(raw: str) -> int:
    if not raw.strip().isdigit():
        raise InvalidInput(_("请选择改派的承办部门。"))
    return int(raw)


def _runner(action: str, request: HttpRequest, user: Any, case: Case) -> Callable[[], str]:
    """The call of one action with the form's values, and the message shown when it is done."""
    post = request.POST
    note = post.get("note", "").strip()
    if action in PAGE_TRANSITIONS:
        calls = {
            "accept": actions.accept,
            "start": actions.start,
            "wait": actions.wait_for_enterprise,
            "reply": actions.enterprise_replied,
            "resolve": actions.resolve,
            "confirm": actions.confirm,
            "reopen": actions.reopen,
        }

        def transition() -> str:
            if action in NOTE_REQUIRED:
                _required(note, str(NOTE_REQUIRED[action]))
            done = calls[action](case, user, note)
            return _("已%(what)s，诉求当前状态：%(state)s。") % {
                "what": TRANSITIONS[action].label,
                "state": done.get_state_display(),
            }

        return transition
    if action == "escalate":

        def escalate() -> str:
            done = actions.escalate(case, user, _required(note, _("请填写升级理由。")))
            return _("已升级至「%(level)s」。") % {"level": done.get_level_display()}

        return escalate
    if action == "reassign":

        def reassign() -> str:
            dept = _department(post.get("department", ""))
            done = actions.reassign(case, user, dept, post.get("reason", ""))
            return _("已改派至「%(dept)s」。") % {"dept": done.department.name}

        return reassign
    if action == "rate":

        def rate() -> str:
            rating = actions.rate(case, user, post.get("satisfaction", ""), post.get("comment", ""))
            return _("感谢评价：%(label)s。") % {"label": rating.get_satisfaction_display()}

        return rate
    if action == "follow_up":

        def follow_up() -> str:
            actions.log_follow_up(case, user, post.get("summary", ""), post.get("contact", ""))
            return _("已登记回访。")

        return follow_up
    if action == "follow":

        def follow() -> str:
            actions.add_follower(case, user)
            return _("已关注此诉求，状态变化时将通知您。")

        return follow
    if action == "attach":

        def attach() -> str:
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput(_("请选择要上传的文件。"))
            row = actions.add_attachment(case, user, upload.name, upload)
            return _("已上传附件「%(name)s」。") % {"name": row.original_name}

        return attach
    raise Http404(_("未知的操作"))


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = casework_user(request)
    case = _case(user, pk)
    run = _runner(action, request, user, case)
    try:
        done = run()
    except OutOfScope as err:
        raise Http404(err.message) from None
    except CaseworkError as err:
        # the action wrote nothing; the page shows why, from the case as it is now
        case = _case(user, pk)
        context = detail_context(user, case, error=err.message, failed=action)
        return render(request, "web/cases/detail.html", context, status=STATUS.get(type(err), 400))
    messages.success(request, done)
    return redirect("web:case_detail", pk=pk)


@login_required
@require_GET
def case_attachment(request: HttpRequest, pk: int, att: int) -> FileResponse:
    """An attachment of a case the user sees, as a download (never shown inline: an uploaded
    file is not trusted to render in the platform's origin)."""
    user = casework_user(request)
    case = _case(user, pk)
    row = get_object_or_404(case.attachments.all(), pk=att)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("附件文件不存在")) from None
    return FileResponse(handle, as_attachment=True, filename=row.original_name)
