from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "disan.search"
    label = "search"
