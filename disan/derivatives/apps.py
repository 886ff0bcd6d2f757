from django.apps import AppConfig


class DerivativesConfig(AppConfig):
    name = "disan.derivatives"
    label = "derivatives"
