from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "smeladder.screening"
    verbose_name = "梯度筛选"
