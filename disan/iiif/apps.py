from django.apps import AppConfig


class IiifConfig(AppConfig):
    name = "disan.iiif"
    label = "iiif"
