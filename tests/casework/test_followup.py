"""Rating, 回访 and followers; an unsatisfied rating reopens or escalates by the rule."""

from __future__ import annotations

import pytest

from smeladder.casework import actions
from smeladder.casework.models import (
    CaseMessage,
    FollowUpCall,
    Rating,
    State,
    UnsatisfiedRule,
)

from .helpers import case_in


def test_a_satisfied_rating_closes_a_resolved_case(world, clock):
    case = case_in(world, State.RESOLVED)
    rating = actions.rate(case, world.firm, "satisfied", "很及时")
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert (rating.satisfaction, rating.rated_by) == ("satisfied", world.firm)
    assert [e.kind for e in case.events.all()][-2:] == ["rate", "confirm"]


def test_a_closed_case_can_still_be_rated_once(world, clock):
    case = case_in(world, State.CLOSED)
    actions.rate(case, world.firm, "fairly")
    case.refresh_from_db()
    assert case.state == State.CLOSED
    with pytest.raises(actions.IllegalTransition) as err:
        actions.rate(case, world.firm, "satisfied")
    assert "已评价" in err.value.message


def test_an_open_case_cannot_be_rated(world, clock):
    case = case_in(world, State.IN_PROGRESS)
    with pytest.raises(actions.IllegalTransition):
        actions.rate(case, world.firm, "satisfied")
    assert not Rating.objects.exists()


def test_unsatisfied_needs_a_comment_and_reopens_by_default(world, clock):
    case = case_in(world, State.RESOLVED)
    with pytest.raises(actions.InvalidInput):
        actions.rate(case, world.firm, "unsatisfied")
    actions.rate(case, world.firm, "unsatisfied", "问题没有解决")
    case.refresh_from_db()
    assert (case.state, case.level) == (State.REOPENED, "self")
    reopen = case.events.filter(kind="reopen").last()
    assert reopen.data["deadline_days"] == 5
    assert "问题没有解决" in reopen.note
    # the department is told it has the case back
    assert CaseMessage.objects.filter(event=reopen, recipient=world.hr_staff).exists()
    # after the next resolution it may be rated again
    actions.start(case, world.hr_staff)
    actions.resolve(case, world.hr_staff)
    actions.rate(case, world.firm, "fairly")


def test_unsatisfied_escalates_when_the_rule_says_so(world, clock):
    UnsatisfiedRule.objects.create(category="talent", outcome="escalate")
    case = case_in(world, State.CLOSED)
    actions.rate(case, world.firm, "unsatisfied", "仍招不到人")
    case.refresh_from_db()
    assert (case.state, case.level) == (State.REOPENED, "special")
    assert [e.kind for e in case.events.all()][-3:] == ["rate", "reopen", "escalate"]


def test_unknown_rating(world, clock):
    case = case_in(world, State.RESOLVED)
    with pytest.raises(actions.InvalidInput):
        actions.rate(case, world.firm, "great")


def test_follow_up_calls_by_handlers(world, clock):
    case = case_in(world, State.CLOSED)
    call = actions.log_follow_up(case, world.zhangdian, "企业表示已招到 3 名技工", "王经理")
    assert FollowUpCall.objects.get() == call
    assert case.events.last().kind == "follow_up"
    with pytest.raises(actions.NotAllowed):
        actions.log_follow_up(case, world.firm, "自己回访自己")
    with pytest.raises(actions.InvalidInput):
        actions.log_follow_up(case, world.zhangdian, " ")


def test_followers_are_told_of_every_change(world, clock):
    case = case_in(world, State.SUBMITTED)
    actions.add_follower(case, world.city)
    actions.add_follower(case, world.city)  # twice is once
    assert case.followers.count() == 1
    actions.accept(case, world.hr_staff)
    actions.start(case, world.hr_staff)
    kinds = list(
        CaseMessage.objects.filter(recipient=world.city).values_list("event__kind", flat=True)
    )
    assert sorted(kinds) == ["accept", "start"]
    # the actor is not told of their own action; the firm is, over each configured channel
    assert not CaseMessage.objects.filter(recipient=world.hr_staff, event__kind="start").exists()
    message = CaseMessage.objects.get(recipient=world.firm, event__kind="start")
    assert message.title.startswith(f"诉求 #{case.pk}")
    assert [d.channel for d in message.deliveries.all()] == ["inbox"]


def test_a_follower_must_be_able_to_see_the_case(world, clock):
    case = case_in(world, State.SUBMITTED)
    with pytest.raises(actions.InvalidInput):
        actions.add_follower(case, world.zhangdian, world.boshan)
    with pytest.raises(actions.NotAllowed):
        actions.add_follower(case, world.firm, world.zhangdian)  # the firm adds only itself
    actions.add_follower(case, world.zhangdian, world.city)


def test_email_and_sms_channels(world, clock, settings, mailoutbox=None):
    from django.core import mail

    settings.SMELADDER_PUSH_CHANNELS = ["inbox", "email", "sms"]
    settings.SMELADDER_PUSH_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    case = case_in(world, State.SUBMITTED)
    actions.accept(case, world.hr_staff)
    message = CaseMessage.objects.get(recipient=world.firm, event__kind="accept")
    states = {d.channel: d.state for d in message.deliveries.all()}
    assert states == {"inbox": "sent", "email": "sent", "sms": "sent"}
    assert any(m.to == ["firm@example.cn"] for m in mail.outbox)
