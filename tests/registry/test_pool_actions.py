"""Pool actions (registry/actions/pools.py) and who sees which pool (PoolQuerySet): every PoolError
case, the date boundaries, the audit events, and the dynamic-management alerts
(registry/pool_alerts.py) with their 90-day boundary and bounded query count."""

from __future__ import annotations

import datetime as dt

import pytest

from smeladder.accounts.models import AuditEvent, Role
from smeladder.registry.actions.pools import PoolError, add_to_pool, create_pool, remove_from_pool
from smeladder.registry.models import AnnualFigures, Enterprise, Pool, PoolMembership, Title
from smeladder.registry.pool_alerts import pool_alerts
from tests.registry.fixtures import make_uscc

D = dt.date(2026, 3, 1)


@pytest.fixture
def firms(db) -> tuple[Enterprise, Enterprise]:
    zd = Enterprise.objects.create(uscc=make_uscc(1), name="张店甲", division_code="370303")
    bs = Enterprise.objects.create(
        uscc=make_uscc(2, "370304"), name="博山乙", division_code="370304"
    )
    return zd, bs


@pytest.fixture
def users(make_user) -> dict:
    return {
        "city": make_user("city", Role.CITY_OFFICIAL, division_prefix="3703"),
        "zd": make_user("zd", Role.DISTRICT_OFFICIAL, division_prefix="370303"),
        "bs": make_user("bs", Role.DISTRICT_OFFICIAL, division_prefix="370304"),
        "admin": make_user("root", Role.ADMIN),
        "bank": make_user("bank", Role.PARTNER, division_prefix="3703"),
    }


@pytest.fixture
def seed(users) -> Pool:
    return create_pool(actor=users["city"], code="seed", name="种子库")


@pytest.fixture
def zd_pool(users) -> Pool:
    return create_pool(
        actor=users["zd"],
        code="zd-hnte",
        name="张店高企培育库",
        track="most",
        division_prefix="370303",
    )


# -- create ------------------------------------------------------------------------------------


def test_create_pool_records_old_and_new(users) -> None:
    pool = create_pool(
        actor=users["city"], code="listing", name=" 上市后备库 ", description="拟上市企业"
    )
    assert (pool.code, pool.name, pool.track, pool.division_prefix) == (
        "listing",
        "上市后备库",
        "both",
        "",
    )
    event = AuditEvent.objects.get(action="registry.pool_create")
    assert event.actor == users["city"] and event.object_id == str(pool.pk)
    assert event.changes["name"] == [None, "上市后备库"]
    assert event.changes["division_prefix"] == [None, ""]


@pytest.mark.parametrize(
    ("who", "prefix", "ok"),
    [
        ("city", "", True),
        ("city", "3703", True),
        ("city", "370304", True),
        ("city", "3701", False),
        ("zd", "370303", True),
        ("zd", "", False),  # a district does not create city-wide pools
        ("zd", "3703", False),
        ("zd", "370304", False),
        ("admin", "", True),
        ("admin", "3701", True),
        ("bank", "3703", False),
    ],
)
def test_who_may_create_a_pool_where(users, who, prefix, ok) -> None:
    if ok:
        assert create_pool(actor=users[who], code="p", name="库", division_prefix=prefix)
    else:
        with pytest.raises(PoolError):
            create_pool(actor=users[who], code="p", name="库", division_prefix=prefix)
        assert not Pool.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"code": "", "name": "库"},
        {"code": "有中文", "name": "库"},
        {"code": "x" * 65, "name": "库"},
        {"code": "ok", "name": "  "},
        {"code": "ok", "name": "库", "track": "local"},
        {"code": "ok", "name": "库", "division_prefix": "37030"},
    ],
)
def test_create_pool_rejects_bad_fields(users, fields) -> None:
    with pytest.raises(PoolError):
        create_pool(actor=users["city"], **fields)
    assert not Pool.objects.exists()


def test_pool_code_is_unique(users, seed) -> None:
    with pytest.raises(PoolError, match="已被使用"):
        create_pool(actor=users["city"], code="seed", name="另一个")


