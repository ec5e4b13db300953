"""The scheduled job (command and task): overdue cases escalate with a 督办 notice, resolved cases
left unconfirmed for 5 working days close, a second run does nothing, paused cases wait."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from smeladder.casework import actions
from smeladder.casework.models import Case, CaseMessage, Level, State, SupervisionNotice
from smeladder.casework.tasks import escalate_cases_job

from .helpers import case_in, file

D = dt.date


def test_a_waiting_case_is_not_escalated(world, clock):
    clock.set("2026-09-29")
    case = case_in(world, State.WAITING)
    clock.set("2026-11-02")
    assert actions.run_escalation().escalated == 0
    case.refresh_from_db()
    assert case.level == Level.SELF


def test_a_case_climbs_one_rung_per_missed_deadline(world, clock):
    clock.set("2026-09-01")
    # due 9-08; 专办 5 days → 9-16; 工作专班 3 → 9-21 (9-20 is a make-up Sunday);
    # 领导小组 3 → 9-28 (9-25, a Friday, is the Mid-Autumn holiday)
    case = file(world)
    clock.set("2026-09-09")
    actions.run_escalation()
    clock.set("2026-09-17")
    actions.run_escalation()
    clock.set("2026-09-22")
    actions.run_escalation()
    case.refresh_from_db()
    assert case.level == Level.LEADING_GROUP
    assert case.department == world.task_force  # the 工作专班 owners took it over
    clock.set("2026-09-28")
    assert actions.run_escalation().notices == 0  # the due day itself
    clock.set("2026-09-29")  # overdue at the top: a notice, no further rung
    summary = actions.run_escalation()
    assert (summary.escalated, summary.notices) == (0, 1)
    # at the top there is no escalation message: the notice itself is sent
    assert CaseMessage.objects.filter(case=case, event__kind="supervise").count() >= 1
    assert SupervisionNotice.objects.filter(case=case).count() == 4
    assert actions.run_escalation().notices == 0


def test_resolved_cases_close_after_five_working_days(world, clock):
    clock.set("2026-09-29")
    case = case_in(world, State.RESOLVED)  # resolved 9-29
    clock.set("2026-10-09")  # 9-30, 10-8, 10-9: three working days
    assert actions.run_escalation().auto_closed == 0
    clock.set("2026-10-12")  # 10-10 (make-up Saturday) and 10-12: five
    assert actions.run_escalation().auto_closed == 1
    case.refresh_from_db()
    assert case.state == State.CLOSED
    event = case.events.last()
    assert (event.kind, event.actor_label) == ("auto_close", "escalate_cases")
    assert CaseMessage.objects.filter(event=event, recipient=world.firm).exists()
    assert actions.run_escalation().auto_closed == 0


def test_the_command_and_the_task(world, clock):
    clock.set("2026-09-01")
    file(world)
    file(world, category="approval")
    with pytest.raises(CommandError) as err:
        call_command("escalate_cases", "--on", "2026-09-09")  # later than today (9-01)
    assert "未来日期" in str(err.value)
    clock.set("2026-09-09")
    out = StringIO()
    call_command("escalate_cases", stdout=out)
    assert "升级 2 件" in out.getvalue()
    assert Case.objects.filter(level=Level.SPECIAL).count() == 2
    result = escalate_cases_job.enqueue("2026-09-09").return_value
    assert result["escalated"] == 0  # idempotent


def test_a_deadline_beyond_the_calendar_is_reported_not_guessed(world, clock):
    clock.set("2026-12-28")
    case = file(world)  # due in 2027, which the pinned calendar does not know
    clock.set("2026-12-31")
    summary = actions.run_escalation()
    assert case.pk in summary.not_computable
    assert "2027" in summary.not_computable[case.pk]
    assert summary.escalated == 0


def _escalate_counting_queries(world, clock, n: int) -> tuple[int, list[str]]:
    """File `n` cases on 9-01, run the job on 9-09 (all overdue): the queries it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock.set("2026-09-01")
    for _ in range(n):
        file(world)
    clock.set("2026-09-09")
    with CaptureQueriesContext(connection) as ctx:
        assert actions.run_escalation().escalated == n
    Case.objects.all().delete()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_the_job_costs_a_fixed_number_of_queries_per_chunk(world, clock):
    """Pinned like Saleor's benchmarks: 10 and 40 overdue cases (one chunk) cost the same
    queries, so a change that adds a query per case shows up here (the job escalates thousands
    of cases on a bad day; see bench/bench_casework.py)."""
    ten, sql = _escalate_counting_queries(world, clock, 10)
    forty, _ = _escalate_counting_queries(world, clock, 40)
    assert ten == forty, sql
    # scan (cases, events); lock, cases, events, notices; rule reads (days and owner, once a
    # run); inserts of notices, events, audit; one UPDATE per (level, department); recipients
    # (firm users, followers, members, filers, users); messages, deliveries
    assert ten <= 21, sql


