from __future__ import annotations

from django.contrib.auth.models import Group


def test_officials_groups_get_registry_permissions_after_migrate(db):
    group = Group.objects.get(name="区县工作人员")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_enterprise", "change_enterprise", "add_title", "view_importrun"} <= codenames
    # officials never delete registry rows through the back office: history is kept
    assert not any(code.startswith("delete_") for code in codenames)
