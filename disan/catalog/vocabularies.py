"""Controlled vocabularies of the catalog: carriers, retention, languages.

The national list of document types is data (``data/document_types.csv``,
with the source of each entry) so archivists can read and extend it without
touching code; the short lists below are fixed by law and live as choices.
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from disan.core.text import nfc

DATA = Path(__file__).resolve().parent / "data"


class CarrierType(models.TextChoices):
    """What carries the heritage (Law on Cultural Heritage 2024)."""

    LEAF = "leaf", _("Script on leaf")
    BONE = "bone", _("Script on bone")
    WOOD = "wood", _("Script on wood")
    STONE = "stone", _("Script on stone")
    CERAMIC = "ceramic", _("Script on ceramic")
    PAPER = "paper", _("Script on paper")
    CLOTH = "cloth", _("Script on cloth")
    METAL = "metal", _("Script on metal")
    FILM = "film", _("Sound or image on film")
    PHOTO = "photo", _("Image on photograph")
    RECORDING = "recording", _("Sound or image recording")
    DIGITAL = "digital", _("Digital")
    OTHER = "other", _("Other carrier")


class Ownership(models.TextChoices):
    """Who owns a documentary heritage item."""

    STATE = "state", _("State")
    COLLECTIVE = "collective", _("Collective or community")
    PRIVATE = "private", _("Private")
    RELIGIOUS = "religious", _("Religious establishment")


class Retention(models.TextChoices):
    """How long an archival file is kept (Circular 05/2025/TT-BNV)."""

    PERMANENT = "permanent", _("Permanent")
    YEARS_70 = "70", _("70 years")
    YEARS_50 = "50", _("50 years")
    YEARS_30 = "30", _("30 years")
    YEARS_20 = "20", _("20 years")
    YEARS_10 = "10", _("10 years")
    OTHER = "other", _("Other period")


class Reliability(models.TextChoices):
    """Whether a file was born digital, digitized from paper, or both."""

    BORN_DIGITAL = "born_digital", _("Born digital")
    DIGITIZED = "digitized", _("Digitized from paper")
    MIXED = "mixed", _("Mixed")


class BackupStatus(models.TextChoices):
    """Whether a backup copy of the file has been made."""

    NOT_BACKED_UP = "not_backed_up", _("Not backed up")
    BACKED_UP = "backed_up", _("Backed up")


class PlaceKind(models.TextChoices):
    """Administrative units of Hanoi, present and historical."""

    CITY = "city", _("City")
    PROVINCE = "province", _("Province (tỉnh, trấn)")
    PREFECTURE = "prefecture", _("Prefecture (phủ)")
    DISTRICT = "district", _("District (quận, huyện, thị xã)")
    CANTON = "canton", _("Canton (tổng)")
    WARD = "ward", _("Ward (phường)")
    COMMUNE = "commune", _("Commune (xã, thị trấn)")
    VILLAGE = "village", _("Village (thôn, làng)")
    OTHER = "other", _("Other place")


# Language codes as ingest reads them (ISO 639; "nom" for Vietnamese written
# in Nôm characters, which has no code of its own).
LANGUAGES = {
    "vi": _("Vietnamese"),
    "lzh": _("Literary Chinese (Hán)"),
    "nom": _("Nôm"),
    "zh": _("Chinese"),
    "fr": _("French"),
    "en": _("English"),
}

# Script codes (ISO 15924) as ingest reads them; Nôm is written in Han
# characters, so it is "Hani".
SCRIPTS = {
    "Hani": _("Han characters (Hán, Nôm)"),
    "Latn": _("Latin (Quốc ngữ)"),
    "Hant": _("Traditional Han characters"),
    "Hans": _("Simplified Han characters"),
}

# Languages and scripts written in vertical columns read right to left: a
# document in one of them, with no reading direction given, reads right to
# left (ingest and import alike).
VERTICAL_LANGUAGES = {"lzh", "nom"}
VERTICAL_SCRIPTS = {"Hani", "Hant"}


def reads_vertically(languages, scripts):
    """Whether ``languages`` or ``scripts`` name a vertical (Hán, Nôm) text."""
    return bool(
        VERTICAL_LANGUAGES & set(languages or ())
        or VERTICAL_SCRIPTS & set(scripts or ())
    )


@dataclass(frozen=True)
class DocumentType:
    """One entry of the national list of document types."""

    code: str
    abbreviation: str
    name_vi: str
    name_en: str
    source: str


@cache
def document_types():
    """Return the national list of document types, keyed by code."""
    path = DATA / "document_types.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            DocumentType(**{k: nfc(v) for k, v in row.items()})
            for row in csv.DictReader(handle)
        ]
    return {row.code: row for row in rows}


def document_type_choices():
    """Return ``(code, "Vietnamese name")`` pairs for form fields."""
    return [(code, entry.name_vi) for code, entry in document_types().items()]