def test_chunks_cost_the_same_each(world, clock, monkeypatch):
    from smeladder.casework.actions import escalation

    one_chunk, _ = _escalate_counting_queries(world, clock, 12)
    monkeypatch.setattr(escalation, "CHUNK", 4)
    three_chunks, _ = _escalate_counting_queries(world, clock, 12)
    # the run's own reads (scan, rules) once; the chunk's queries three times
    per_chunk = (three_chunks - one_chunk) / 2
    assert per_chunk == int(per_chunk) and 10 <= per_chunk <= 17


def test_the_batched_recipients_are_those_of_one_event_at_a_time(world, clock):
    """The job asks for the recipients of a whole chunk at once; they must be the people (and
    order) `recipients` gives for one event: firm users, followers, the filer, the members of
    the department on the events that hand it the case; never an inactive user or the actor."""
    from smeladder.accounts.models import Role, User
    from smeladder.casework.models import CaseEvent
    from smeladder.casework.notifications import recipients, recipients_of_many

    clock.set("2026-09-01")
    talent = file(world)  # 张店人社局: hr_staff
    by_official = actions.file_case(  # the filer is an official
        world.zhangdian, world.zd, category="approval", description="审批", channel="phone"
    )
    financing = file(world, firm_user=world.bs_firm, category="financing")
    actions.add_follower(talent, world.city)
    actions.add_follower(by_official, world.zhangdian, world.city)
    User.objects.create_user("gone", password="pw", role=Role.ENTERPRISE, enterprise=world.zd)
    User.objects.filter(username="gone").update(is_active=False)
    world.zd_dev.members.add(User.objects.create_user("gone_too", password="pw", is_active=False))
    actions.accept(financing, world.finance_staff)  # an event whose actor must be left out
    pairs = [
        (case, event)
        for case in Case.objects.select_related("enterprise", "department")
        for event in CaseEvent.objects.filter(case=case)
    ]
    kinds = {event.kind for _case, event in pairs}
    assert {"filed", "accept", "follow"} <= kinds  # handed over, not handed over, both
    one_by_one = [recipients(case, event) for case, event in pairs]
    assert recipients_of_many(pairs) == one_by_one
    assert any(world.city in people for people in one_by_one)  # followers are in
    for (_case, event), people in zip(pairs, one_by_one, strict=True):
        if event.actor_id:
            assert event.actor not in people
    names = {u.username for people in one_by_one for u in people}
    assert "gone" not in names and "gone_too" not in names


