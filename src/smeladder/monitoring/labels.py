"""Names people read on the dashboard: rungs, rung steps, industries, how a title is kept."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.utils.translation import gettext_lazy as _

from smeladder.reference import datafiles
from smeladder.registry.models.titles import TitleCode
from smeladder.standards.rulebook import NoRulebookInForce, rulebook_for

from . import ladder

#: short names for charts (the full ones are TitleCode labels)
SHORT = {
    ladder.MIIT_FIRST: _("创新型/科技和创新型"),
    TitleCode.INNOVATIVE_SME: _("创新型"),
    TitleCode.TECH_INNOVATIVE_SME: _("科技和创新型"),
    TitleCode.SPECIALIZED_SME: _("专精特新"),
    TitleCode.LITTLE_GIANT: _("小巨人"),
    TitleCode.SINGLE_CHAMPION: _("单项冠军"),
    TitleCode.TECH_SME: _("科技型"),
    TitleCode.HNTE: _("高新技术企业"),
    TitleCode.EAGLET: _("雏鹰"),
    TitleCode.GAZELLE: _("瞪羚"),
    TitleCode.UNICORN: _("独角兽"),
}

TRACK_NAMES = {"miit": _("专精特新梯度"), "most": _("科技企业梯度")}

#: what happens when a title's validity ends, by the rulebook's validity.renewal
RENEWAL = {
    "review": _("期满复核"),
    "reapply": _("期满重新申请认定"),
    "reassess": _("期满重新评价"),
    "annual": _("年度重新评价"),
}

#: title codes whose rules sit in another standard's rulebook
_STANDARD_OF = {TitleCode.TECH_INNOVATIVE_SME: TitleCode.INNOVATIVE_SME}


def short(key: str) -> str:
    return str(SHORT.get(key, key))


def step_label(key: str) -> str:
    lower, _sep, upper = key.partition(">")
    return f"{short(lower)} → {short(upper)}"


def renewal_label(code: str, on: dt.date) -> str:
    """From the rulebook in force: 期满复核 / 重新申请认定 / …; 有效期届满 when it does not say."""
    try:
        book = rulebook_for(_STANDARD_OF.get(code, code), on)
    except NoRulebookInForce:
        return str(_("有效期届满"))
    renewal = (book.validity or {}).get("renewal", "")
    return str(RENEWAL.get(renewal, _("有效期届满")))


@cache
def _industry_names() -> dict[str, str]:
    return {
        r["code"]: r["name"]
        for r in datafiles.industry_rows()
        if r["level"] in ("section", "division")
    }


def industry_name(section: str, division: str = "") -> str:
    """GB/T 4754-2017 门类 (letter) or 大类 (two digits) name; 未填 for an unknown industry."""
    if not section:
        return str(_("行业未填"))
    return _industry_names().get(division or section, division or section)
