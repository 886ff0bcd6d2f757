"""Preservation events (PREMIS): what was done to which object, when, by whom."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PreservationEvent(models.Model):
    """A PREMIS event about a document's OCFL object or one of its files."""

    class Type(models.TextChoices):
        # PREMIS event types, from the Library of Congress vocabulary.
        INGESTION = "ingestion", _("ingestion")
        MESSAGE_DIGEST = "message digest calculation", _("message digest calculation")
        FORMAT_IDENTIFICATION = "format identification", _("format identification")
        METADATA_EXTRACTION = "metadata extraction", _("metadata extraction")
        VALIDATION = "validation", _("validation")
        CREATION = "creation", _("creation")
        DERIVATION = "derivation", _("derivation")
        FIXITY_CHECK = "fixity check", _("fixity check")
        REPLICATION = "replication", _("replication")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        WARNING = "warning", _("warning")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(
        "catalog.HeritageDocument",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    file_path = models.CharField(max_length=4096, blank=True)
    event_type = models.CharField(max_length=64, choices=Type.choices)
    datetime = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    detail = models.TextField(blank=True)
    # Machine-readable detail: digests, format ids, sizes, OCFL versions.
    data = models.JSONField(default=dict, blank=True)
    agent = models.CharField(max_length=255)

    class Meta:
        ordering = ["datetime"]

    def __str__(self):
        return f"{self.event_type} {self.outcome} {self.file_path}"
