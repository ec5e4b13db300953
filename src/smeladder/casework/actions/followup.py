"""After resolution: the firm's rating (an unsatisfied one reopens or escalates the case by the
rule for its category), 回访 calls, and followers."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from smeladder.accounts.models import User
from smeladder.zh_labels import zh_label

from .. import rules
from ..models import (
    Case,
    Follower,
    FollowUpCall,
    Rating,
    Satisfaction,
    State,
    UnsatisfiedRule,
    next_level,
)
from ..permissions import is_handler, is_requester
from .common import actor_fields, locked_case, log_event, now
from .errors import IllegalTransition, InvalidInput, NotAllowed
from .escalation import escalate_locked
from .transitions import apply_transition, reopen_locked


def _rated_since_resolution(case: Case) -> bool:
    kinds = list(case.events.filter(kind__in=("resolve", "rate")).values_list("kind", flat=True))
    return bool(kinds) and kinds[-1] == "rate"


def rate(case: Case | int, actor: Any, satisfaction: str, comment: str = "") -> Rating:
    """The firm rates the result (an official may record a rating given on the phone).

    满意 / 基本满意 on a resolved case also closes it (the firm has confirmed). 不满意 reopens
    the case, and escalates it one rung when the category's rule says so."""
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(f"未知的评价「{satisfaction}」，应为 满意、基本满意 或 不满意")
    comment = (comment or "").strip()
    if satisfaction == Satisfaction.UNSATISFIED and not comment:
        raise InvalidInput("评价为不满意时请填写意见，便于重新办理")
    with transaction.atomic():
        locked = locked_case(case, actor)
        if not (is_requester(actor, locked) or is_handler(actor, locked)):
            raise NotAllowed(f"只有提出诉求的企业或承办人员可以评价诉求 #{locked.pk}")
        if locked.state not in (State.RESOLVED, State.CLOSED):
            raise IllegalTransition(
                f"诉求 #{locked.pk} 当前状态为「{zh_label(State, locked.state)}」，办结后才能评价"
            )
        if _rated_since_resolution(locked):
            raise IllegalTransition(f"诉求 #{locked.pk} 本次办结已评价过")
        at = now()
        user, _label = actor_fields(actor)
        rating = Rating.objects.create(
            case=locked, satisfaction=satisfaction, comment=comment, rated_by=user, rated_at=at
        )
        label = zh_label(Satisfaction, satisfaction)  # stored notes stay Chinese
        log_event(
            locked,
            "rate",
            actor,
            at=at,
            from_state=locked.state,
            to_state=locked.state,
            note=f"评价：{label}" + (f"；{comment}" if comment else ""),
            data={"satisfaction": satisfaction, "rating": rating.pk},
        )
        if satisfaction != Satisfaction.UNSATISFIED:
            if locked.state == State.RESOLVED:
                apply_transition(locked, "confirm", actor, at=at, note=f"企业评价{label}，确认办结")
            return rating
        outcome = rules.unsatisfied_outcome(locked.category)
        reopen_locked(locked, actor, note=f"企业评价不满意：{comment}", at=at)
        if outcome == UnsatisfiedRule.Outcome.ESCALATE and next_level(locked.level):
            escalate_locked(locked, actor, "企业评价不满意，按规则升级办理", at)
    return rating


def log_follow_up(case: Case | int, actor: Any, summary: str, contact: str = "") -> FollowUpCall:
    """回访: a handler calls the firm and writes down what it said."""
    summary = (summary or "").strip()
    if not summary:
        raise InvalidInput("请填写回访情况")
    with transaction.atomic():
        locked = locked_case(case, actor)
        if not is_handler(actor, locked):
            raise NotAllowed(f"只有承办部门或辖区工作人员可以登记回访（诉求 #{locked.pk}）")
        at = now()
        call = FollowUpCall.objects.create(
            case=locked,
            called_by=actor_fields(actor)[0],
            called_at=at,
            contact=contact.strip(),
            summary=summary,
        )
        log_event(
            locked,
            "follow_up",
            actor,
            at=at,
            from_state=locked.state,
            to_state=locked.state,
            note=summary,
            data={"call": call.pk},
        )
    return call


def add_follower(case: Case | int, actor: Any, user: User | None = None) -> Follower:
    """Follow a case (yourself), or — for a handler — add someone else who may see it."""
    target = user or actor
    if not isinstance(target, User):
        raise InvalidInput("请指定关注人")
    with transaction.atomic():
        locked = locked_case(case, actor)
        if target != actor and not is_handler(actor, locked):
            raise NotAllowed("只有承办人员可以为他人添加关注")
        if not Case.objects.for_user(target).filter(pk=locked.pk).exists():
            raise InvalidInput(f"用户 {target.get_username()} 无权查看诉求 #{locked.pk}，不能关注")
        follower, created = Follower.objects.get_or_create(
            case=locked, user=target, defaults={"added_at": now()}
        )
        if created:
            log_event(
                locked,
                "follow",
                actor,
                at=follower.added_at,
                from_state=locked.state,
                to_state=locked.state,
                note=f"{target.get_username()} 关注了此诉求",
                data={"user": target.pk},
                notify=False,  # nobody needs a message saying someone follows
            )
    return follower
