"""The closed vocabularies of casework (stored codes, Chinese labels)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    FINANCING = "financing", _("融资")
    LAND_ENERGY = "land_energy", _("用地用能")
    TALENT = "talent", _("用工人才")
    POLICY = "policy", _("政策咨询")
    APPROVAL = "approval", _("审批服务")
    INNOVATION = "innovation", _("科技创新")
    MARKET = "market", _("市场拓展")
    OTHER = "other", _("其他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Channel(models.TextChoices):
    WEB = "web", _("网页")
    API = "api", _("接口")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("走访")
    HOTLINE = "hotline", _("热线")


class Level(models.TextChoices):
    """The escalation ladder, lowest first (LADDER keeps the order)."""

    SELF = "self", _("自办")
    SPECIAL = "special", _("专办")
    TASK_FORCE = "task_force", _("工作专班")
    LEADING_GROUP = "leading_group", _("领导小组")


LADDER: tuple[str, ...] = (Level.SELF, Level.SPECIAL, Level.TASK_FORCE, Level.LEADING_GROUP)


def next_level(level: str) -> str | None:
    index = LADDER.index(level)
    return LADDER[index + 1] if index + 1 < len(LADDER) else None


class State(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    WAITING = "waiting", _("待企业补充")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已关闭")
    REOPENED = "reopened", _("已重新办理")


#: states in which a case is still owed work (the backlog; the escalation job looks at these)
OPEN_STATES: tuple[str, ...] = (
    State.SUBMITTED,
    State.ACCEPTED,
    State.IN_PROGRESS,
    State.WAITING,
    State.REOPENED,
)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    FAIRLY = "fairly", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ServiceKind(models.TextChoices):
    POLICY_BRIEFING = "policy_briefing", _("政策宣讲")
    FINANCING_REFERRAL = "financing_referral", _("融资对接")
    IP_HELP = "ip_help", _("知识产权服务")
    DIGITAL_DIAGNOSIS = "digital_diagnosis", _("数字化诊断")
    LISTING_GUIDANCE = "listing_guidance", _("上市辅导")
    TALENT = "talent", _("人才招引")
    OTHER = "other", _("其他")


class ServiceStatus(models.TextChoices):
    OFFERED = "offered", _("已推送")
    IN_PROGRESS = "in_progress", _("服务中")
    DONE = "done", _("已完成")
    DECLINED = "declined", _("企业不需要")
