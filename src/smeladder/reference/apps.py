from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "smeladder.reference"
    verbose_name = "参考数据"
