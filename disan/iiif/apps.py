from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IiifConfig(AppConfig):
    name = "disan.iiif"
    label = "iiif"
    verbose_name = _("IIIF")
