"""Heritage documents, their pages and master files, and who holds them.

Besides documents this module holds the archival hierarchy (fonds, series,
file) of Circular 05/2025/TT-BNV, the heritage registry's history of status
decisions, and authority records (persons, organizations, places, subjects)
that descriptions link to.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disan.catalog.vocabularies import (
    BackupStatus,
    CarrierType,
    Ownership,
    PlaceKind,
    Reliability,
    Retention,
)
from disan.core.text import nfc


def _nfc_fields(instance, names):
    for name in names:
        setattr(instance, name, nfc(getattr(instance, name)))


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


def default_access_level():
    """The access level of a record made without one: DISAN_DEFAULT_ACCESS_LEVEL.

    Read when the record is made, so that nothing is published because
    nobody said otherwise ("conditional" unless the setting says more).
    """
    level = settings.DISAN_DEFAULT_ACCESS_LEVEL
    if level not in AccessLevel.values:
        raise ImproperlyConfigured(
            f"DISAN_DEFAULT_ACCESS_LEVEL is '{level}'; use "
            + ", ".join(AccessLevel.values)
        )
    return level


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

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    # Staff who describe this unit's records; they edit nothing of another
    # unit's (see disan.catalog.permissions).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff members"),
        blank=True,
        related_name="holding_units",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("holding unit")
        verbose_name_plural = _("holding units")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class Collection(models.Model):
    """A named group of documents shown together on the portal."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    holding_unit = models.ForeignKey(
        HoldingUnit,
        verbose_name=_("holding unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self):
        return self.title


# --- Authority records ------------------------------------------------------


class AuthorityRecord(models.Model):
    """A name controlled once and linked from many descriptions."""

    name = models.CharField(_("name"), max_length=500, db_index=True)
    alternate_names = models.JSONField(_("other names"), default=list, blank=True)
    external_id = models.CharField(
        _("identifier in another authority file"), max_length=255, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        _nfc_fields(self, ("name", "external_id", "note"))
        self.alternate_names = [nfc(name) for name in self.alternate_names or []]
        super().save(*args, **kwargs)


class Person(AuthorityRecord):
    """A person: author, signer, owner, or someone a document is about."""

    dates_written = models.CharField(
        _("life dates as written"), max_length=255, blank=True
    )
    history = HistoricalRecords()

    class Meta(AuthorityRecord.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("persons")


class Organization(AuthorityRecord):
    """A body: an agency, a court office, a village, a lineage, a temple."""

    dates_written = models.CharField(
        _("dates of existence as written"), max_length=255, blank=True
    )
    history = HistoricalRecords()

    class Meta(AuthorityRecord.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")


class Place(AuthorityRecord):
    """An administrative unit of Hanoi, present or historical.

    ``name`` is the name in use now (or last in use); earlier and later
    names with their validity dates are :class:`PlaceName` rows.
    """

    kind = models.CharField(
        _("kind of unit"),
        max_length=16,
        choices=PlaceKind.choices,
        default=PlaceKind.OTHER,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta(AuthorityRecord.Meta):
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def name_on(self, day):
        """Return the place's name on ``day`` (a date), or ``name``."""
        for entry in self.names.all():
            if (entry.valid_from is None or entry.valid_from <= day) and (
                entry.valid_to is None or day <= entry.valid_to
            ):
                return entry.name
        return self.name


class PlaceName(models.Model):
    """A name a place bore for a time, e.g. a district before a merger."""

    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        on_delete=models.CASCADE,
        related_name="names",
    )
    name = models.CharField(_("name"), max_length=500)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(
        _("source (decision or reference)"), max_length=500, blank=True
    )

    class Meta:
        ordering = ["place", "valid_from"]
        verbose_name = _("place name")
        verbose_name_plural = _("place names")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        _nfc_fields(self, ("name", "source"))
        super().save(*args, **kwargs)


class Subject(AuthorityRecord):
    """A subject heading, optionally under a broader one."""

    broader = models.ForeignKey(
        "self",
        verbose_name=_("broader subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrower",
    )
    history = HistoricalRecords()

    class Meta(AuthorityRecord.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class AuthorityLinks(models.Model):
    """The links from a description to authority records."""

    persons = models.ManyToManyField(
        Person, verbose_name=_("persons"), blank=True, related_name="%(class)ss"
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations"),
        blank=True,
        related_name="%(class)ss",
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), blank=True, related_name="%(class)ss"
    )
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("subjects"), blank=True, related_name="%(class)ss"
    )

    class Meta:
        abstract = True


# --- Archival description ---------------------------------------------------


class Fonds(models.Model):
    """All records of one creating body held by a unit (phông lưu trữ)."""

    holding_unit = models.ForeignKey(
        HoldingUnit,
        verbose_name=_("holding unit"),
        on_delete=models.PROTECT,
        related_name="fonds",
    )
    code = models.CharField(_("fonds number"), max_length=64)
    name = models.CharField(_("fonds name"), max_length=500)
    creator_history = models.TextField(_("history of the creating body"), blank=True)
    date_written = models.CharField(_("dates as written"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["holding_unit", "code"]
        verbose_name = _("fonds")
        verbose_name_plural = _("fonds")
        constraints = [
            models.UniqueConstraint(
                fields=["holding_unit", "code"], name="unique_fonds_code"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.name}"

    def save(self, *args, **kwargs):
        _nfc_fields(self, ("code", "name", "creator_history", "date_written", "note"))
        super().save(*args, **kwargs)


class Series(models.Model):
    """A group of files within a fonds, by function or subject."""

    fonds = models.ForeignKey(
        Fonds, verbose_name=_("fonds"), on_delete=models.PROTECT, related_name="series"
    )
    code = models.CharField(_("series code"), max_length=64)
    title = models.CharField(_("title"), max_length=1000)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["fonds", "code"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.UniqueConstraint(
                fields=["fonds", "code"], name="unique_series_code"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    def save(self, *args, **kwargs):
        _nfc_fields(self, ("code", "title", "note"))
        super().save(*args, **kwargs)


class ArchivalFile(AuthorityLinks):
    """A file (hồ sơ) with the file-level fields of Circular 05/2025/TT-BNV.

    ``file_code`` is ``agency_code.year.file_number`` and is made on save;
    :mod:`disan.catalog.validation` says which field is wrong and why.
    """

    fonds = models.ForeignKey(
        Fonds, verbose_name=_("fonds"), on_delete=models.PROTECT, related_name="files"
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )
    agency_code = models.CharField(_("agency code"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year of the file"))
    file_number = models.CharField(_("file number"), max_length=32)
    file_code = models.CharField(
        _("file code"), max_length=100, unique=True, editable=False
    )
    title = models.CharField(_("title"), max_length=1000)
    retention = models.CharField(
        _("retention period"),
        max_length=16,
        choices=Retention.choices,
        default=Retention.PERMANENT,
    )
    retention_note = models.CharField(
        _("retention period, if other"), max_length=255, blank=True
    )
    access_mode = models.CharField(
        _("access mode"),
        max_length=16,
        choices=AccessLevel.choices,
        default=default_access_level,
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    date_written = models.CharField(_("dates as written"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    document_count = models.PositiveIntegerField(_("number of documents"), default=0)
    sheet_count = models.PositiveIntegerField(_("number of sheets"), default=0)
    page_count = models.PositiveIntegerField(_("number of pages"), default=0)
    physical_condition = models.CharField(
        _("physical condition"), max_length=500, blank=True
    )
    information_sign = models.CharField(
        _("information sign"), max_length=255, blank=True
    )
    reliability = models.CharField(
        _("reliability"),
        max_length=16,
        choices=Reliability.choices,
        default=Reliability.BORN_DIGITAL,
    )
    paper_file_code = models.CharField(_("paper file code"), max_length=100, blank=True)
    backup_mode = models.BooleanField(_("kept under a backup regime"), default=False)
    backup_status = models.CharField(
        _("backup status"),
        max_length=16,
        choices=BackupStatus.choices,
        default=BackupStatus.NOT_BACKED_UP,
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["file_code"]
        verbose_name = _("archival file")
        verbose_name_plural = _("archival files")

    def __str__(self):
        return f"{self.file_code}: {self.title}"

    @property
    def holding_unit(self):
        return self.fonds.holding_unit

    def clean(self):
        from disan.catalog.validation import (
            check_archival_file,
            instance_values,
            raise_problems,
        )

        raise_problems(check_archival_file(instance_values(self)))

    def save(self, *args, **kwargs):
        from disan.catalog.validation import compose_file_code

        _nfc_fields(
            self,
            (
                "agency_code",
                "file_number",
                "title",
                "retention_note",
                "date_written",
                "physical_condition",
                "information_sign",
                "paper_file_code",
                "note",
            ),
        )
        self.keywords = [nfc(word) for word in self.keywords or []]
        self.file_code = compose_file_code(
            self.agency_code, self.year, self.file_number
        )
        super().save(*args, **kwargs)


class HeritageDocument(AuthorityLinks):
    """A documentary heritage item or archival document on record."""

    id = models.UUIDField(
        _("system ID"), primary_key=True, default=uuid.uuid4, editable=False
    )
    identifier = models.CharField(_("identifier"), max_length=255, unique=True)
    title = models.CharField(_("title"), max_length=1000)
    original_title = models.CharField(
        _("original-script title"), max_length=1000, blank=True
    )
    doc_type = models.CharField(_("type"), max_length=100, blank=True)
    date_written = models.CharField(_("date as written"), max_length=255, blank=True)
    # The written date, normalized (Extended Date/Time Format, ISO 8601-2).
    date_edtf = models.CharField(_("date (EDTF)"), max_length=255, blank=True)
    year_start = models.IntegerField(_("start year"), null=True, blank=True)
    year_end = models.IntegerField(_("end year"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    scripts = models.JSONField(_("scripts"), default=list, blank=True)
    holding_unit = models.ForeignKey(
        HoldingUnit,
        verbose_name=_("holding unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
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
        default=default_access_level,
        db_index=True,
    )
    reading_direction = models.CharField(
        _("reading direction"),
        max_length=16,
        choices=ReadingDirection.choices,
        default=ReadingDirection.LEFT_TO_RIGHT,
    )
    description = models.TextField(_("description"), blank=True)

    # Law on Cultural Heritage 2024: what a documentary heritage record says.
    carrier_type = models.CharField(
        _("carrier type"), max_length=16, choices=CarrierType.choices, blank=True
    )
    origin = models.TextField(_("origin"), blank=True)
    provenance = models.TextField(_("provenance"), blank=True)
    creation_time = models.CharField(_("time of creation"), max_length=255, blank=True)
    creation_manner = models.TextField(_("manner of creation"), blank=True)
    custody_history = models.TextField(_("custody history"), blank=True)
    owner = models.CharField(_("owner"), max_length=500, blank=True)
    ownership = models.CharField(
        _("form of ownership"), max_length=16, choices=Ownership.choices, blank=True
    )
    authenticity_note = models.TextField(_("authenticity"), blank=True)
    rarity_note = models.TextField(_("rarity"), blank=True)
    physical_condition = models.TextField(_("physical condition"), blank=True)
    storage_location = models.CharField(
        _("storage location"), max_length=500, blank=True
    )

    # Circular 05/2025/TT-BNV: the document level of an archival file.
    archival_file = models.ForeignKey(
        ArchivalFile,
        verbose_name=_("archival file"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    document_ordinal = models.PositiveIntegerField(
        _("ordinal in the file"), null=True, blank=True
    )
    document_type = models.CharField(_("document type"), max_length=16, blank=True)
    document_number = models.CharField(_("number"), max_length=64, blank=True)
    notation = models.CharField(_("notation"), max_length=128, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    signer = models.CharField(_("signer"), max_length=255, blank=True)

    status = models.CharField(
        _("processing status"),
        max_length=16,
        choices=DocumentStatus.choices,
        default=DocumentStatus.RECORDED,
        db_index=True,
    )
    ocfl_object_id = models.CharField(_("OCFL object"), max_length=255, blank=True)
    ocfl_version = models.CharField(_("OCFL version"), max_length=16, blank=True)
    page_count = models.PositiveIntegerField(_("page count"), default=0)
    byte_count = models.BigIntegerField(_("size in bytes"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords()

    # Fields that no restore of an earlier version from the history may
    # change: what ingest and the processing pipeline record about the stored
    # object (its state, OCFL object and version, extent, publication), and
    # the heritage status, which moves only through a recorded decision
    # (HeritageStatusChange). A revert keeps their current values and
    # restores the descriptive fields only.
    KEPT_ON_REVERT = (
        "status",
        "ocfl_object_id",
        "ocfl_version",
        "page_count",
        "byte_count",
        "created",
        "published",
        "heritage_status",
    )

    # Fields whose change must reach the search index (see signals.py).
    INDEXED_FIELDS = (
        "title",
        "original_title",
        "description",
        "doc_type",
        "holding_unit_id",
        "languages",
        "scripts",
        "year_start",
        "year_end",
        "access_level",
        "heritage_status",
        "status",
    )
    TEXT_FIELDS = (
        "identifier",
        "title",
        "original_title",
        "doc_type",
        "date_written",
        "description",
        "origin",
        "provenance",
        "creation_time",
        "creation_manner",
        "custody_history",
        "owner",
        "authenticity_note",
        "rarity_note",
        "physical_condition",
        "storage_location",
        "document_number",
        "notation",
        "issuing_body",
        "summary",
        "signer",
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("heritage document")
        verbose_name_plural = _("heritage documents")
        permissions = [
            ("view_conditional_document", "Can view documents with conditional access"),
            ("view_secret_document", "Can view secret documents"),
            ("change_heritage_status", "Can record heritage status decisions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["archival_file", "document_ordinal"],
                name="unique_document_ordinal",
            ),
        ]

    def __str__(self):
        return f"{self.identifier}: {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_indexed_values()
        return instance

    def remember_indexed_values(self):
        """Note the indexed fields as stored, to tell later what changed."""
        self._indexed_values = {
            name: self.__dict__.get(name) for name in self.INDEXED_FIELDS
        }

    def indexed_fields_changed(self):
        """Return the indexed fields that differ from when last loaded or saved.

        A document never loaded (new, or built by hand) has all of them.
        """
        stored = getattr(self, "_indexed_values", None)
        if stored is None:
            return list(self.INDEXED_FIELDS)
        return [
            name
            for name in self.INDEXED_FIELDS
            if self.__dict__.get(name) != stored.get(name)
        ]

    @property
    def document_code(self):
        """Return file code + 7-digit ordinal, or "" outside an archival file."""
        from disan.catalog.validation import compose_document_code

        if self.archival_file_id is None or self.document_ordinal is None:
            return ""
        return compose_document_code(
            self.archival_file.file_code, self.document_ordinal
        )

    def clean(self):
        from disan.catalog.validation import (
            check_document,
            instance_values,
            raise_problems,
        )

        raise_problems(check_document(instance_values(self)))

    def save(self, *args, **kwargs):
        _nfc_fields(self, self.TEXT_FIELDS)
        super().save(*args, **kwargs)

    @property
    def is_right_to_left(self):
        return self.reading_direction == ReadingDirection.RIGHT_TO_LEFT


class MasterFile(models.Model):
    """One file as received: kept unchanged in the OCFL object."""

    document = models.ForeignKey(
        HeritageDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="master_files",
    )
    sequence = models.PositiveIntegerField(_("file sequence"))
    filename = models.CharField(_("file name as received"), max_length=1000)
    logical_path = models.CharField(_("path in the OCFL object"), max_length=1000)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    size = models.BigIntegerField(_("size in bytes"))
    mime_type = models.CharField(_("media type (MIME)"), max_length=100)
    format_name = models.CharField(_("file format"), max_length=100)
    puid = models.CharField(_("PRONOM identifier (PUID)"), max_length=32, blank=True)
    width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    dpi = models.FloatField(_("resolution (dpi)"), null=True, blank=True)
    colour = models.CharField(_("colour mode"), max_length=32, blank=True)
    bits_per_sample = models.PositiveSmallIntegerField(
        _("bits per sample"), null=True, blank=True
    )
    page_count = models.PositiveIntegerField(_("pages in the file"), default=1)
    orientation = models.PositiveSmallIntegerField(_("orientation (EXIF)"), default=1)

    class Meta:
        ordering = ["document", "sequence"]
        verbose_name = _("master file")
        verbose_name_plural = _("master files")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "sequence"], name="unique_file_seq"
            ),
        ]

    def __str__(self):
        return self.logical_path


class Page(models.Model):
    """A canvas: one image of a document, from an image file or a PDF page."""

    id = models.UUIDField(
        _("system ID"), primary_key=True, default=uuid.uuid4, editable=False
    )
    document = models.ForeignKey(
        HeritageDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="pages",
    )
    master_file = models.ForeignKey(
        MasterFile,
        verbose_name=_("master file"),
        on_delete=models.CASCADE,
        related_name="pages",
    )
    sequence = models.PositiveIntegerField(_("page sequence"))
    page_in_file = models.PositiveIntegerField(_("page in the file"), default=0)
    label = models.CharField(_("label"), max_length=255, blank=True)
    # Size of the page as shown (after EXIF orientation), stored at ingest so
    # IIIF responses never read the image to learn it.
    width = models.PositiveIntegerField(_("width (px)"), default=0)
    height = models.PositiveIntegerField(_("height (px)"), default=0)
    pyramid_path = models.CharField(
        _("path of the tiled image"), max_length=1000, blank=True
    )
    pyramid_size = models.BigIntegerField(
        _("size of the tiled image in bytes"), default=0
    )
    thumbnail_path = models.CharField(
        _("path of the thumbnail"), max_length=1000, blank=True
    )
    thumbnail_width = models.PositiveIntegerField(_("thumbnail width (px)"), default=0)
    thumbnail_height = models.PositiveIntegerField(
        _("thumbnail height (px)"), default=0
    )
    derived_from_sha256 = models.CharField(
        _("SHA-256 of the source image"), max_length=64, blank=True
    )
    ocr_text = models.TextField(_("OCR text"), blank=True)
    ocr_lines = models.JSONField(_("OCR lines"), default=list, blank=True)
    ocr_languages = models.CharField(_("OCR languages"), max_length=100, blank=True)
    ocr_status = models.CharField(_("OCR status"), max_length=16, blank=True)
    ocr_message = models.TextField(_("OCR message"), blank=True)

    class Meta:
        ordering = ["document", "sequence"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
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


# --- Heritage registry ------------------------------------------------------


def decision_upload_path(instance, filename):
    """Keep decision files by document, under MEDIA_ROOT/heritage/decisions."""
    return f"heritage/decisions/{instance.document_id}/{nfc(filename)}"


class HeritageStatusChange(models.Model):
    """One decision that moved a document's heritage status, kept forever."""

    document = models.ForeignKey(
        HeritageDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("previous status"), max_length=32, choices=HeritageStatus.choices
    )
    to_status = models.CharField(
        _("new status"), max_length=32, choices=HeritageStatus.choices
    )
    decision_number = models.CharField(_("decision number"), max_length=128)
    decision_date = models.DateField(_("decision date"))
    issuing_authority = models.CharField(_("issuing authority"), max_length=500)
    decision_file = models.FileField(
        _("decision file"), upload_to=decision_upload_path, max_length=500
    )
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["document", "changed_at", "id"]
        verbose_name = _("heritage status decision")
        verbose_name_plural = _("heritage status decisions")

    def __str__(self):
        return f"{self.decision_number}: {self.from_status} → {self.to_status}"
