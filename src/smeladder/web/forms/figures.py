"""编辑年度数据: one year's figures. Money is typed in 万元, as the profile shows it, and stored
in yuan; a blank field means "unknown" (never 0)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smeladder.registry.interchange.coerce import YEAR_MAX, YEAR_MIN

TEN_THOUSAND = Decimal(10000)

#: (key, label, may be negative) of the money figures, in the profile's order
MONEY_FIELDS: tuple[tuple[str, Any, bool], ...] = (
    ("revenue", _("营业收入"), False),
    ("main_revenue", _("主营业务收入"), False),
    ("rd_expense", _("研发费用总额"), False),
    ("rd_expense_domestic", _("境内研发费用"), False),
    ("cost_expense", _("成本费用支出总额"), False),
    ("net_profit", _("净利润"), True),
    ("total_assets", _("资产总额"), False),
    ("total_liabilities", _("负债总额"), False),
    ("hightech_revenue", _("高新技术产品（服务）收入"), False),
)
COUNT_FIELDS: tuple[tuple[str, Any], ...] = (
    ("employees", _("职工总数")),
    ("tech_staff", _("科技人员数")),
    ("rd_staff", _("研发人员数")),
    ("tech_conversions", _("科技成果转化数")),
)


def wan_text(yuan: Any) -> str:
    """Yuan → 万元 for an input box: exact, no trailing zeros ("2000", "12.3456")."""
    if yuan is None:
        return ""
    value = (Decimal(yuan) / TEN_THOUSAND).normalize()
    return f"{value:f}"


class AnnualFiguresForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> None:
        """`row`: the stored figures of the year being edited (None: a new year)."""
        super().__init__(*args, **kwargs)
        for key, label, negative in MONEY_FIELDS:
            self.fields[key] = forms.DecimalField(
                label=label,
                required=False,
                max_digits=20,
                decimal_places=6,  # 万元 to the yuan-cent
                min_value=None if negative else Decimal(0),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}),
            )
        for key, label in COUNT_FIELDS:
            self.fields[key] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "num"}),
            )
        if row is not None:
            self.fields["year"].disabled = True
            self.initial.setdefault("year", row["year"])
            for key, _label, _negative in MONEY_FIELDS:
                self.initial.setdefault(key, wan_text(row.get(key)))
            for key, _label in COUNT_FIELDS:
                self.initial.setdefault(key, row.get(key))

    def figures(self) -> dict[str, Any]:
        """Every figure of the year by facts key, money in yuan; None = unknown."""
        out: dict[str, Any] = {}
        for key, _label, _negative in MONEY_FIELDS:
            value = self.cleaned_data.get(key)
            out[key] = None if value is None else value * TEN_THOUSAND
        for key, _label in COUNT_FIELDS:
            out[key] = self.cleaned_data.get(key)
        return out
