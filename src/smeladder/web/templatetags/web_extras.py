from typing import Any

from django import template

register = template.Library()


@register.filter
def role_label(user: Any) -> str:
    """The user's role in Chinese (系统管理员, 市级工作人员 …)."""
    from smeladder.web.views.common import role_label as label

    return label(user)
