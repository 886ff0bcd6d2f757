"""Heritage documents, their pages and master files, and who holds them."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from disan.core.text import nfc


class HeritageStatus(models.TextChoices):
    """Recognition of a documentary heritage item, lowest first."""

    INVENTORIED = "inventoried", _("Inventoried")
    REGISTERED = "registered", _("Registered")
    NATIONAL = "national", _("National list of documentary heritage")
    MOW_ASIA_PACIFIC = (
        "mow_asia_pacific",
        _("UNESCO Memory of the World (Asia-Pacific)"),
    )
    MOW_INTERNATIONAL = (
        "mow_international",
        _("UNESCO Memory of the World (International)"),
    )


class AccessLevel(models.TextChoices):
    """Who may see a document. Enforced only by :mod:`disan.access.policy`."""

    PUBLIC = "public", _("Public")
    CONDITIONAL = "conditional", _("Conditional")
    SECRET = "secret", _("Secret")


class ReadingDirection(models.TextChoices):
    LEFT_TO_RIGHT = "left-to-right", _("Left to right")
    RIGHT_TO_LEFT = "right-to-left", _("Right to left")


class DocumentStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded, not digitized")
    PROCESSING = "processing", _("Processing")
    ONLINE = "online", _("Digitized and online")
    FAILED = "failed", _("Failed")


class HoldingUnit(models.Model):
    """A museum, relic board, library or archive of the department."""

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class Collection(models.Model):
    """A named group of documents shown together on the portal."""

    slug = models.SlugField(max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    holding_unit = models.ForeignKey(
        HoldingUnit, null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class HeritageDocument(models.Model):
    """A documentary heritage item or archival document on record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    identifier = models.CharField(_("identifier"), max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=1000)
    original_title = models.CharField(
        _("original-script title"), max_length=1000, blank=True
    )
    doc_type = models.CharField(_("type"), max_length=100, blank=True)
    date_written = models.CharField(_("date as written"), max_length=255, blank=True)
    year_start = models.IntegerField(null=True, blank=True)
    year_end = models.IntegerField(null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    scripts = models.JSONField(_("scripts"), default=list, blank=True)
    holding_unit = models.ForeignKey(
        HoldingUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    heritage_status = models.CharField(
        _("heritage status"),
        max_length=32,
        choices=HeritageStatus.choices,
        default=HeritageStatus.INVENTORIED,
    )
    access_level = models.CharField(
        _("access level"),
        max_length=16,
        choices=AccessLevel.choices,
        default=AccessLevel.PUBLIC,
        db_index=True,
    )
    reading_direction = models.CharField(
        _("reading direction"),
        max_length=16,
        choices=ReadingDirection.choices,
        default=ReadingDirection.LEFT_TO_RIGHT,
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.RECORDED,
        db_index=True,
    )
    ocfl_object_id = models.CharField(max_length=255, blank=True)
    ocfl_version = models.CharField(max_length=16, blank=True)
    page_count = models.PositiveIntegerField(default=0)
    byte_count = models.BigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    published = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        permissions = [
            ("view_conditional_document", "Can view documents with conditional access"),
            ("view_secret_document", "Can view secret documents"),
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    def save(self, *args, **kwargs):
        for field in (
            "identifier",
            "title",
            "original_title",
            "doc_type",
            "date_written",
            "description",
        ):
            setattr(self, field, nfc(getattr(self, field)))
        super().save(*args, **kwargs)

    @property
    def is_right_to_left(self):
        return self.reading_direction == ReadingDirection.RIGHT_TO_LEFT


class MasterFile(models.Model):
    """One file as received: kept unchanged in the OCFL object."""

    document = models.ForeignKey(
        HeritageDocument, on_delete=models.CASCADE, related_name="master_files"
    )
    sequence = models.PositiveIntegerField()
    filename = models.CharField(max_length=1000)
    logical_path = models.CharField(max_length=1000)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    mime_type = models.CharField(max_length=100)
    format_name = models.CharField(max_length=100)
    puid = models.CharField(max_length=32, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    dpi = models.FloatField(null=True, blank=True)
    colour = models.CharField(max_length=32, blank=True)
    bits_per_sample = models.PositiveSmallIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(default=1)
    orientation = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["document", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sequence"], name="unique_file_seq"
            ),
        ]

    def __str__(self):
        return self.logical_path


class Page(models.Model):
    """A canvas: one image of a document, from an image file or a PDF page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(
        HeritageDocument, on_delete=models.CASCADE, related_name="pages"
    )
    master_file = models.ForeignKey(
        MasterFile, on_delete=models.CASCADE, related_name="pages"
    )
    sequence = models.PositiveIntegerField()
    page_in_file = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=255, blank=True)
    # Size of the page as shown (after EXIF orientation), stored at ingest so
    # IIIF responses never read the image to learn it.
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    pyramid_path = models.CharField(max_length=1000, blank=True)
    pyramid_size = models.BigIntegerField(default=0)
    thumbnail_path = models.CharField(max_length=1000, blank=True)
    thumbnail_width = models.PositiveIntegerField(default=0)
    thumbnail_height = models.PositiveIntegerField(default=0)
    derived_from_sha256 = models.CharField(max_length=64, blank=True)
    ocr_text = models.TextField(blank=True)
    ocr_lines = models.JSONField(default=list, blank=True)
    ocr_languages = models.CharField(max_length=100, blank=True)
    ocr_status = models.CharField(max_length=16, blank=True)
    ocr_message = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sequence"], name="unique_page_seq"
            ),
        ]

    def __str__(self):
        return f"{self.document.identifier} p.{self.sequence}"

    @property
    def image_id(self):
        return str(self.id)
