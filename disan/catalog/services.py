"""Create and update catalog records from ingest metadata."""

import logging

from django.db import transaction
from django.utils.text import slugify

from disan.catalog.dates import DateError, parse_date
from disan.catalog.models import HeritageDocument, HoldingUnit
from disan.core.text import nfc, strip_diacritics

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = (
    "title",
    "original_title",
    "doc_type",
    "date_written",
    "year_start",
    "year_end",
    "languages",
    "scripts",
    "heritage_status",
    "access_level",
    "reading_direction",
    "description",
)


def unit_code(name):
    """Return a stable ASCII code for a unit's name (``Đơn vị`` -> ``don-vi``)."""
    return slugify(strip_diacritics(name))[:64] or "unit"


def holding_unit_named(name, created=None):
    """Return the holding unit called ``name``, creating it on first use.

    The name of a unit created is appended to the list ``created``, so the
    caller can say so: a misspelt name makes a unit of its own.
    """
    if not name:
        return None
    name = nfc(name).strip()
    unit = HoldingUnit.objects.filter(name=name).first()
    if unit is None:
        unit, new = HoldingUnit.objects.get_or_create(
            code=unit_code(name), defaults={"name": name}
        )
        if new and created is not None:
            created.append(name)
    return unit


def _normalized_date(written):
    """EDTF and year range of a written date; nothing when it cannot be read."""
    try:
        parsed = parse_date(written)
    except DateError:
        return {"date_edtf": ""}
    if parsed is None:
        return {"date_edtf": ""}
    return {
        "date_edtf": parsed.edtf,
        "year_start": parsed.year_start,
        "year_end": parsed.year_end,
    }


@transaction.atomic
def upsert_document(metadata, new_units=None):
    """Create or update the document named by ``metadata["identifier"]``.

    Returns ``(document, changed)``, ``changed`` naming the fields written:
    every field of a new record, none of one whose fields already match
    (it is not saved, so ingesting the same batch twice changes nothing). A
    holding unit made for it is named in the list ``new_units``.
    """
    identifier = nfc(metadata["identifier"]).strip()
    values = {
        field: metadata.get(field) for field in DOCUMENT_FIELDS if field in metadata
    }
    values = {
        key: ("" if value is None and key not in ("year_start", "year_end") else value)
        for key, value in values.items()
    }
    values["holding_unit"] = holding_unit_named(
        metadata.get("holding_unit") or "", new_units
    )
    values.update(_normalized_date(values.get("date_written") or ""))

    document = HeritageDocument.objects.filter(identifier=identifier).first()
    if document is None:
        document = HeritageDocument.objects.create(identifier=identifier, **values)
        logger.info("Document %s created as %s", identifier, document.pk)
        return document, list(values)

    changed = [key for key, value in values.items() if getattr(document, key) != value]
    if changed:
        for key in changed:
            setattr(document, key, values[key])
        document.save()
        logger.info("Document %s updated: %s", document.pk, ", ".join(changed))
    return document, changed
