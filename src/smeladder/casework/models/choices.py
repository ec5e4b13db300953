"""The closed vocabularies of casework (stored codes, Chinese labels)."""

from __future__ import annotations

from django.db import models


class Category(models.TextChoices):
    FINANCING = "financing", "融资"
    LAND_ENERGY = "land_energy", "用地用能"
    TALENT = "talent", "用工人才"
    POLICY = "policy", "政策咨询"
    APPROVAL = "approval", "审批服务"
    INNOVATION = "innovation", "科技创新"
    MARKET = "market", "市场拓展"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"


class Channel(models.TextChoices):
    WEB = "web", "网页"
    API = "api", "接口"
    PHONE = "phone", "电话"
    VISIT = "visit", "走访"
    HOTLINE = "hotline", "热线"


class Level(models.TextChoices):
    """The escalation ladder, lowest first (LADDER keeps the order)."""

    SELF = "self", "自办"
    SPECIAL = "special", "专办"
    TASK_FORCE = "task_force", "工作专班"
    LEADING_GROUP = "leading_group", "领导小组"


LADDER: tuple[str, ...] = (Level.SELF, Level.SPECIAL, Level.TASK_FORCE, Level.LEADING_GROUP)


def next_level(level: str) -> str | None:
    index = LADDER.index(level)
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


class State(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    IN_PROGRESS = "in_progress", "办理中"
    WAITING = "waiting", "待企业补充"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已关闭"
    REOPENED = "reopened", "已重新办理"


#: states in which a case is still owed work (the backlog; the escalation job looks at these)
OPEN_STATES: tuple[str, ...] = (
    State.SUBMITTED,
    State.ACCEPTED,
    State.IN_PROGRESS,
    State.WAITING,
    State.REOPENED,
)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class ServiceKind(models.TextChoices):
    POLICY_BRIEFING = "policy_briefing", "政策宣讲"
    FINANCING_REFERRAL = "financing_referral", "融资对接"
    IP_HELP = "ip_help", "知识产权服务"
    DIGITAL_DIAGNOSIS = "digital_diagnosis", "数字化诊断"
    LISTING_GUIDANCE = "listing_guidance", "上市辅导"
    TALENT = "talent", "人才招引"
    OTHER = "other", "其他"


class ServiceStatus(models.TextChoices):
    OFFERED = "offered", "已推送"
    IN_PROGRESS = "in_progress", "服务中"
    DONE = "done", "已完成"
    DECLINED = "declined", "企业不需要"
