"""Errors raised by text recognition (OCR) engines."""

from django.core.exceptions import ImproperlyConfigured

from disan.core.exceptions import DisanError


class OcrError(DisanError):
    """Text recognition could not be done."""


class OcrUnavailable(OcrError, ImproperlyConfigured):
    """The engine or its language data is not installed on this machine.

    Pages are then left without text, not failed: installing the missing
    package and running OCR again fixes them.
    """


class OcrFailed(OcrError, RuntimeError):
    """The engine ran but could not read a page (crash, timeout, bad file)."""
