from django.apps import AppConfig


class PreservationConfig(AppConfig):
    name = "disan.preservation"
    label = "preservation"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from disan.catalog.models import HeritageDocument
        from disan.preservation import signals

        post_create_historical_record.connect(
            signals.description_saved,
            sender=HeritageDocument.history.model,
            dispatch_uid="preservation-description",
        )
