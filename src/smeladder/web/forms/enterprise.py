"""编辑基本信息: a firm's registered facts, for officials."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smeladder.reference.lookups import division_name
from smeladder.registry.actions.edits import FACT_PATHS
from smeladder.registry.models import Enterprise

from ..views.common import district_choices

#: facts path → form field (the Enterprise column, so initial values come straight off the row)
FIELD_OF_PATH = {
    path: ("flag_" + path.split(".", 1)[1]) if path.startswith("flags.") else path
    for path in FACT_PATHS
}
FLAG_LABELS = {
    "flag_abnormal_operations_list": _("列入经营异常名录"),
    "flag_serious_dishonesty_list": _("列入严重失信主体名单"),
    "flag_major_incident_3y": _("近三年发生重大安全、质量、环境事故等"),
    "flag_restricted_products": _("产品属禁止、限制或淘汰类"),
    "flag_excluded_industry_rd_deduction": _("属研发费用加计扣除不适用行业"),
}


def _tri_state(label: Any) -> forms.NullBooleanField:
    """是 / 否 / 未知: unknown is a value of its own, never 否 (a missing fact is not false)."""
    widget = forms.NullBooleanSelect()
    widget.choices = [("unknown", _("未知")), ("true", _("是")), ("false", _("否"))]
    return forms.NullBooleanField(label=label, required=False, widget=widget)


class EnterpriseFactsForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=200)
    division_code = forms.CharField(label=_("所在区县（行政区划代码）"), max_length=6)
    industry_code = forms.CharField(
        label=_("国民经济行业代码"),
        max_length=8,
        required=False,
        help_text=_("GB/T 4754-2017 小类代码，如 C3484；留空表示未知"),
    )
    founded_on = forms.DateField(
        label=_("成立日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    listed = _tri_state(_("是否上市"))

    def __init__(self, *args: Any, user: Any, firm: Enterprise, **kwargs: Any) -> None:
        stored = {field: getattr(firm, field) for field in FIELD_OF_PATH.values()}
        kwargs.setdefault("initial", stored)
        super().__init__(*args, **kwargs)
        for name, label in FLAG_LABELS.items():
            self.fields[name] = _tri_state(label)
        choices = list(district_choices(user))
        if choices:
            # Only the user's own area can be chosen (the edit action checks it again).
            if firm.division_code not in {code for code, _name in choices}:
                name = division_name(firm.division_code) or firm.division_code
                choices.insert(0, (firm.division_code, name))
            self.fields["division_code"] = forms.ChoiceField(
                label=self.fields["division_code"].label,
                choices=[(code, f"{name}（{code}）") for code, name in choices],
            )

    def facts(self) -> dict[str, Any]:
        """The cleaned values by facts path, for `edit_facts`."""
        return {path: self.cleaned_data.get(field) for path, field in FIELD_OF_PATH.items()}
