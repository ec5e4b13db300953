"""Writing the policy library: drafting, review, publication, expiry.

States: 草稿 draft → 审核中 review → 已发布 published → 已失效 expired / 已撤回 withdrawn.

- ``save_document``: create a draft, or change a draft (content changes only in draft, so
  everything the public sees went through review); items are replaced as a whole list, ``seq``
  being the natural key, so an item keeps its id (and its matches, applications, pushes) while
  its seq stays.
- ``submit`` draft → review; ``approve`` review → published (not by the document's drafter nor
  by whoever submitted it, unless an administrator); ``reject`` review → draft (with a reason);
  ``withdraw`` draft/review/published → withdrawn (with a reason); ``reopen`` published /
  withdrawn / expired → draft, to correct a document (it leaves the public list until approved
  again); ``expire_due`` published with ``expires_on`` before the day → expired.

Scope: only officials whose area contains the document's ``owner_prefix`` (and administrators)
act on it — ``PolicyDocument.objects.managed_by``; anyone else gets ``OutOfScope``, the same
answer as for a document that does not exist. Every change writes a PolicyRevision (the document
in the policy JSON format) and an audit event with old → new values; content changes bump
``version``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from smeladder.accounts import audit
from smeladder.accounts.roles import is_admin, is_official
from smeladder.zh_labels import zh_label

from ..interchange.format import DOCUMENT_FIELDS, ITEM_FIELDS, document_to_data
from ..models import PolicyDocument, PolicyRevision, Status, SupportItem
from .errors import FieldProblem, NotAllowed, OutOfScope, PolicyError, PolicyInvalid

OBJECT_TYPE = "policy_document"


def _status(status: str) -> str:
    """The status's Chinese label: the messages here are Chinese whatever the UI language."""
    return zh_label(Status, status)


def _require_official(user: Any) -> None:
    if not is_official(user):
        raise NotAllowed("只有有管辖区域的工作人员或管理员可以维护政策文件。")


def _managed(user: Any, document: PolicyDocument | int) -> PolicyDocument:
    """The document, locked for the change, if ``user`` maintains it; else OutOfScope."""
    _require_official(user)
    pk = document.pk if isinstance(document, PolicyDocument) else document
    doc = PolicyDocument.objects.managed_by(user).select_for_update().filter(pk=pk).first()
    if doc is None:
        raise OutOfScope("找不到该政策文件，或它不在您的管辖范围内。")
    return doc


def _owner_prefix(user: Any, wanted: str, current: str | None) -> str:
    """The maintaining office: what the data says, else the current one, else the user's area;
    it must lie inside the user's area (admins: anywhere)."""
    prefix = wanted or current or ("" if is_admin(user) else str(user.division_prefix))
    if not is_admin(user) and not prefix.startswith(str(user.division_prefix)):
        raise PolicyInvalid(
            [
                FieldProblem(
                    "owner_prefix",
                    f"维护单位区划 {prefix} 不在您的管辖范围（{user.division_prefix}）内。",
                )
            ]
        )
    return prefix


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """old → new of every document field and item field that changed; items by seq."""
    changes: dict[str, list[Any]] = {}
    for key in DOCUMENT_FIELDS:
        if old.get(key) != new.get(key):
            changes[key] = [old.get(key), new.get(key)]
    before = {i["seq"]: i for i in old.get("items", [])}
    after = {i["seq"]: i for i in new.get("items", [])}
    for seq in sorted(set(before) | set(after)):
        if seq not in after:
            changes[f"items[seq={seq}]"] = [before[seq]["name"], None]
        elif seq not in before:
            changes[f"items[seq={seq}]"] = [None, after[seq]["name"]]
        else:
            for key in ITEM_FIELDS:
                if before[seq].get(key) != after[seq].get(key):
                    changes[f"items[seq={seq}].{key}"] = [before[seq].get(key), after[seq].get(key)]
    return changes


def _revision(doc: PolicyDocument, user: Any, note: str = "") -> PolicyRevision:
    return PolicyRevision.objects.create(
        document=doc,
        version=doc.version,
        status=doc.status,
        snapshot=document_to_data(doc),
        actor=user if getattr(user, "is_authenticated", False) else None,
        note=note[:500],
    )


