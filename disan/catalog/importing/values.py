"""Read one cell of an inventory into the value a model field takes.

Each reader takes the cell's text (NFC, stripped, never empty) and returns
the value, or raises :class:`CellError` whose message says what is wrong and
how to write it. Lookups of related records go through a
:class:`Lookups` cache, so an inventory of 100,000 rows naming ten holding
units makes ten queries.
"""

import dataclasses
import re
import unicodedata
from functools import cache, lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from disan.catalog.dates import DateError, check_not_future, parse_date
from disan.catalog.validation import edtf_days
from disan.catalog.vocabularies import LANGUAGES
from disan.core.text import strip_diacritics, unique_words

# Control characters other than tab and newline (C0, DEL and C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class CellError(ValueError):
    """A cell whose value cannot be read; the message says how to fix it."""


def fold(text):
    """Return ``text`` for comparing names: NFC, casefolded, spaces single."""
    text = unicodedata.normalize("NFC", str(text)).casefold().replace("_", " ")
    return " ".join(text.split())


def bare(text):
    """Return :func:`fold` of ``text`` without diacritics (``đ`` -> ``d``)."""
    return strip_diacritics(fold(text))


# --- Plain values -------------------------------------------------------------


def text(limit):
    """Return a reader of free text at most ``limit`` characters long."""

    def read(value, lookups):
        if len(value) > limit:
            raise CellError(
                _("%(count)s characters, over the limit of %(limit)s")
                % {"count": len(value), "limit": limit}
            )
        if _CONTROL.search(value):
            raise CellError(_("contains control characters; retype the text"))
        return value

    return read


def integer(low, high):
    """Return a reader of a whole number from ``low`` to ``high``."""

    def read(value, lookups):
        cleaned = value.removesuffix(".0").strip()
        if not cleaned.lstrip("-").isdigit():
            raise CellError(_("'%(value)s' is not a whole number") % {"value": value})
        number = int(cleaned)
        if not low <= number <= high:
            raise CellError(
                _("%(number)s is not from %(low)s to %(high)s")
                % {"number": number, "low": low, "high": high}
            )
        return number

    return read


def day(value, lookups):
    """Read a Gregorian day: 03/12/1867, 1867-12-03 or ngày 3 tháng 12 năm 1867."""
    value = value.removesuffix(" 00:00:00")
    try:
        parsed = parse_date(value)
    except DateError as err:
        raise CellError(str(err)) from err
    span = edtf_days(parsed.edtf) if parsed.calendar == "gregorian" else None
    if span is None or span[0] != span[1]:
        raise CellError(
            _("'%(value)s' is not one day; write day/month/year (03/12/1867)")
            % {"value": value}
        )
    return span[0]


def written_date(value, lookups):
    """Read a date as written; return it with its EDTF form and year span.

    A document is made by now: a date wholly after this year is an error.
    Errors read in the active language.
    """
    parsed = _parse_date(value)
    if isinstance(parsed, DateError):
        raise CellError(str(parsed))
    try:
        check_not_future(parsed)
    except DateError as err:
        raise CellError(str(err)) from err
    return dataclasses.replace(parsed, warnings=list(parsed.warnings))


@lru_cache(maxsize=8192)
def _parse_date(value):
    """Return :func:`parse_date` of ``value``, or its :class:`DateError`.

    Inventories repeat the same dates many times; each is read once. The
    error is kept, not its text, so it reads in the language of each use.
    """
    try:
        return parse_date(value)
    except DateError as err:
        return err.with_traceback(None)


