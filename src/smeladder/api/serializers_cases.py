"""Serializers of the casework API (企业诉求): list rows with the due date computed from the event
log (casework/deadlines.py), one case with its events, ratings, 回访 and attachments, the
request bodies of every write, departments and the precomputed metrics rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from smeladder.casework.calendar import CalendarNotCovered
from smeladder.casework.deadlines import deadline_of
from smeladder.casework.metrics import DIMENSIONS
from smeladder.casework.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseMetric,
    Category,
    Channel,
    Department,
    FollowUpCall,
    Level,
    Rating,
    Satisfaction,
    State,
    Urgency,
)
from smeladder.zh_labels import ZH

#: the actions of POST /cases/{id}/transitions/ (auto_close is the job's alone)
TRANSITION_ACTIONS = ("accept", "start", "wait", "reply", "resolve", "confirm", "reopen")
NOTE_MAX = 2000
#: the largest id a request may name (BigAutoField's range on every backend)
ID_MAX = 2**63 - 1


@dataclass(frozen=True)
class DeadlineInfo:
    due_on: dt.date | None
    overdue: bool
    clock: str
    days: int
    used: int
    problem: str


def deadline_info(case: Case, today: dt.date | None = None) -> DeadlineInfo:
    """The due date of a case as deadlines.py computes it, cached on the instance (a row is
    serialized field by field). A year the holiday calendar does not cover gives no due date
    and says why, instead of a 500."""
    cached = getattr(case, "_api_deadline", None)
    if cached is not None:
        return cached
    today = today or timezone.localdate()
    try:
        d = deadline_of(case, today)
        info = DeadlineInfo(d.due_on, d.overdue(today), d.clock, d.days, d.used, "")
    except CalendarNotCovered as err:
        info = DeadlineInfo(None, False, "unknown", 0, 0, str(err))
    case._api_deadline = info  # type: ignore[attr-defined]
    return info


class _DeadlineFields(serializers.ModelSerializer):
    """Row fields shared by the list and the detail: firm, department and the deadline."""

    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    division_code = serializers.CharField(source="enterprise.division_code", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, default=None
    )
    category = serializers.CharField(read_only=True, help_text="诉求类别 / category code")
    urgency = serializers.CharField(read_only=True, help_text="normal（一般）| urgent（紧急）")
    channel = serializers.CharField(read_only=True, help_text="web | api | phone | visit | hotline")
    level = serializers.CharField(
        read_only=True, help_text="办理层级：self 自办 | special 专办 | task_force | leading_group"
    )
    state = serializers.CharField(read_only=True, help_text="状态 / state code")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    due_on = serializers.SerializerMethodField(
        help_text="应办结日期（按工作日从事件记录计算；等待企业补充期间为空）"
    )
    overdue = serializers.SerializerMethodField(
        help_text="今日是否已超期（计时中且已过应办结日期）"
    )
    clock = serializers.SerializerMethodField(
        help_text="计时状态：running 计时中 | paused 暂停 | stopped 已停止 | unknown 无法计算"
    )
    deadline_problem = serializers.SerializerMethodField(
        help_text="无法计算办理时限的原因（节假日日历未覆盖该年份），否则为空"
    )

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_due_on(self, case: Case) -> str | None:
        due = deadline_info(case).due_on
        return due.isoformat() if due else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, case: Case) -> bool:
        return deadline_info(case).overdue

    @extend_schema_field({"type": "string", "enum": ["running", "paused", "stopped", "unknown"]})
    def get_clock(self, case: Case) -> str:
        return deadline_info(case).clock

    @extend_schema_field(OpenApiTypes.STR)
    def get_deadline_problem(self, case: Case) -> str:
        return deadline_info(case).problem


ROW_FIELDS = [
    "id",
    "uscc",
    "enterprise_name",
    "division_code",
    "category",
    "urgency",
    "channel",
    "department",
    "department_name",
    "level",
    "state",
    "state_label",
    "filed_at",
    "updated_at",
    "due_on",
    "overdue",
    "clock",
    "deadline_problem",
]


class CaseRowSerializer(_DeadlineFields):
    """诉求列表中的一行：企业、类别、承办部门、层级、状态，以及按工作日计算的应办结日期。"""

    class Meta:
        model = Case
        fields = ROW_FIELDS
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True, help_text="操作人")
    from_state = serializers.CharField(read_only=True, help_text="原状态（提交事件为空）")
    to_state = serializers.CharField(read_only=True, help_text="新状态")
    data = serializers.JSONField(read_only=True, help_text="事件数据，如授予的工作日数")

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "actor", "at", "from_state", "to_state", "note", "data"]
        read_only_fields = fields


class RatingSerializer(serializers.ModelSerializer):
    satisfaction = serializers.CharField(
        read_only=True, help_text="satisfied | fairly | unsatisfied"
    )

    class Meta:
        model = Rating
        fields = ["id", "satisfaction", "comment", "rated_at"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpCall
        fields = ["id", "called_at", "contact", "summary"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    content_type = serializers.CharField(read_only=True, help_text="pdf | jpg | png | docx | xlsx")
    download_url = serializers.SerializerMethodField(help_text="下载地址（同样按范围检查）")

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, row: Attachment) -> str:
        return reverse("api:case-attachment", kwargs={"pk": row.case_id, "att": row.pk})


class CaseDetailSerializer(_DeadlineFields):
    """一件诉求：列表中的各项，加诉求内容、事件记录、评价、回访和附件。"""

    description = serializers.CharField(read_only=True)
    events = CaseEventSerializer(many=True, read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(source="follow_up_calls", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            *ROW_FIELDS,
            "description",
            "events",
            "ratings",
            "follow_ups",
            "attachments",
        ]
        read_only_fields = fields


# --- query parameters and request bodies ---------------------------------------------------


def _choices(choices: Any) -> str:
    with translation.override(ZH):  # the schema's help texts are Chinese, labels included
        return "、".join(f"{value}（{label}）" for value, label in choices)


class CaseFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=State.choices, required=False, help_text=f"按状态筛选：{_choices(State.choices)}"
    )
    category = serializers.ChoiceField(
        choices=Category.choices,
        required=False,
        help_text=f"按诉求类别筛选：{_choices(Category.choices)}",
    )
    department = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="按承办部门编号筛选"
    )
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true：只看已超期；false：未超期"
    )
    uscc = serializers.CharField(
        required=False, max_length=18, help_text="按企业统一社会信用代码筛选"
    )

    def validate_uscc(self, value: str) -> str:
        return value.strip().upper()


class CaseCreateSerializer(serializers.Serializer):
    uscc = serializers.CharField(
        required=False,
        max_length=18,
        help_text="企业统一社会信用代码：工作人员代企业提交时必填；企业用户可省略（只能是本企业）",
    )
    category = serializers.ChoiceField(
        choices=Category.choices, help_text=f"诉求类别：{_choices(Category.choices)}"
    )
    description = serializers.CharField(max_length=5000, help_text="诉求内容")
    urgency = serializers.ChoiceField(
        choices=Urgency.choices,
        required=False,
        default=Urgency.NORMAL,
        help_text=f"紧急程度：{_choices(Urgency.choices)}",
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        help_text="来源渠道：企业用户经接口提交固定为 api；工作人员代提交默认 phone，"
        f"可选 {_choices(Channel.choices)}",
    )


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(a, a) for a in TRANSITION_ACTIONS],
        help_text="accept 受理 | start 开始办理 | wait 请企业补充材料 | reply 企业已答复 | "
        "resolve 办结 | confirm 确认办结 | reopen 重新办理",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX, help_text="说明"
    )


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX, help_text="升级理由")


class ReassignSerializer(serializers.Serializer):
    department = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, help_text="新的承办部门编号（见 /api/v1/departments/）"
    )
    reason = serializers.CharField(max_length=NOTE_MAX, help_text="改派理由")


class RatingCreateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, help_text=f"评价：{_choices(Satisfaction.choices)}"
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTE_MAX,
        help_text="意见（不满意时必填）",
    )


class FollowUpCreateSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=NOTE_MAX, help_text="回访情况")
    contact = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text="受访人"
    )


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="附件：PDF、JPG、PNG、DOCX、XLSX，内容须与扩展名一致，大小受限"
    )


class DepartmentSerializer(serializers.ModelSerializer):
    owns_level = serializers.CharField(
        read_only=True, help_text=f"牵头督办层级（空：普通承办部门）：{_choices(Level.choices)}"
    )

    class Meta:
        model = Department
        fields = ["id", "name", "division_prefix", "owns_level", "active"]
        read_only_fields = fields


class MetricFilterSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(
        choices=[(d, d) for d in DIMENSIONS],
        required=False,
        help_text="维度：all 总体 | department 部门（分组为部门编号）| category 类别 | month 月份",
    )
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="月份 YYYY-MM：只看按月统计中该月的行",
    )
    area = serializers.RegexField(
        r"^(\d{4}|\d{6})$", required=False, help_text="范围：市（4 位）或区县（6 位）区划代码"
    )


class MetricSerializer(serializers.ModelSerializer):
    area = serializers.CharField(read_only=True, help_text="范围：区县代码、市前缀，空为全部")
    dimension = serializers.CharField(
        read_only=True, help_text="all | department | category | month"
    )
    key = serializers.CharField(read_only=True, help_text="分组值（类别代码、部门编号、YYYY-MM）")
    property = serializers.CharField(read_only=True, help_text="指标，如 on_time_rate、backlog")
    value = serializers.FloatField(
        read_only=True, allow_null=True, help_text="数值（空：无可统计）"
    )

    class Meta:
        model = CaseMetric
        fields = ["id", "area", "dimension", "key", "property", "value", "on"]
        read_only_fields = fields