def _after_change(doc: PolicyDocument, *, was_published: bool) -> None:
    """Keep the search index and the stored matches in step with the library."""
    from smeladder.policies.matching import on_policy_changed
    from smeladder.policies.search import index_document

    index_document(doc)
    if was_published or doc.status == Status.PUBLISHED:
        on_policy_changed(doc)


def _write_items(doc: PolicyDocument, items: list[dict[str, Any]]) -> None:
    existing = {i.seq: i for i in doc.items.all()}
    wanted = {i["seq"] for i in items}
    SupportItem.objects.filter(document=doc).exclude(seq__in=wanted).delete()
    for data in items:
        fields = {k: data[k] for k in ITEM_FIELDS if k != "seq"}
        item = existing.get(data["seq"])
        if item is None:
            SupportItem.objects.create(document=doc, seq=data["seq"], **fields)
        else:
            changed = [k for k, v in fields.items() if getattr(item, k) != v]
            for key in changed:
                setattr(item, key, fields[key])
            if changed:
                item.save(update_fields=changed)


def save_document(
    user: Any, data: dict[str, Any], document: PolicyDocument | None = None, *, note: str = ""
) -> PolicyDocument:
    """Create a draft from policy JSON (format.py), or replace a draft's content with it.

    Raises PolicyInvalid (problems by path) for bad data, OutOfScope for someone else's
    document, PolicyError when the document is not a draft. Nothing is written on error."""
    # imported here: validate.py imports this package's errors (a cycle at import time)
    from ..interchange.validate import validate_document

    _require_official(user)
    clean, problems = validate_document(data)
    if problems:
        raise PolicyInvalid(problems)
    with transaction.atomic():
        doc = _managed(user, document) if document is not None else None
        if doc is not None and doc.status != Status.DRAFT:
            raise PolicyError(
                f"“{_status(doc.status)}”状态的文件不能修改；请先退回草稿（reopen）再修改并重新提交审核。"
            )
        clean["owner_prefix"] = _owner_prefix(
            user, clean["owner_prefix"], doc.owner_prefix if doc else None
        )
        old = document_to_data(doc, read_only=False) if doc else {}
        if doc is None:
            doc = PolicyDocument(created_by=user, status=Status.DRAFT, version=1)
        for key in DOCUMENT_FIELDS:
            setattr(doc, key, clean[key])
        new = {key: _json_value(clean[key]) for key in DOCUMENT_FIELDS}
        new["items"] = sorted(
            ({k: item[k] for k in ITEM_FIELDS} for item in clean["items"]),
            key=lambda i: i["seq"],
        )
        changes = _diff(old, new)
        if doc.pk is not None and not changes:
            return doc  # nothing changed: no revision, no new version
        creating = doc.pk is None
        if not creating:
            doc.version += 1
        doc.save()
        _write_items(doc, clean["items"])
        _revision(doc, user, note or ("新建" if creating else "修改"))
        audit.record(
            "policies.document.create" if creating else "policies.document.update",
            actor=user,
            object_type=OBJECT_TYPE,
            object_id=str(doc.pk),
            changes={"version": [None if creating else doc.version - 1, doc.version], **changes},
        )
        _after_change(doc, was_published=False)
    return doc


def _transition(
    user: Any,
    document: PolicyDocument | int,
    *,
    allowed: tuple[str, ...],
    to: str,
    action: str,
    verb: str,
    note: str = "",
    note_required: bool = False,
    check: Any = None,
) -> PolicyDocument:
    note = (note or "").strip()
    if note_required and not note:
        raise PolicyError(f"{verb}需要填写理由。")
    with transaction.atomic():
        doc = _managed(user, document)
        if doc.status not in allowed:
            can = "、".join(_status(s) for s in allowed)
            raise PolicyError(f"“{_status(doc.status)}”状态的文件不能{verb}（只有{can}状态可以）。")
        if check is not None:
            check(doc)
        was_published = doc.status == Status.PUBLISHED
        old_status = doc.status
        fields = ["status", "updated_at"]
        doc.status = to
        if to == Status.PUBLISHED:
            doc.reviewed_by = user
            doc.published_at = timezone.now()
            fields += ["reviewed_by", "published_at"]
        if action in ("approve", "reject"):
            doc.reviewed_by = user
            doc.review_note = note[:500]
            fields += ["reviewed_by", "review_note"]
        doc.save(update_fields=list(dict.fromkeys(fields)))
        _revision(doc, user, note or verb)
        changes: dict[str, Any] = {"status": [old_status, to]}
        if note:
            changes["note"] = note
        audit.record(
            f"policies.document.{action}",
            actor=user,
            object_type=OBJECT_TYPE,
            object_id=str(doc.pk),
            changes=changes,
        )
        _after_change(doc, was_published=was_published)
    return doc


