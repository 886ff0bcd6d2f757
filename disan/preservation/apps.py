from django.apps import AppConfig


class PreservationConfig(AppConfig):
    name = "disan.preservation"
    label = "preservation"
