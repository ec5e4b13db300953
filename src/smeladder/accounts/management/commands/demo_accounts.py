"""smeladder demo_accounts — create or reset the demo log-ins, one per role (the partner bank sees
nothing of the registry yet; the department account works the 诉求 of 市工业和信息化局), all with
settings.DEMO_PASSWORD. Running it again resets them: idempotent."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q

from smeladder.accounts.models import Role, User
from smeladder.accounts.roles import ensure_role_groups, group_for
from smeladder.registry.models import Enterprise

#: 张店区: the district of the district official and of the demo firm.
DEMO_DISTRICT = "370303"
#: the demo city's unit for 政策咨询 and 其他 requests (casework/demo.py routes them there), whose
#: member the department account becomes; created here if the demo has not run yet (the demo
#: finds it by the same name and area)
DEMO_DEPARTMENT = ("市工业和信息化局", "3703")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    division_prefix: str
    scope_zh: str
    scope_en: str
    superuser: bool = False
    staff: bool = True
    organisation: str = ""
    #: (name, area) of the casework department the account is a member of
    department: tuple[str, str] | None = None


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.ADMIN, "", "全部（系统管理员）", "everything (administrator)", True),
    DemoAccount("zibo_city", Role.CITY_OFFICIAL, "3703", "淄博市 3703", "Zibo city 3703"),
    DemoAccount("zhangdian", Role.DISTRICT_OFFICIAL, DEMO_DISTRICT, "张店区 370303", "Zhangdian"),
    DemoAccount("demo_firm", Role.ENTERPRISE, "", "本企业", "its own enterprise", staff=False),
    DemoAccount(
        "demo_bank",
        Role.PARTNER,
        "",
        "与其共享的内容（暂无）",
        "what is shared with it (nothing yet)",
        staff=False,
        organisation="某银行淄博分行",
    ),
    DemoAccount(
        "zibo_gxj",
        Role.DEPARTMENT,
        "",
        "市工业和信息化局承办的诉求",
        "requests assigned to the city industry bureau",
        staff=False,
        organisation="淄博市工业和信息化局",
        department=DEMO_DEPARTMENT,
    ),
)


def demo_enterprise() -> Enterprise | None:
    """The 张店 firm with the most current titles (ties: lowest id), else any firm so ranked."""
    ranked = Enterprise.objects.annotate(
        n_titles=Count("titles", filter=Q(titles__status="active"))
    ).order_by("-n_titles", "id")
    return ranked.filter(division_code=DEMO_DISTRICT).first() or ranked.first()


def _join_department(user: User, name: str, prefix: str) -> None:
    """Membership added directly, as the demo writes its organisation (setup, not a person's
    edit: the audited casework.actions.set_members needs a city official as the actor)."""
    from smeladder.casework.models import Department

    department, _ = Department.objects.get_or_create(name=name, division_prefix=prefix)
    department.members.add(user)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "创建或重置演示账号 / create or reset the demo accounts (password: DEMO_PASSWORD)"

    def handle(self, *args: Any, **options: Any) -> None:
        password = settings.DEMO_PASSWORD
        firm = demo_enterprise()
        ensure_role_groups()
        rows: list[tuple[str, str, str, str]] = []
        with transaction.atomic():
            for spec in ACCOUNTS:
                user, _ = User.objects.get_or_create(username=spec.username)
                user.role = spec.role
                user.division_prefix = spec.division_prefix
                user.is_superuser = spec.superuser
                user.is_staff = spec.staff
                user.is_active = True
                user.organisation = spec.organisation
                user.enterprise = firm if spec.role == Role.ENTERPRISE else None
                user.set_password(password)
                user.save()
                group_name = group_for(spec.role)
                groups = Group.objects.filter(name=group_name) if group_name else []
                user.groups.set(groups)
                if spec.department is not None:
                    _join_department(user, *spec.department)
                scope = f"{spec.scope_zh} / {spec.scope_en}"
                if spec.role == Role.ENTERPRISE:
                    scope = f"{firm.name} {firm.uscc}" if firm else "（未关联企业 / no enterprise)"
                role = Role(spec.role)
                rows.append((spec.username, password, f"{role.label} / {role.value}", scope))
        if firm is None:
            self.stderr.write(
                "企业库为空，demo_firm 未关联企业；请先运行 smeladder demo / registry is empty, "
                "demo_firm has no enterprise: run `smeladder demo` first"
            )
        header = ("用户名 / username", "密码 / password", "角色 / role", "范围 / scope")
        widths = [max(_width(r[i]) for r in (header, *rows)) for i in range(4)]
        for row in (header, tuple("-" * w for w in widths), *rows):
            self.stdout.write(
                "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
