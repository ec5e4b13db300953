"""Tracking: who may mark an item applied, record a grant, set mutes; audit; the totals by
district, category and title (in a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.policies.actions.tracking import (
    NotAllowed,
    OutOfScope,
    TrackingError,
    mark_applied,
    record_grant,
    set_mutes,
)
from smeladder.policies.models import Application, CategoryMute, Notification, Status
from smeladder.policies.totals import by_category, by_district, by_title, overall, totals

from .library_fixtures import build_library

ON = dt.date(2026, 6, 2)


@pytest.fixture
def lib(db) -> dict[str, Any]:
    return build_library()


@pytest.fixture
def people(lib, make_user) -> dict[str, Any]:
    return {
        "city": make_user("t_city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "zd_off": make_user("t_zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "bs_off": make_user("t_bs", Role.DISTRICT_OFFICIAL, division_prefix="370304"),
        "jia": make_user("t_jia", Role.ENTERPRISE, enterprise=lib["zd"]),
        "bing": make_user("t_bing", Role.ENTERPRISE, enterprise=lib["bs"]),
        "bank": make_user("t_bank", Role.PARTNER),
        "nowhere": make_user("t_none", Role.DISTRICT_OFFICIAL, division_prefix=""),
    }


def test_a_firm_marks_its_own_item_applied_once(lib, people):
    app = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON, note="已线上提交")
    assert (app.status, app.applied_on, app.applied_by) == ("applied", ON, people["jia"])
    again = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON + dt.timedelta(days=3))
    assert again.pk == app.pk and again.applied_on == ON
    events = AuditEvent.objects.filter(action="policies.application.applied")
    assert events.count() == 1
    assert events.get().changes["enterprise"] == lib["zd"].uscc


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("jia", True),
        ("zd_off", True),
        ("city", True),
        ("bing", False),  # another firm's user
        ("bs_off", False),  # another district's official
        ("bank", False),
        ("nowhere", False),  # an official without an area
    ],
)
def test_who_may_mark_a_zhangdian_firm_applied(lib, people, who, allowed):
    if allowed:
        assert mark_applied(people[who], lib["giant"], lib["zd"], on=ON).pk
    else:
        with pytest.raises(OutOfScope):
            mark_applied(people[who], lib["giant"], lib["zd"], on=ON)
        assert not Application.objects.exists()
        assert not AuditEvent.objects.filter(action__startswith="policies.").exists()


def test_an_unpublished_item_cannot_be_marked(lib, people):
    with pytest.raises(TrackingError, match="未发布"):
        mark_applied(people["bing"], lib["draft_item"], lib["bs"], on=ON)
    lib["doc"].status = Status.WITHDRAWN
    lib["doc"].save()
    with pytest.raises(TrackingError):
        mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON)


def test_an_official_records_a_grant_and_the_firm_hears_of_it(lib, people):
    app = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON)
    done = record_grant(people["zd_off"], app, "1,000,000", ON + dt.timedelta(days=20))
    assert done.status == "granted" and done.granted_amount == Decimal("1000000.00")
    assert done.decided_by == people["zd_off"]
    event = AuditEvent.objects.get(action="policies.application.decided")
    assert event.changes["status"] == ["applied", "granted"]
    assert event.changes["granted_amount"] == [None, "1000000.00"]
    note = Notification.objects.get(enterprise=lib["zd"], kind="granted")
    assert "100.00 万元" in note.body and "2026-06-22" in note.body
    # a correction to 0: not supported, and no second notice
    record_grant(people["city"], done, 0, ON + dt.timedelta(days=21))
    done.refresh_from_db()
    assert done.status == "refused" and done.granted_amount == 0
    assert Notification.objects.filter(kind="granted").count() == 1


@pytest.mark.parametrize("amount", ["-1", "abc", "1e13", "NaN", ""])
def test_bad_amounts_are_refused(lib, people, amount):
    app = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON)
    with pytest.raises(TrackingError):
        record_grant(people["zd_off"], app, amount, ON)
    app.refresh_from_db()
    assert app.status == "applied" and app.granted_amount is None


def test_the_largest_amount_is_kept_exactly(lib, people):
    app = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON)
    record_grant(people["zd_off"], app, "9999999999999.99", ON)
    app.refresh_from_db()
    assert app.granted_amount == Decimal("9999999999999.99")


def test_who_may_record_a_grant(lib, people):
    app = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON)
    with pytest.raises(NotAllowed):
        record_grant(people["jia"], app, 100, ON)  # the firm itself
    for who in ("bing", "bs_off", "bank"):
        with pytest.raises(OutOfScope):
            record_grant(people[who], app, 100, ON)
    app.refresh_from_db()
    assert app.status == "applied"
    assert not AuditEvent.objects.filter(action="policies.application.decided").exists()


def test_mutes_are_replaced_audited_and_checked(lib, people):
    assert set_mutes(people["jia"], lib["zd"], ["tax", "funding", "tax"]) == ["funding", "tax"]
    assert set_mutes(people["zd_off"], lib["zd"], ["talent"]) == ["talent"]
    assert list(CategoryMute.objects.values_list("category", flat=True)) == ["talent"]
    events = AuditEvent.objects.filter(action="policies.mutes.set").order_by("pk")
    assert [e.changes["muted_categories"] for e in events] == [
        [[], ["funding", "tax"]],
        [["funding", "tax"], ["talent"]],
    ]
    set_mutes(people["jia"], lib["zd"], ["talent"])  # no change, no event
    assert events.count() == 2
    with pytest.raises(TrackingError, match="weather"):
        set_mutes(people["jia"], lib["zd"], ["weather"])
    with pytest.raises(OutOfScope):
        set_mutes(people["bing"], lib["zd"], [])
    assert list(CategoryMute.objects.values_list("category", flat=True)) == ["talent"]


@pytest.fixture
def tracked(lib, people) -> dict[str, Any]:
    a = mark_applied(people["jia"], lib["giant"], lib["zd"], on=ON)
    b = mark_applied(people["bing"], lib["giant"], lib["bs"], on=ON)
    mark_applied(people["zd_off"], lib["rd"], lib["zd2"], on=ON)
    c = mark_applied(people["jia"], lib["rd"], lib["zd"], on=ON)
    record_grant(people["city"], a, 1_000_000, ON)
    record_grant(people["city"], b, 800_000, ON)
    record_grant(people["city"], c, 0, ON)
    return lib


def _flat(rows: list[Any]) -> dict[str, tuple[int, int, Decimal]]:
    return {r.key: (r.applied, r.granted, r.amount) for r in rows}


def test_totals_by_district_category_and_title(tracked, people):
    assert _flat(by_district(people["city"])) == {
        "370303": (3, 1, Decimal(1_000_000)),
        "370304": (1, 1, Decimal(800_000)),
    }
    assert by_district(people["city"])[0].label == "张店区"
    assert _flat(by_category(people["city"])) == {
        "funding": (2, 2, Decimal(1_800_000)),
        "innovation": (2, 0, Decimal(0)),
    }
    assert _flat(by_title(people["city"])) == {
        "little_giant": (2, 1, Decimal(1_000_000)),  # 甲 holds it: both its applications
        "hnte": (1, 1, Decimal(800_000)),
    }
    whole = overall(None)
    assert (whole.applied, whole.granted, whole.amount) == (4, 2, Decimal(1_800_000))


def test_totals_are_scoped(tracked, people):
    assert set(_flat(by_district(people["zd_off"]))) == {"370303"}
    assert _flat(by_title(people["zd_off"])) == {"little_giant": (2, 1, Decimal(1_000_000))}
    mine = totals(people["bing"])
    assert (mine.overall.applied, mine.overall.amount) == (1, Decimal(800_000))
    assert totals(people["bank"]).overall.applied == 0


def test_totals_take_a_fixed_number_of_queries(tracked, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        totals(people["city"])
