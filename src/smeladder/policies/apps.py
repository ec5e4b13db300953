from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "smeladder.policies"
    verbose_name = "惠企政策"
