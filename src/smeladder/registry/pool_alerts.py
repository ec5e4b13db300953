"""Dynamic-management alerts (动态管理提醒) for the current members of a pool that a user sees:

- ``expiring`` — an active title whose validity ends within the horizon (90 days, both ends
  included: today … today + 90), to be renewed the way its rulebook says (重新申请认定 /
  重新评价);
- ``review`` — the same for a title kept by 复核 (the rulebook's ``validity.renewal`` is
  "review": 专精特新, 小巨人, 单项冠军): the review is due when the period ends;
- ``expired`` — an active title whose period has already ended (the registry still says 有效);
- ``figures`` — no yearly figures for last year (上年度), or some key figures of it empty.

A title's end is its stored ``valid_to``, else the period its rulebook gives from ``valid_from``
(``Rulebook.title_period``). Three queries whatever the pool's size: the members, their active
titles, their figures of last year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smeladder.standards.rulebook import NoRulebookInForce, Rulebook, load_rulebooks, rulebook_for

from .models import AnnualFigures, Pool, PoolMembership, Title
from .models.titles import TitleCode, TitleStatus

HORIZON_DAYS = 90
#: figures every standard leans on; one of them empty for last year is an alert
KEY_FIGURES = (
    ("revenue", gettext_lazy("营业收入")),
    ("main_revenue", gettext_lazy("主营业务收入")),
    ("rd_expense", gettext_lazy("研发费用")),
    ("total_assets", gettext_lazy("资产总额")),
    ("total_liabilities", gettext_lazy("负债总额")),
    ("employees", gettext_lazy("职工总数")),
)
RENEWAL_ZH = {
    "reapply": gettext_lazy("期满须重新申请认定"),
    "reassess": gettext_lazy("期满须重新评价"),
    "annual": gettext_lazy("每年重新评价"),
    "review": gettext_lazy("需申请复核"),
}
KINDS = {  # in the order alerts are listed
    "expired": gettext_lazy("称号已过有效期"),
    "review": gettext_lazy("复核到期"),
    "expiring": gettext_lazy("称号即将到期"),
    "figures": gettext_lazy("上年度数据缺失"),
}


@dataclass(frozen=True)
class Alert:
    kind: str  # one of KINDS
    enterprise_id: int
    uscc: str
    name: str
    message: str
    due: date | None = None
    title: str = ""

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def _rulebook(code: str, granted: date, division_code: str) -> Rulebook | None:
    """The rulebook a title was granted under: in force on the day it was granted, else (a
    title older than the first packaged rulebook) the earliest one of that standard."""
    try:
        return rulebook_for(code, granted, division_code=division_code)
    except NoRulebookInForce:
        books = [
            b
            for b in load_rulebooks()
            if b.standard == code and b.region_match(division_code) is not None
        ]
        return min(books, key=lambda b: b.in_force_from) if books else None


def title_end(title: dict[str, Any], division_code: str) -> tuple[date | None, Rulebook | None]:
    book = _rulebook(title["code"], title["valid_from"], division_code)
    if title["valid_to"] is not None:
        return title["valid_to"], book
    if book is None:
        return None, None
    return book.title_period(title["valid_from"])[1], book


def current_members(pool: Pool, user: Any) -> Any:
    """The pool's current members the user sees (PoolMembership.for_user), with their firm."""
    return (
        PoolMembership.objects.for_user(user)
        .filter(pool=pool, left_on__isnull=True)
        .select_related("enterprise")
    )


def pool_alerts(
    pool: Pool, user: Any, today: date, horizon_days: int = HORIZON_DAYS
) -> list[Alert]:
    """Every alert of the pool's current members in the user's scope: by kind (expired, review,
    expiring, figures), then date due, then USCC."""
    members = current_members(pool, user)
    firms = {
        m.enterprise_id: m.enterprise
        for m in members.only(
            "enterprise__id", "enterprise__uscc", "enterprise__name", "enterprise__division_code"
        )
    }
    if not firms:
        return []
    ids = members.values("enterprise_id")  # a subquery, not a list of ids: any pool size
    last_year = today.year - 1
    limit = today + timedelta(days=horizon_days)
    titles = Title.objects.filter(enterprise_id__in=ids, status=TitleStatus.ACTIVE).values(
        "enterprise_id", "code", "valid_from", "valid_to"
    )
    figures = {
        row["enterprise_id"]: row
        for row in AnnualFigures.objects.filter(enterprise_id__in=ids, year=last_year).values(
            "enterprise_id", *(field for field, _label in KEY_FIGURES)
        )
    }
    names = dict(TitleCode.choices)
    alerts: list[Alert] = []
    for title in titles:
        firm = firms[title["enterprise_id"]]
        end, book = title_end(title, firm.division_code)
        if end is None or end > limit:
            continue
        renewal = ((book.validity or {}) if book else {}).get("renewal", "")
        name = names.get(title["code"], title["code"])
        values = {"title": name, "date": end.isoformat()}
        if end < today:
            kind = "expired"
            text = _("%(title)s有效期已于 %(date)s 届满，仍登记为有效") % values
        elif renewal == "review":
            kind, text = "review", _("%(title)s将于 %(date)s 到期，需申请复核") % values
        else:
            kind, text = "expiring", _("%(title)s将于 %(date)s 到期") % values
            if renewal in RENEWAL_ZH:
                text += _("，") + str(RENEWAL_ZH[renewal])
        alerts.append(Alert(kind, firm.pk, firm.uscc, firm.name, text, end, title["code"]))
    for firm_id, firm in firms.items():
        row = figures.get(firm_id)
        if row is None:
            text = _("缺少 %(year)s 年度经营数据") % {"year": last_year}
        else:
            empty = [str(label) for field, label in KEY_FIGURES if row[field] is None]
            if not empty:
                continue
            text = _("%(year)s 年度数据不全：%(fields)s") % {
                "year": last_year,
                "fields": _("、").join(empty),
            }
        alerts.append(Alert("figures", firm_id, firm.uscc, firm.name, text))
    order = list(KINDS)
    alerts.sort(key=lambda a: (order.index(a.kind), a.due or today, a.uscc))
    return alerts
