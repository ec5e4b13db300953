"""政策库 for officials: the documents they see (filters: level, category, status; a search box
through policies/search.py), a document with its items in words, the create/edit form (items as
JSON with the problems shown by path, the assist's proposals shown for confirmation), the review
queue, and the workflow buttons (submit, approve, reject, withdraw, reopen) — every change
through policies/actions/workflow.py, which decides who may do what and audits it.

Enterprise users read a published document here too (the search links to it), with their own
match for each item."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from smeladder.accounts.roles import is_official
from smeladder.policies.actions import workflow
from smeladder.policies.actions.errors import NotAllowed, OutOfScope, PolicyError, PolicyInvalid
from smeladder.policies.assist import propose
from smeladder.policies.interchange.format import LABELS as FIELD_LABELS
from smeladder.policies.interchange.format import document_to_data
from smeladder.policies.match_sets import FirmRow, firm_matches, visible_ids
from smeladder.policies.match_sets import counts as match_counts
from smeladder.policies.models import (
    Category,
    Level,
    MatchOutcome,
    PolicyDocument,
    Status,
)
from smeladder.policies.search import search

from .common import PAGE_SIZE, wan
from .policies_common import (
    LEVELS,
    STATUSES,
    category_labels,
    not_partner,
    official,
    query_without_page,
)
from .policies_words import benefit, conditions

DOC_TEXT_FIELDS = (
    "title",
    "issuer",
    "doc_number",
    "published_on",
    "apply_from",
    "apply_to",
    "expires_on",
    "source_url",
    "full_text",
    "materials",
    "channel",
    "contact_department",
    "contact_phone",
    "payout_days",
    "owner_prefix",
)
SEARCH_LIMIT = 50
ACTIONS = {
    "submit": workflow.submit,
    "approve": workflow.approve,
    "reject": workflow.reject,
    "withdraw": workflow.withdraw,
    "reopen": workflow.reopen,
}


def _filters(request: HttpRequest) -> dict[str, str]:
    f = {k: (request.GET.get(k) or "").strip() for k in ("level", "category", "status", "q")}
    f["level"] = f["level"] if f["level"] in Level.values else ""
    f["category"] = f["category"] if f["category"] in Category.values else ""
    f["status"] = f["status"] if f["status"] in Status.values else ""
    f["q"] = f["q"][:100]
    return f


def _search_hits(user: Any, f: dict[str, str]) -> tuple[int, list[Any]]:
    found = search(
        f["q"],
        user=user,
        level=f["level"] or None,
        category=f["category"] or None,
        status=f["status"] or None,
        limit=SEARCH_LIMIT,
    )
    return found.total, found.hits


@login_required
@require_http_methods(["GET"])
def policy_list(request: HttpRequest) -> HttpResponse:
    user = official(request)
    f = _filters(request)
    context: dict[str, Any] = {
        "f": f,
        "levels": Level.choices,
        "categories": Category.choices,
        "statuses": Status.choices,
        "query": query_without_page(request),
        "review_count": PolicyDocument.objects.managed_by(user)
        .filter(status=Status.REVIEW)
        .count(),
    }
    if f["q"]:
        context["total"], context["hits"] = _search_hits(user, f)
        return render(request, "web/policies/list.html", context)
    docs = PolicyDocument.objects.for_user(user).annotate(n_items=Count("items"))
    if f["level"]:
        docs = docs.filter(level=f["level"])
    if f["status"]:
        docs = docs.filter(status=f["status"])
    if f["category"]:
        # a JSON list of codes holds the quoted code (portable over the three backends)
        docs = docs.filter(categories__icontains=f'"{f["category"]}"')
    page = Paginator(docs.order_by("-published_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for doc in page.object_list:
        doc.level_label = LEVELS.get(doc.level, doc.level)
        doc.status_label = STATUSES.get(doc.status, doc.status)
        doc.category_label = category_labels(doc.categories)
    context.update(page=page, total=page.paginator.count)
    return render(request, "web/policies/list.html", context)


def _visible(user: Any, pk: int) -> PolicyDocument:
    return get_object_or_404(PolicyDocument.objects.for_user(user), pk=pk)


@login_required
@require_http_methods(["GET"])
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = not_partner(request)
    doc = _visible(user, pk)
    items = list(doc.items.order_by("seq"))
    manages = is_official(user) and PolicyDocument.objects.managed_by(user).filter(pk=pk).exists()
    counts: dict[tuple[int, str], int] = {}
    own: dict[int, FirmRow] = {}
    if is_official(user):
        counts = match_counts([i.pk for i in items], visible_ids(user))
    elif user.enterprise_id:
        own = firm_matches([i.pk for i in items], user.enterprise_id)
    for item in items:
        item.condition_lines = conditions(item.eligibility)
        item.benefit_lines = benefit(item.benefit)
        item.category_label = category_labels(item.categories or doc.categories)
        item.passing = counts.get((item.pk, MatchOutcome.PASS), 0)
        item.undetermined = counts.get((item.pk, MatchOutcome.UNDETERMINED), 0)
        item.own = own.get(item.pk)
        item.own_wan = wan(item.own.amount) if item.own is not None else ""
    context = {
        "doc": doc,
        "items": items,
        "manages": manages,
        "official": is_official(user),
        "level_label": LEVELS.get(doc.level, doc.level),
        "status_label": STATUSES.get(doc.status, doc.status),
        "category_label": category_labels(doc.categories),
        "revisions": doc.revisions.select_related("actor").order_by("-id")[:20] if manages else [],
        "regions": "、".join(doc.regions) or _("不限"),
    }
    return render(request, "web/policies/detail.html", context)


# -- the form ------------------------------------------------------------------------------


def _initial(doc: PolicyDocument | None, user: Any) -> dict[str, Any]:
    if doc is None:
        return {
            **{k: "" for k in DOC_TEXT_FIELDS},
            "level": Level.DISTRICT if len(user.division_prefix or "") == 6 else Level.CITY,
            "regions": user.division_prefix or "",
            "categories": [],
            "owner_prefix": user.division_prefix or "",
            "items": json.dumps(DEFAULT_ITEMS, ensure_ascii=False, indent=2),
        }
    data = document_to_data(doc, read_only=False)
    form = {k: "" if data.get(k) is None else str(data[k]) for k in DOC_TEXT_FIELDS}
    form.update(
        level=data["level"],
        regions=", ".join(data["regions"]),
        categories=list(data["categories"]),
        items=json.dumps(data["items"], ensure_ascii=False, indent=2),
    )
    return form


def _posted(request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """(form values as typed, policy JSON data, problems found before validation)."""
    post = request.POST
    form: dict[str, Any] = {k: post.get(k, "").strip() for k in DOC_TEXT_FIELDS}
    form.update(
        level=post.get("level", ""),
        regions=post.get("regions", ""),
        categories=[c for c in post.getlist("categories") if c in Category.values],
        items=post.get("items", ""),
    )
    data: dict[str, Any] = {k: form[k] for k in DOC_TEXT_FIELDS}
    for key in ("published_on", "apply_from", "apply_to", "expires_on"):
        data[key] = form[key] or None
    days = form["payout_days"]
    data["payout_days"] = int(days) if days.isdigit() else (days or None)
    data["level"] = form["level"]
    data["regions"] = [
        r.strip() for r in form["regions"].replace("，", ",").split(",") if r.strip()
    ]
    data["categories"] = form["categories"]
    problems = []
    try:
        data["items"] = json.loads(form["items"] or "[]")
    except ValueError as err:
        problems.append({"path": "items", "message": _("支持事项不是合法的 JSON：%s") % err})
    return form, data, problems


DEFAULT_ITEMS = [{"seq": 1, "name": "", "eligibility": {"all": []}, "benefit": {"kind": "none"}}]


def _blank_items(text: str) -> bool:
    try:
        return not text.strip() or json.loads(text) in ([], DEFAULT_ITEMS)
    except ValueError:
        return False


def _apply_proposals(form: dict[str, Any], fields: dict[str, Any]) -> list[str]:
    """Fill the fields the official left blank with what the assist read; returns their
    names (shown, to be checked before saving — the assist never saves)."""
    filled = []
    for key, value in fields.items():
        if value in (None, "", [], {}):
            continue
        if key in DOC_TEXT_FIELDS and isinstance(value, str | int) and not form.get(key):
            form[key] = str(value)
        elif key == "regions" and isinstance(value, list) and not form.get("regions"):
            form["regions"] = ", ".join(map(str, value))
        elif key == "categories" and isinstance(value, list) and not form.get("categories"):
            form["categories"] = [c for c in value if c in Category.values]
        elif key == "level" and value in Level.values and not form.get("level"):
            form["level"] = value
        elif key == "items" and isinstance(value, list) and _blank_items(form.get("items", "")):
            form["items"] = json.dumps(value, ensure_ascii=False, indent=2)
        else:
            continue
        filled.append(FIELD_LABELS.get(key, key))
    return filled


def _proposal_rows(proposal: dict[str, Any]) -> list[tuple[str, str]]:
    """What the assist found, for people: each field, each amount/date/title it read (with the
    words it read them from), and its notes."""

    def shown(value: Any) -> str:
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, default=str)

    rows = [
        (FIELD_LABELS.get(k, k), shown(v))
        for k, v in proposal.get("fields", {}).items()
        if v not in (None, "", [], {})
    ]
    for found in proposal.get("found", []):
        value = found.get("value")
        text = found.get("text", "")
        rows.append((str(found.get("kind", "")), f"{text} → {shown(value)}" if value else text))
    rows += [(_("说明"), str(note)) for note in proposal.get("notes", [])]
    return rows


def _form_page(
    request: HttpRequest, doc: PolicyDocument | None, form: dict[str, Any], **extra: Any
) -> HttpResponse:
    context = {
        "doc": doc,
        "form": form,
        "levels": Level.choices,
        "categories": Category.choices,
        "problems": [],
        **extra,
    }
    status = 400 if context["problems"] else 200
    return render(request, "web/policies/form.html", context, status=status)


def _save(request: HttpRequest, doc: PolicyDocument | None) -> HttpResponse:
    user = request.user
    form, data, problems = _posted(request)
    if "assist" in request.POST:
        proposal = propose(form["full_text"])
        filled = _apply_proposals(form, proposal.get("fields", {}))
        return _form_page(request, doc, form, proposals=_proposal_rows(proposal), filled=filled)
    if not problems:
        try:
            saved = workflow.save_document(user, data, doc)
        except PolicyInvalid as err:
            problems = [p.as_dict() for p in err.problems]
        except OutOfScope:
            raise Http404(_("找不到该政策文件，或它不在您的管辖范围内。")) from None
        except PolicyError as err:
            problems = [{"path": "", "message": str(err)}]
        else:
            messages.success(request, _("已保存政策文件“%(title)s”。") % {"title": saved.title})
            return redirect("web:policy_detail", pk=saved.pk)
    return _form_page(request, doc, form, problems=problems)


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    user = official(request)
    if request.method == "POST":
        return _save(request, None)
    return _form_page(request, None, _initial(None, user))


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = official(request)
    doc = get_object_or_404(PolicyDocument.objects.managed_by(user), pk=pk)
    if request.method == "POST":
        return _save(request, doc)
    return _form_page(request, doc, _initial(doc, user))


# -- review --------------------------------------------------------------------------------


@login_required
@require_POST
def policy_workflow(request: HttpRequest, pk: int) -> HttpResponse:
    user = official(request)
    doc = get_object_or_404(PolicyDocument.objects.managed_by(user), pk=pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("未知的操作。"))
        return redirect("web:policy_detail", pk=doc.pk)
    try:
        done = action(user, doc, request.POST.get("note", "").strip())
    except OutOfScope:
        raise Http404(_("找不到该政策文件，或它不在您的管辖范围内。")) from None
    except (NotAllowed, PolicyError) as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            _("“%(title)s”现为%(status)s。")
            % {"title": done.title, "status": STATUSES.get(done.status, done.status)},
        )
    target = request.POST.get("next", "")
    if target == "review":
        return redirect("web:policy_review")
    return redirect("web:policy_detail", pk=doc.pk)


@login_required
@require_http_methods(["GET"])
def policy_review(request: HttpRequest) -> HttpResponse:
    user = official(request)
    managed = PolicyDocument.objects.managed_by(user).select_related("created_by")
    waiting = list(managed.filter(status=Status.REVIEW).order_by("updated_at", "id")[:200])
    drafts = list(managed.filter(status=Status.DRAFT).order_by("-updated_at", "-id")[:200])
    for doc in waiting + drafts:
        doc.level_label = LEVELS.get(doc.level, doc.level)
        doc.own = doc.created_by_id == user.pk
    return render(request, "web/policies/review.html", {"waiting": waiting, "drafts": drafts})


urlpatterns = [
    path("policies/", policy_list, name="policy_list"),
    path("policies/new/", policy_create, name="policy_create"),
    path("policies/review/", policy_review, name="policy_review"),
    path("policies/<int:pk>/", policy_detail, name="policy_detail"),
    path("policies/<int:pk>/edit/", policy_edit, name="policy_edit"),
    path("policies/<int:pk>/workflow/", policy_workflow, name="policy_workflow"),
]
