"""Forms of the 包联 pages: assigning an officer, logging a visit (whose finding may open a
request), setting a service item's status. They check shape only; who may do what and in which
area is decided by casework/actions/liaison.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from smeladder.casework.models import Category, ServiceKind, ServiceStatus, Urgency

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssignForm(forms.Form):
    """`officers` are the (id, label) pairs the page offers for this firm."""

    officer = forms.TypedChoiceField(label=_("包联干部"), coerce=int)
    valid_from = forms.DateField(label=_("起始日期"), widget=DATE_INPUT)

    def __init__(self, *args: Any, officers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", _("请选择")), *officers]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DATE_INPUT)
    people = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    findings = forms.CharField(
        label=_("走访情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    open_case = forms.BooleanField(label=_("将走访发现提交为企业诉求"), required=False)
    category = forms.ChoiceField(
        label=_("诉求类别"), choices=[("", "—"), *Category.choices], required=False
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL, required=False
    )
    description = forms.CharField(
        label=_("诉求内容（留空则使用走访情况）"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("open_case") and not data.get("category"):
            self.add_error("category", _("提交诉求须选择诉求类别"))
        return data

    def case_fields(self) -> dict[str, Any] | None:
        """What log_visit's `open_case` takes, or None when no request is to be opened."""
        data = self.cleaned_data
        if not data.get("open_case"):
            return None
        return {
            "category": data["category"],
            "urgency": data.get("urgency") or Urgency.NORMAL,
            "description": data.get("description", ""),
        }


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务内容"), choices=ServiceKind.choices)
    status = forms.ChoiceField(label=_("状态"), choices=ServiceStatus.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
