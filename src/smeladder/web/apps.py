from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "smeladder.web"
    verbose_name = "网站"
