"""Filing a case (by the firm, or by an official on its behalf) and adding attachments."""

from __future__ import annotations

from typing import IO, Any

from django.core.files import File
from django.db import transaction

from smeladder.accounts.models import Role
from smeladder.accounts.roles import in_scope
from smeladder.registry.models import Enterprise

from .. import attachments, rules
from ..models import Attachment, Case, Category, Channel, Level, State, Urgency
from ..permissions import is_handler, is_requester, is_system
from .common import actor_fields, locked_case, log_event, now
from .errors import InvalidInput, NotAllowed, OutOfScope

#: channels a firm files through itself; the others are an official writing down what it said
SELF_SERVICE = (Channel.WEB, Channel.API)


def _check_choice(value: str, choices: Any, what: str) -> None:
    if value not in choices.values:
        raise InvalidInput(f"未知的{what}「{value}」")


def file_case(
    actor: Any,
    enterprise: Enterprise | int,
    *,
    category: str,
    description: str,
    urgency: str = Urgency.NORMAL,
    channel: str | None = None,
    files: list[tuple[str, IO[bytes]]] | None = None,
) -> Case:
    """A new case, routed to its department by the rules and with its deadline clock started.

    The firm's own user files through the web or the API; an official of the firm's area files
    on its behalf (phone, visit, hotline — any channel). `files` are (name, content) pairs,
    checked like `add_attachment`; one bad file refuses the whole case."""
    firm_id = enterprise.pk if isinstance(enterprise, Enterprise) else enterprise
    firm = Enterprise.objects.filter(pk=firm_id).first()
    if firm is None:
        raise OutOfScope(f"企业 #{firm_id} 不存在或不在您的管辖范围内")
    user, _label = actor_fields(actor)
    if user is None:
        if not is_system(actor):
            raise NotAllowed("诉求须由企业用户或工作人员提交")
        channel = channel or Channel.HOTLINE  # e.g. an import of 12345 hotline tickets
    elif user.role == Role.ENTERPRISE:
        if user.enterprise_id != firm.pk:
            raise OutOfScope(f"企业 #{firm_id} 不存在或不在您的管辖范围内")
        channel = channel or Channel.WEB
        if channel not in SELF_SERVICE:
            raise InvalidInput("企业自行提交的诉求渠道只能是网页或接口")
    elif in_scope(user, firm.division_code):
        channel = channel or Channel.PHONE
    else:
        raise OutOfScope(f"企业 #{firm_id} 不存在或不在您的管辖范围内")
    _check_choice(category, Category, "诉求类别")
    _check_choice(urgency, Urgency, "紧急程度")
    _check_choice(channel, Channel, "来源渠道")
    description = (description or "").strip()
    if not description:
        raise InvalidInput("请填写诉求内容")
    files = files or []
    for name, content in files:
        try:
            attachments.check(name, content)
        except attachments.BadAttachment as err:
            raise InvalidInput(f"附件「{attachments.clean_name(name)}」：{err}") from None

    days = rules.deadline_days(category, urgency, Level.SELF)
    department = rules.route(category, firm.division_code)
    at = now()
    with transaction.atomic():
        case = Case.objects.create(
            enterprise=firm,
            category=category,
            description=description,
            urgency=urgency,
            channel=channel,
            filed_by=user,
            department=department,
            level=Level.SELF,
            state=State.SUBMITTED,
            filed_at=at,
            updated_at=at,
        )
        for name, content in files:
            _store(case, user, name, content, at)
        log_event(
            case,
            "filed",
            actor,
            at=at,
            to_state=State.SUBMITTED,
            note="" if department else "无匹配的分办规则，待工作人员指派",
            data={
                "deadline_days": days,
                "department": department.pk if department else None,
                "channel": channel,
                "attachments": len(files),
            },
        )
    return case


def _store(case: Case, user: Any, name: str, content: IO[bytes], at: Any) -> Attachment:
    kind = attachments.check(name, content)
    content.seek(0, 2)
    size = content.tell()
    content.seek(0)
    row = Attachment(
        case=case,
        original_name=attachments.clean_name(name),
        content_type=kind,
        size=size,
        uploaded_by=user,
        uploaded_at=at,
    )
    # the extension is the checked kind's, whatever the uploader called the file
    row.file.save(f"upload.{kind}", File(content), save=False)
    row.save()
    return row


def add_attachment(case: Case | int, actor: Any, name: str, content: IO[bytes]) -> Attachment:
    """An attachment added to an existing case by its firm or a handler."""
    try:
        attachments.check(name, content)
    except attachments.BadAttachment as err:
        raise InvalidInput(str(err)) from None
    with transaction.atomic():
        locked = locked_case(case, actor)
        if not (is_requester(actor, locked) or is_handler(actor, locked)):
            raise NotAllowed("只有提出诉求的企业或承办人员可以上传附件")
        at = now()
        row = _store(locked, actor_fields(actor)[0], name, content, at)
        log_event(
            locked,
            "attachment",
            actor,
            at=at,
            from_state=locked.state,
            to_state=locked.state,
            note=f"上传附件「{row.original_name}」",
            data={"attachment": row.pk},
        )
    return row
