from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "disan.portal"
    label = "portal"