def submit(user: Any, doc: PolicyDocument | int, note: str = "") -> PolicyDocument:
    """草稿 → 审核中."""
    return _transition(
        user,
        doc,
        allowed=(Status.DRAFT,),
        to=Status.REVIEW,
        action="submit",
        verb="提交审核",
        note=note,
    )


def _submitter_id(doc: PolicyDocument) -> int | None:
    rev = doc.revisions.filter(status=Status.REVIEW).order_by("-id").first()
    return rev.actor_id if rev else None


def approve(user: Any, doc: PolicyDocument | int, note: str = "") -> PolicyDocument:
    """审核中 → 已发布; four eyes: the drafter and the submitter may not approve."""

    def four_eyes(d: PolicyDocument) -> None:
        if is_admin(user):
            return
        if user.pk in (d.created_by_id, _submitter_id(d)):
            raise NotAllowed("不能审核通过自己起草或提交的文件，请由其他工作人员审核。")

    return _transition(
        user,
        doc,
        allowed=(Status.REVIEW,),
        to=Status.PUBLISHED,
        action="approve",
        verb="审核通过",
        note=note,
        check=four_eyes,
    )


def reject(user: Any, doc: PolicyDocument | int, note: str) -> PolicyDocument:
    """审核中 → 草稿, with the reviewer's reason."""
    return _transition(
        user,
        doc,
        allowed=(Status.REVIEW,),
        to=Status.DRAFT,
        action="reject",
        verb="退回",
        note=note,
        note_required=True,
    )


def withdraw(user: Any, doc: PolicyDocument | int, note: str) -> PolicyDocument:
    """草稿/审核中/已发布 → 已撤回, with a reason."""
    return _transition(
        user,
        doc,
        allowed=(Status.DRAFT, Status.REVIEW, Status.PUBLISHED),
        to=Status.WITHDRAWN,
        action="withdraw",
        verb="撤回",
        note=note,
        note_required=True,
    )


def reopen(user: Any, doc: PolicyDocument | int, note: str) -> PolicyDocument:
    """已发布/已撤回/已失效 → 草稿, to correct it; it must be reviewed again."""
    return _transition(
        user,
        doc,
        allowed=(Status.PUBLISHED, Status.WITHDRAWN, Status.EXPIRED),
        to=Status.DRAFT,
        action="reopen",
        verb="退回草稿修改",
        note=note,
        note_required=True,
    )


def expire_due(on: date) -> int:
    """Published documents whose ``expires_on`` lies before ``on`` become expired (the system
    does it, e.g. ``smeladder expire_policies`` each night). Returns how many."""
    count = 0
    due = PolicyDocument.objects.published().filter(expires_on__lt=on).order_by("pk")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            doc = (
                PolicyDocument.objects.select_for_update()
                .filter(pk=pk, status=Status.PUBLISHED, expires_on__lt=on)
                .first()
            )
            if doc is None:
                continue  # changed meanwhile
            doc.status = Status.EXPIRED
            doc.save(update_fields=["status", "updated_at"])
            _revision(doc, None, f"{doc.expires_on} 到期自动失效")
            audit.record(
                "policies.document.expire",
                actor="system",
                object_type=OBJECT_TYPE,
                object_id=str(doc.pk),
                changes={"status": [Status.PUBLISHED, Status.EXPIRED], "on": on.isoformat()},
            )
            _after_change(doc, was_published=True)
            count += 1
    return count
