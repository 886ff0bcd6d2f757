from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "disan.access"
    label = "access"