def test_a_crash_mid_run_keeps_whole_chunks_and_the_next_run_finishes(world, clock, monkeypatch):
    from smeladder.casework.actions import escalation

    clock.set("2026-09-01")
    cases = [file(world) for _ in range(6)]
    clock.set("2026-09-09")
    monkeypatch.setattr(escalation, "CHUNK", 4)
    calls = []

    def notify_then_crash(pairs):
        calls.append(len(pairs))
        if len(calls) == 2:
            raise RuntimeError("mail server gone")
        return real(pairs)

    real = escalation.notify_many
    monkeypatch.setattr(escalation, "notify_many", notify_then_crash)
    with pytest.raises(RuntimeError):
        actions.run_escalation()
    levels = list(Case.objects.order_by("pk").values_list("level", flat=True))
    assert levels == [Level.SPECIAL] * 4 + [Level.SELF] * 2  # the second chunk rolled back
    assert SupervisionNotice.objects.count() == 4
    job_messages = CaseMessage.objects.filter(event__actor_label="escalate_cases")
    assert not job_messages.filter(case__in=cases[4:]).exists()
    monkeypatch.setattr(escalation, "notify_many", real)
    summary = actions.run_escalation()
    assert (summary.escalated, summary.notices) == (2, 2)
    assert set(Case.objects.values_list("level", flat=True)) == {Level.SPECIAL}
    assert SupervisionNotice.objects.count() == 6
    per_case = [job_messages.filter(case=case).count() for case in cases]
    assert per_case == [per_case[0]] * 6 and per_case[0] >= 2  # the firm and the department


def test_a_deadline_in_an_entered_year_is_computed_and_escalated(world, clock, tmp_path):
    """Once the next year's notice is entered, the December case that reached it escalates
    like any other (made-up years: the real arrangement is known when it is published)."""
    import json

    from smeladder.casework.calendar import forget_supplement

    from .test_calendar import made_up

    path = tmp_path / "holidays.json"
    path.write_text(json.dumps([made_up(2098), made_up(2099)], ensure_ascii=False), "utf-8")
    forget_supplement()
    try:
        call_command("load_holidays", str(path), stdout=StringIO())
        clock.set(
            "2098-12-30"
        )  # Tuesday; 5 days: 12-31, (1-1..1-3 off, Sun 1-4) 1-5, 1-6, 1-7, 1-8
        case = file(world)
        clock.set("2099-01-08")
        assert actions.run_escalation().escalated == 0  # the due day itself
        clock.set("2099-01-09")
        summary = actions.run_escalation()
        assert (summary.escalated, summary.not_computable) == (1, {})
        notice = SupervisionNotice.objects.get(case=case)
        assert notice.due_on == D(2099, 1, 8)
    finally:
        forget_supplement()


def test_the_job_writes_what_the_one_case_actions_write(world, clock):
    """The chunked job against the per-case path it replaced (log_event + escalate_locked under
    the case's lock): the same events, audit records and messages for twin cases."""
    from django.db import transaction

    from smeladder.accounts.models import AuditEvent
    from smeladder.casework.actions.common import locked_case, log_event
    from smeladder.casework.actions.escalation import JOB, _notice_text, escalate_locked
    from smeladder.casework.deadlines import deadline_of
    from smeladder.casework.models import CaseEvent

    clock.set("2026-09-01")
    by_job, by_hand = file(world), file(world)
    actions.add_follower(by_job, world.city)
    actions.add_follower(by_hand, world.city)
    clock.set("2026-09-09")
    with transaction.atomic():
        case = locked_case(by_hand.pk, JOB)
        due = deadline_of(case).due_on
        at = clock.now
        text = _notice_text(case, due, Level.SPECIAL)
        SupervisionNotice.objects.create(
            case=case,
            level=Level.SELF,
            due_on=due,
            escalated_to=Level.SPECIAL,
            issued_at=at,
            text=text,
        )
        data = {"level": Level.SELF, "due_on": due.isoformat()}
        log_event(
            case,
            "supervise",
            JOB,
            at=at,
            from_state=case.state,
            to_state=case.state,
            note=text,
            data=data,
            notify=False,
        )
        escalate_locked(case, JOB, text, at)
    assert actions.run_escalation().escalated == 1  # by_job only: by_hand has a fresh deadline

    def written(case: Case) -> dict:
        events = CaseEvent.objects.filter(case=case, actor_label=JOB).order_by("id")
        audit = AuditEvent.objects.filter(object_id=str(case.pk), actor_label=JOB).order_by("id")
        messages = CaseMessage.objects.filter(event__in=events).order_by("recipient_id")
        return {
            "events": [
                (e.kind, e.actor_id, e.from_state, e.to_state, e.note, e.data, e.at) for e in events
            ],
            "audit": [
                (a.action, {k: v for k, v in a.changes.items() if k != "event"}) for a in audit
            ],
            "messages": [
                (m.recipient_id, m.event.kind, m.title, m.body, m.created_at) for m in messages
            ],
            "case": Case.objects.filter(pk=case.pk).values("level", "department", "state").get(),
            "notice": SupervisionNotice.objects.filter(case=case)
            .values("level", "escalated_to", "due_on", "issued_at")
            .get(),
        }

    job, hand = written(by_job), written(by_hand)
    for key in ("events", "audit", "messages", "case", "notice"):
        expected = hand[key]
        if key in ("events", "audit", "messages"):  # the texts name the case
            expected = repr(expected).replace(f"#{by_hand.pk}", f"#{by_job.pk}")
            assert repr(job[key]) == expected, key
        else:
            assert job[key] == expected, key
    assert len(job["messages"]) >= 3  # firm, department, follower