# -- who sees which pool -------------------------------------------------------------------------


def test_pool_visibility_and_management(users, seed, zd_pool) -> None:
    bs_pool = create_pool(actor=users["bs"], code="bs", name="博山库", division_prefix="370304")

    def seen(user, method="for_user"):
        return set(getattr(Pool.objects, method)(user).values_list("code", flat=True))

    assert seen(users["city"]) == {"seed", "zd-hnte", "bs"}
    assert seen(users["zd"]) == {"seed", "zd-hnte"}  # the city's pool and their own
    assert seen(users["bs"]) == {"seed", "bs"}
    assert seen(users["bank"]) == set()
    assert seen(users["city"], "managed_by") == {"seed", "zd-hnte", "bs"}
    assert seen(users["zd"], "managed_by") == {"zd-hnte"}
    assert seen(users["admin"], "managed_by") == {"seed", "zd-hnte", "bs"}
    assert bs_pool.pk


# -- add -----------------------------------------------------------------------------------------


def test_add_records_the_reason(users, firms, seed) -> None:
    zd, _bs = firms
    m = add_to_pool(actor=users["zd"], pool=seed, enterprise=zd, joined_on=D, reason=" 区县推荐 ")
    assert (m.joined_on, m.reason, m.left_on) == (D, "区县推荐", None)
    event = AuditEvent.objects.get(action="registry.pool_add")
    assert event.actor == users["zd"]
    assert event.changes == {
        "pool": "seed",
        "enterprise": zd.uscc,
        "joined_on": [None, "2026-03-01"],
        "reason": [None, "区县推荐"],
    }


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_add_needs_a_reason(users, firms, seed, reason) -> None:
    with pytest.raises(PoolError):
        add_to_pool(actor=users["city"], pool=seed, enterprise=firms[0], joined_on=D, reason=reason)
    assert not PoolMembership.objects.exists()


def test_reason_of_300_characters_is_accepted(users, firms, seed) -> None:
    m = add_to_pool(
        actor=users["city"], pool=seed, enterprise=firms[0], joined_on=D, reason="x" * 300
    )
    assert len(m.reason) == 300


def test_add_twice_is_refused(users, firms, seed) -> None:
    add_to_pool(actor=users["city"], pool=seed, enterprise=firms[0], joined_on=D, reason="a")
    with pytest.raises(PoolError, match="已在"):
        add_to_pool(
            actor=users["city"],
            pool=seed,
            enterprise=firms[0],
            joined_on=D.replace(day=2),
            reason="b",
        )
    assert PoolMembership.objects.count() == 1


def test_add_outside_scope_is_refused(users, firms, seed, zd_pool) -> None:
    zd, bs = firms
    # another district's firm, even into the city-wide pool the district official sees
    with pytest.raises(PoolError, match="管辖范围"):
        add_to_pool(actor=users["zd"], pool=seed, enterprise=bs, joined_on=D, reason="x")
    # a pool the user does not see
    with pytest.raises(PoolError, match="无权"):
        add_to_pool(actor=users["bs"], pool=zd_pool, enterprise=bs, joined_on=D, reason="x")
    # a firm outside the pool's area, by a user who sees both
    with pytest.raises(PoolError, match="区划范围"):
        add_to_pool(actor=users["city"], pool=zd_pool, enterprise=bs, joined_on=D, reason="x")
    # partners see no pool
    with pytest.raises(PoolError):
        add_to_pool(actor=users["bank"], pool=seed, enterprise=zd, joined_on=D, reason="x")
    assert not PoolMembership.objects.exists()
    assert not AuditEvent.objects.filter(action="registry.pool_add").exists()


