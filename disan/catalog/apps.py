from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "disan.catalog"
    label = "catalog"
