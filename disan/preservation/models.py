"""Preservation records: PREMIS events, and the fixity state of each object.

Events are the permanent audit trail. ``ObjectFixity`` is the current state
of one OCFL object across all its copies (what the report page and the
banner read); ``FixityCheck`` keeps one row per copy per audit.
"""

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
        METADATA_MODIFICATION = "metadata modification", _("metadata modification")

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


class Outcome(models.TextChoices):
    """Result of the fixity audit of an object or of one of its copies."""

    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")


class ObjectFixity(models.Model):
    """The latest audit of one OCFL object, over every copy of it."""

    object_id = models.CharField(_("object ID"), max_length=1024, unique=True)
    # Folder of the object relative to each storage root, so an object whose
    # inventories are all damaged is still known by its id.
    path = models.CharField(_("path"), max_length=4096, blank=True)
    document = models.ForeignKey(
        "catalog.HeritageDocument",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_audit = models.DateTimeField(
        _("last audit"), null=True, blank=True, db_index=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    fault_count = models.PositiveIntegerField(_("number of faults"), default=0)
    # Content paths no copy holds intact any more.
    lost = models.JSONField(_("lost files"), default=list, blank=True)
    # Size in bytes of each content path when it last matched its digest;
    # tells a truncated file from a changed one when no copy is intact.
    sizes = models.JSONField(_("file sizes"), default=dict, blank=True)

    class Meta:
        ordering = ["object_id"]
        verbose_name = _("object fixity")
        verbose_name_plural = _("object fixity")

    def __str__(self):
        outcome = self.get_outcome_display() if self.outcome else _("not audited")
        return f"{self.object_id} {outcome}"


class FixityCheck(models.Model):
    """One audit of one copy (the primary or a replica) of one object."""

    object_id = models.CharField(_("object ID"), max_length=1024, db_index=True)
    copy = models.CharField(_("copy"), max_length=1024)
    document = models.ForeignKey(
        "catalog.HeritageDocument",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    files = models.PositiveIntegerField(_("number of files"), default=0)
    bytes = models.BigIntegerField(_("number of bytes"), default=0)
    # [{"code": ..., "path": ..., "detail": ...}], codes from
    # disan.preservation.fixity.Code.
    faults = models.JSONField(_("faults"), default=list, blank=True)

    class Meta:
        ordering = ["-checked_at", "object_id", "copy"]
        verbose_name = _("fixity check")
        verbose_name_plural = _("fixity checks")

    def __str__(self):
        return f"{self.object_id} [{self.copy}] {self.get_outcome_display()}"


class DescriptionRequest(models.Model):
    """A catalog edit of a document's description not yet in its OCFL object.

    Written in the transaction of the edit, so no edit is lost if the
    background job that stores it never runs; removed once a version holds
    the description as it was when the row was last touched.
    """

    document = models.OneToOneField(
        "catalog.HeritageDocument",
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested = models.DateTimeField(db_index=True)
    # Edits noted so far; a job that stored the description leaves the row
    # if this moved while it ran.
    edits = models.PositiveIntegerField(default=1)
    # Who changed the description since its last stored version.
    changed_by = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["requested"]

    def __str__(self):
        return f"description of {self.document_id} since {self.requested}"