def test_rejoining_dates(users, firms, seed) -> None:
    zd = firms[0]
    city = users["city"]
    m = add_to_pool(actor=city, pool=seed, enterprise=zd, joined_on=D, reason="a")
    remove_from_pool(actor=city, membership=m, left_on=D.replace(day=10), reason="b")
    with pytest.raises(PoolError, match="早于上次出库"):
        add_to_pool(actor=city, pool=seed, enterprise=zd, joined_on=D.replace(day=9), reason="c")
    with pytest.raises(PoolError, match="已有一条入库记录"):
        add_to_pool(actor=city, pool=seed, enterprise=zd, joined_on=D, reason="c")
    again = add_to_pool(
        actor=city, pool=seed, enterprise=zd, joined_on=D.replace(day=10), reason="c"
    )
    assert again.pk != m.pk and PoolMembership.objects.filter(enterprise=zd).count() == 2


# -- remove --------------------------------------------------------------------------------------


def test_remove_records_old_and_new(users, firms, seed) -> None:
    m = add_to_pool(actor=users["zd"], pool=seed, enterprise=firms[0], joined_on=D, reason="a")
    remove_from_pool(actor=users["zd"], membership=m, left_on=D, reason="已上市")
    m.refresh_from_db()
    assert (m.left_on, m.exit_reason, m.is_current) == (D, "已上市", False)  # same day: allowed
    event = AuditEvent.objects.get(action="registry.pool_remove")
    assert event.changes["left_on"] == [None, "2026-03-01"]
    assert event.changes["exit_reason"] == ["", "已上市"]


def test_remove_before_joining_is_refused(users, firms, seed) -> None:
    m = add_to_pool(actor=users["city"], pool=seed, enterprise=firms[0], joined_on=D, reason="a")
    with pytest.raises(PoolError, match="早于入库日期"):
        remove_from_pool(
            actor=users["city"], membership=m, left_on=D - dt.timedelta(days=1), reason="b"
        )
    m.refresh_from_db()
    assert m.left_on is None


def test_remove_twice_is_refused(users, firms, seed) -> None:
    m = add_to_pool(actor=users["city"], pool=seed, enterprise=firms[0], joined_on=D, reason="a")
    remove_from_pool(actor=users["city"], membership=m, left_on=D, reason="b")
    stale = PoolMembership.objects.get(pk=m.pk)
    stale.left_on = None  # a stale copy: the row in the database decides
    with pytest.raises(PoolError, match="已于"):
        remove_from_pool(actor=users["city"], membership=stale, left_on=D, reason="c")


@pytest.mark.parametrize("reason", ["", " ", "x" * 301])
def test_remove_needs_a_reason(users, firms, seed, reason) -> None:
    m = add_to_pool(actor=users["city"], pool=seed, enterprise=firms[0], joined_on=D, reason="a")
    with pytest.raises(PoolError):
        remove_from_pool(actor=users["city"], membership=m, left_on=D, reason=reason)


def test_remove_outside_scope_is_refused(users, firms, seed) -> None:
    m = add_to_pool(actor=users["city"], pool=seed, enterprise=firms[1], joined_on=D, reason="a")
    with pytest.raises(PoolError, match="管辖范围"):
        remove_from_pool(actor=users["zd"], membership=m, left_on=D, reason="b")
    with pytest.raises(PoolError):
        remove_from_pool(actor=users["bank"], membership=m, left_on=D, reason="b")
    m.refresh_from_db()
    assert m.left_on is None


# -- alerts --------------------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 15)


def _title(firm, code, valid_from, valid_to=None, status="active"):
    return Title.objects.create(
        enterprise=firm,
        code=code,
        level="national",
        valid_from=valid_from,
        valid_to=valid_to,
        status=status,
    )


def _figures(firm, year=2025, **values):
    full = dict(
        revenue=1, main_revenue=1, rd_expense=1, total_assets=1, total_liabilities=1, employees=1
    )
    full.update(values)
    return AnnualFigures.objects.create(enterprise=firm, year=year, **full)


