from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreservationConfig(AppConfig):
    name = "disan.preservation"
    label = "preservation"
    verbose_name = _("Preservation")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from disan.catalog.models import HeritageDocument
        from disan.preservation import signals

        post_create_historical_record.connect(
            signals.description_saved,
            sender=HeritageDocument.history.model,
            dispatch_uid="preservation-description",
        )
