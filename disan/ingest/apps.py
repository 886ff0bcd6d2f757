from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "disan.ingest"
    label = "ingest"
