from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "disan.core"
    label = "core"
