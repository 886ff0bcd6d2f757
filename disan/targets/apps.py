from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "disan.targets"
    label = "targets"