def test_expiry_boundary_is_90_days(users, firms, seed) -> None:
    zd, bs = firms
    for firm in firms:
        add_to_pool(actor=users["city"], pool=seed, enterprise=firm, joined_on=D, reason="a")
        _figures(firm)
    _title(zd, "hnte", dt.date(2023, 9, 13), TODAY + dt.timedelta(days=90))
    _title(bs, "hnte", dt.date(2023, 9, 14), TODAY + dt.timedelta(days=91))
    alerts = pool_alerts(seed, users["city"], TODAY)
    assert [(a.kind, a.uscc, a.due) for a in alerts] == [
        ("expiring", zd.uscc, TODAY + dt.timedelta(days=90))
    ]
    assert "重新申请认定" in alerts[0].message  # hnte: reapply, from the rulebook


def test_today_expires_and_yesterday_has_expired(users, firms, seed) -> None:
    zd, bs = firms
    for firm in firms:
        add_to_pool(actor=users["city"], pool=seed, enterprise=firm, joined_on=D, reason="a")
        _figures(firm)
    _title(zd, "tech_sme", dt.date(2026, 1, 1), TODAY)
    _title(bs, "tech_sme", dt.date(2026, 1, 1), TODAY - dt.timedelta(days=1))
    kinds = {(a.uscc, a.kind) for a in pool_alerts(seed, users["city"], TODAY)}
    assert kinds == {(zd.uscc, "expiring"), (bs.uscc, "expired")}


def test_review_due_from_the_rulebook_period(users, firms, seed) -> None:
    zd = firms[0]
    add_to_pool(actor=users["city"], pool=seed, enterprise=zd, joined_on=D, reason="a")
    _figures(zd)
    # 专精特新 granted 2023-08-01 under 63号: 3 years (the day before the anniversary), 复核
    _title(zd, "specialized_sme", dt.date(2023, 8, 1))
    _title(zd, "innovative_sme", dt.date(2023, 10, 1))  # ends 2026-09-30: beyond 90 days
    _title(zd, "little_giant", dt.date(2023, 8, 1), status="under_review")  # being reviewed
    alerts = pool_alerts(seed, users["city"], TODAY)
    assert [(a.kind, a.title, a.due) for a in alerts] == [
        ("review", "specialized_sme", dt.date(2026, 7, 31))
    ]
    assert "复核" in alerts[0].message


def test_figures_missing_or_incomplete(users, firms, seed) -> None:
    zd, bs = firms
    for firm in firms:
        add_to_pool(actor=users["city"], pool=seed, enterprise=firm, joined_on=D, reason="a")
    _figures(zd, rd_expense=None, employees=None)
    _figures(bs, year=2024)  # only the year before last
    messages = {a.uscc: a.message for a in pool_alerts(seed, users["city"], TODAY)}
    assert messages == {
        zd.uscc: "2025 年度数据不全：研发费用、职工总数",
        bs.uscc: "缺少 2025 年度经营数据",
    }


def test_alerts_only_for_current_members_in_scope(users, firms, seed) -> None:
    zd, bs = firms
    m = add_to_pool(actor=users["city"], pool=seed, enterprise=zd, joined_on=D, reason="a")
    add_to_pool(actor=users["city"], pool=seed, enterprise=bs, joined_on=D, reason="a")
    assert {a.uscc for a in pool_alerts(seed, users["zd"], TODAY)} == {zd.uscc}
    remove_from_pool(actor=users["city"], membership=m, left_on=D, reason="b")
    assert pool_alerts(seed, users["zd"], TODAY) == []
    assert {a.uscc for a in pool_alerts(seed, users["city"], TODAY)} == {bs.uscc}


def test_alert_queries_do_not_grow_with_the_pool(
    users, seed, django_assert_max_num_queries
) -> None:
    for n in range(40):
        firm = Enterprise.objects.create(
            uscc=make_uscc(100 + n), name=f"企业{n}", division_code="370303"
        )
        PoolMembership.objects.create(pool=seed, enterprise=firm, joined_on=D, reason="批量")
        _title(firm, "hnte", dt.date(2023, 7, 1))
        if n % 2:
            _figures(firm)
    with django_assert_max_num_queries(3):
        alerts = pool_alerts(seed, users["city"], TODAY)
    assert len(alerts) == 40 + 20
