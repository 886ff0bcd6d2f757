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

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("source folder"), max_length=4096)
    created = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    ocr = models.BooleanField(_("text recognition (OCR)"), default=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("digitization batch")
        verbose_name_plural = _("digitization batches")

    def __str__(self):
        return _("batch %(id)s (%(source)s)") % {"id": self.id, "source": self.source}


class Transfer(models.Model):
    """One document folder of a batch, staged for processing (an OAIS SIP)."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("digitization batch"),
        on_delete=models.CASCADE,
        related_name="transfers",
    )
    document = models.ForeignKey(
        HeritageDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    source = models.CharField(_("source folder"), max_length=4096)
    staging_path = models.CharField(_("staging folder"), max_length=4096)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    # The keys of ``metadata`` the batch gave (the others hold defaults), or
    # None where not recorded, when every key counts as given.
    metadata_keys = models.JSONField(null=True, blank=True, default=None)
    # Files in reading order, as staged: [{"name", "path", "size"}].
    files = models.JSONField(_("files"), default=list, blank=True)
    # None until the store step decides whether the object changed.
    changed = models.BooleanField(_("changed"), null=True, default=None)
    # For a document given its first masters: those already stored under
    # documents of other batches (same SHA-256), as the store step found them:
    # {"masters", "held", "documents": [{"identifier", "masters"}], "more"}.
    # It names other documents whatever their access level, so only the
    # batch summary of `disan ingest` shows it.
    stored_elsewhere = models.JSONField(
        _("masters already stored elsewhere"), default=dict, blank=True
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return self.source


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

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    page = models.ForeignKey(
        "catalog.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    message = models.TextField(_("message"), blank=True)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return f"{self.get_step_display()}: {self.get_status_display()} ({self.id})"


class Rejection(models.Model):
    """A file refused at ingest, with the reason shown in the batch summary."""

    batch = models.ForeignKey(
        Batch,
        verbose_name=_("digitization batch"),
        on_delete=models.CASCADE,
        related_name="rejections",
    )
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rejections",
    )
    path = models.CharField(_("path"), max_length=4096)
    code = models.CharField(_("reason code"), max_length=64)
    reason = models.TextField(_("reason"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("rejected file")
        verbose_name_plural = _("rejected files")

    def __str__(self):
        return f"{self.path}: {self.reason}"