def boolean(value, lookups):
    """Read yes or no: có/không, x, yes/no, true/false, 1/0."""
    key = bare(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(
        _("'%(value)s' is neither yes nor no; write có or không") % {"value": value}
    )


_YES = {"co", "x", "yes", "true", "1", "dung"}
_NO = {"khong", "no", "false", "0", "sai"}


def words(limit):
    """Return a reader of a list of words or phrases separated by ``;``."""
    check = text(limit)

    def read(value, lookups):
        return unique_words(check(item, lookups) for item in value.split(";"))

    return read


# --- Controlled vocabularies --------------------------------------------------


def choice(choices, synonyms=None):
    """Return a reader of one of ``choices`` (a ``TextChoices``).

    A cell may give the code, the English label, the Vietnamese label, or
    one of ``synonyms`` (code -> names), with or without diacritics. The
    reader's ``labels`` maps each code to the name an export writes under
    Vietnamese headers: its first Vietnamese synonym, which it reads back.
    """
    labels = {
        code: _capitalized(next((name for name in others if not name.isascii()), code))
        for code, others in (synonyms or {}).items()
    }

    @cache
    def names():
        table = {}
        for code, label in choices.choices:
            for name in (code, *_labels(label), *(synonyms or {}).get(code, ())):
                table.setdefault(fold(name), code)
                table.setdefault(bare(name), code)
        return table

    def read(value, lookups):
        found = names().get(fold(value)) or names().get(bare(value))
        if found is None:
            if (translation.get_language() or "").startswith("vi"):
                names_ = [labels.get(code, code) for code in choices.values]
            else:
                names_ = list(choices.values)
            raise CellError(
                _("'%(value)s' is not one of: %(choices)s (or their Vietnamese names)")
                % {"value": value, "choices": ", ".join(names_)}
            )
        return found

    read.labels = labels
    return read


def _capitalized(name):
    return name[:1].upper() + name[1:]


def _labels(label):
    labels = {str(label)}
    for language in ("en", "vi"):
        with translation.override(language):
            labels.add(str(label))
    return labels


LANGUAGE_SYNONYMS = {
    "vi": ["vie", "tiếng việt", "việt", "quốc ngữ"],
    "lzh": ["hán", "hán văn", "chữ hán", "văn ngôn", "literary chinese"],
    "nom": ["nôm", "chữ nôm"],
    "zh": ["zho", "chi", "tiếng trung", "tiếng hoa"],
    "fr": ["fra", "fre", "tiếng pháp"],
    "en": ["eng", "tiếng anh"],
}
SCRIPT_NAMES = {
    "Latn": ["latn", "latinh", "la tinh", "quốc ngữ", "chữ quốc ngữ"],
    "Hani": ["hani", "hán", "chữ hán", "nôm", "chữ nôm", "hán nôm"],
    "Hant": ["hant", "phồn thể", "hán phồn thể"],
    "Hans": ["hans", "giản thể", "hán giản thể"],
}


def codes(known):
    """Return a reader of a list of codes separated by ``;`` ``,`` or ``/``.

    ``known`` maps each code to other names for it. Two names written as
    one ("Hán Nôm") are read as both codes when each is known.
    """

    @cache
    def names():
        table = {}
        for code, others in known().items():
            for name in (code, *others):
                table.setdefault(fold(name), code)
                table.setdefault(bare(name), code)
        return table

    def read(value, lookups):
        found = []
        for item in value.replace(";", ",").replace("/", ",").split(","):
            item = fold(item)
            if not item:
                continue
            code = names().get(item) or names().get(bare(item))
            group = [code] if code else _pair(item, names())
            if not group:
                accepted = ", ".join(sorted(set(names().values())))
                raise CellError(
                    _("unknown value '%(value)s'; use %(accepted)s")
                    % {"value": item, "accepted": accepted}
                )
            found += [code for code in group if code not in found]
        return found

    return read


def _pair(item, names):
    parts = item.split()
    if len(parts) == 2:
        found = [names.get(part) or names.get(bare(part)) for part in parts]
        if None not in found:
            return found
    return []


def language_names():
    table = {code: list(LANGUAGE_SYNONYMS.get(code, [])) for code in LANGUAGES}
    for code, label in LANGUAGES.items():
        table[code] += _labels(label)
    return table


def script_names():
    return SCRIPT_NAMES


# --- Related records ------------------------------------------------------------


class Lookups:
    """Related records found by name or code, cached for one import."""

    def __init__(self):
        self.units, self.collections, self.files = {}, {}, {}
        self.known_units, self.fonds_found, self.series_found = {}, {}, {}
        # Names of the holding units this import made, in order.
        self.new_units = []

    def holding_unit(self, value):
        from disan.catalog.models import HoldingUnit
        from disan.catalog.services import holding_unit_named

        key = fold(value)
        if key not in self.units:
            unit = HoldingUnit.objects.filter(code=value).first()
            self.units[key] = unit or holding_unit_named(value, self.new_units)
        return self.units[key]

    def collection(self, value):
        from disan.catalog.models import Collection

        if value not in self.collections:
            self.collections[value] = (
                Collection.objects.filter(slug=value).first()
                or Collection.objects.filter(title=value).first()
            )
        if self.collections[value] is None:
            raise CellError(
                _(
                    "no collection '%(value)s'; give the slug of an existing "
                    "collection, or create it in the staff interface first"
                )
                % {"value": value}
            )
        return self.collections[value]

    def archival_file(self, value):
        from disan.catalog.models import ArchivalFile

        if value not in self.files:
            self.files[value] = (
                ArchivalFile.objects.select_related("fonds__holding_unit")
                .filter(file_code=value)
                .first()
            )
        if self.files[value] is None:
            raise CellError(
                _(
                    "no archival file with the code '%(value)s'; create the file "
                    "first or correct the code (agency code.year.number)"
                )
                % {"value": value}
            )
        return self.files[value]

    def existing_unit(self, value):
        from disan.catalog.models import HoldingUnit

        if value not in self.known_units:
            self.known_units[value] = (
                HoldingUnit.objects.filter(code=value).first()
                or HoldingUnit.objects.filter(name=value).first()
            )
        if self.known_units[value] is None:
            raise CellError(
                _(
                    "no holding unit '%(value)s'; give the code or name of an "
                    "existing unit"
                )
                % {"value": value}
            )
        return self.known_units[value]

    def fonds(self, code, unit=None):
        """Return the fonds numbered ``code`` (of ``unit``, when given)."""
        from disan.catalog.models import Fonds

        key = (code, unit.pk if unit is not None else None)
        if key not in self.fonds_found:
            found = Fonds.objects.select_related("holding_unit").filter(code=code)
            if unit is not None:
                found = found.filter(holding_unit=unit)
            self.fonds_found[key] = list(found[:5])
        found = self.fonds_found[key]
        if not found:
            if unit is not None:
                message = _(
                    "no fonds '%(code)s' held by %(unit)s; create the fonds in "
                    "the staff interface first or correct its number"
                )
            else:
                message = _(
                    "no fonds '%(code)s'; create the fonds in the staff "
                    "interface first or correct its number"
                )
            raise CellError(message % {"code": code, "unit": unit.name if unit else ""})
        if len(found) > 1:
            units = ", ".join(fonds.holding_unit.name for fonds in found)
            raise CellError(
                _(
                    "fonds '%(code)s' is held by more than one unit (%(units)s); "
                    "add a 'Đơn vị lưu giữ' (holding unit) column to say which"
                )
                % {"code": code, "units": units}
            )
        return found[0]

    def series(self, fonds, code):
        """Return the series ``code`` of ``fonds``."""
        from disan.catalog.models import Series

        key = (fonds.pk, code)
        if key not in self.series_found:
            self.series_found[key] = Series.objects.filter(
                fonds=fonds, code=code
            ).first()
        if self.series_found[key] is None:
            raise CellError(
                _(
                    "no series '%(code)s' in fonds '%(fonds)s'; create the series "
                    "in the staff interface first or correct its code"
                )
                % {"code": code, "fonds": fonds.code}
            )
        return self.series_found[key]


def holding_unit(value, lookups):
    """Read a holding unit by code or name; a new name makes a new unit."""
    if len(value) > 255:
        raise CellError(_("longer than 255 characters"))
    return lookups.holding_unit(value)


def existing_unit(value, lookups):
    """Read an existing holding unit by code or name; never make one."""
    return lookups.existing_unit(value)


def collection(value, lookups):
    """Read a collection by slug or title."""
    return lookups.collection(value)


def archival_file(value, lookups):
    """Read an archival file by its file code."""
    return lookups.archival_file(value)
