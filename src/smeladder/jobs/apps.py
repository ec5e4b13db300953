from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "smeladder.jobs"
    verbose_name = "定时任务"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the SMELADDER_SCHEDULE check)