def test_the_job_mails_a_chunk_over_one_connection(world, clock, settings, monkeypatch):
    from django.core import mail
    from django.core.mail.backends.locmem import EmailBackend

    from smeladder.casework.models import CaseDelivery

    settings.SMELADDER_PUSH_CHANNELS = ["inbox", "email"]
    settings.SMELADDER_PUSH_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    opened = []
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(self) or True)
    clock.set("2026-09-01")
    cases = [file(world) for _ in range(3)]
    opened.clear()
    mail.outbox.clear()
    clock.set("2026-09-09")
    assert actions.run_escalation().escalated == 3
    assert len(opened) == 1  # one connection for the chunk
    # the firm's user has an address, the department's member none
    assert sorted(m.to[0] for m in mail.outbox) == ["firm@example.cn"] * 3
    job = CaseDelivery.objects.filter(message__case__in=cases, message__event__kind="escalate")
    email = job.filter(channel="email")
    assert sorted(email.values_list("state", flat=True)) == ["sent"] * 3 + ["skipped"] * 3
    assert job.filter(channel="inbox").count() == 6


def test_auto_closing_writes_what_the_transition_writes(world, clock):
    """Closing in bulk against apply_transition("auto_close") for a twin case."""
    from django.db import transaction

    from smeladder.accounts.models import AuditEvent
    from smeladder.casework.actions.common import locked_case
    from smeladder.casework.actions.escalation import JOB
    from smeladder.casework.actions.transitions import apply_transition
    from smeladder.casework.models import CaseEvent

    clock.set("2026-09-29")
    by_job, by_hand = case_in(world, State.RESOLVED), case_in(world, State.RESOLVED)
    clock.set("2026-10-12")
    with transaction.atomic():
        apply_transition(
            locked_case(by_hand.pk, JOB),
            "auto_close",
            JOB,
            note="办结后 5 个工作日内企业未确认，自动关闭",
        )
    assert actions.run_escalation().auto_closed == 1  # by_hand is closed already

    def written(case: Case) -> str:
        event = CaseEvent.objects.get(case=case, kind="auto_close")
        audit = AuditEvent.objects.get(object_id=str(case.pk), action="casework.auto_close")
        messages = CaseMessage.objects.filter(event=event).order_by("recipient_id")
        found = (
            (event.actor_label, event.from_state, event.to_state, event.note, event.data, event.at),
            {k: v for k, v in audit.changes.items() if k != "event"},
            [(m.recipient_id, m.title, m.body) for m in messages],
            Case.objects.filter(pk=case.pk).values("state", "updated_at").get(),
        )
        return repr(found).replace(f"#{case.pk}", "#N")

    assert written(by_job) == written(by_hand)
    assert CaseMessage.objects.filter(case=by_job, event__kind="auto_close").exists()
