from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "smeladder.registry"
    verbose_name = "培育库"
