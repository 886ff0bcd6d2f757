"""Batches handed over for ingest, the jobs they start, and what was refused."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from disan.catalog.models import HeritageDocument


class Batch(models.Model):
    """One run of ``disan ingest`` over a folder."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(max_length=4096)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    ocr = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "batches"

    def __str__(self):
        return f"batch {self.id} ({self.source})"


class Transfer(models.Model):
    """One document folder of a batch, staged for processing (an OAIS SIP)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="transfers")
    document = models.ForeignKey(
        HeritageDocument,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    source = models.CharField(max_length=4096)
    staging_path = models.CharField(max_length=4096)
    metadata = models.JSONField(default=dict, blank=True)
    # The keys of ``metadata`` the batch gave (the others hold defaults), or
    # None where not recorded, when every key counts as given.
    metadata_keys = models.JSONField(null=True, blank=True, default=None)
    # Files in reading order, as staged: [{"name", "path", "size"}].
    files = models.JSONField(default=list, blank=True)
    # None until the store step decides whether the object changed.
    changed = models.BooleanField(null=True, default=None)
    # For a document given its first masters: those already stored under
    # documents of other batches (same SHA-256), as the store step found them:
    # {"masters", "held", "documents": [{"identifier", "masters"}], "more"}.
    # It names other documents whatever their access level, so only the
    # batch summary of `disan ingest` shows it.
    stored_elsewhere = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)


class Job(models.Model):
    """A background job with a status users can see."""

    class Step(models.TextChoices):
        IDENTIFY = "identify", _("Identify and validate")
        STORE = "store", _("Store masters")
        DERIVE = "derive", _("Make derivatives")
        OCR = "ocr", _("Recognize text")
        INDEX = "index", _("Index for search")

    class Status(models.TextChoices):
        # Waiting for other jobs of its transfer before it can be queued.
        WAITING = "waiting", _("Waiting")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.DONE, Status.SKIPPED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="jobs"
    )
    page = models.ForeignKey(
        "catalog.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    step = models.CharField(max_length=16, choices=Step.choices)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    worker = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]

    def __str__(self):
        return f"{self.step} {self.status} ({self.id})"


class Rejection(models.Model):
    """A file refused at ingest, with the reason shown in the batch summary."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="rejections"
    )
    transfer = models.ForeignKey(
        Transfer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rejections",
    )
    path = models.CharField(max_length=4096)
    code = models.CharField(max_length=64)
    reason = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return f"{self.path}: {self.reason}"
