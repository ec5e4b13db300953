from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "smeladder.casework"
    verbose_name = "企业诉求与包联服务"
