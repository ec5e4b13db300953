from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "smeladder.accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from .roles import ensure_role_groups

        # post_migrate is sent once per app with models, in INSTALLED_APPS order; permissions of
        # every app exist only when the last one is sent, so the groups are refreshed then.
        with_models = [c for c in self.apps.get_app_configs() if c.models_module is not None]
        post_migrate.connect(ensure_role_groups, sender=with_models[-1])
