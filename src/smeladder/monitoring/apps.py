from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "smeladder.monitoring"
    verbose_name = "监测统计"
