from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "smeladder.api"
    label = "api"
    verbose_name = "HTTP API"
