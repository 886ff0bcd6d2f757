"""Errors of package export."""

from django.core.exceptions import ObjectDoesNotExist

from disan.core.exceptions import DisanError


class ExportError(DisanError, ValueError):
    """A package cannot be written as asked."""


class DocumentNotFound(DisanError, ObjectDoesNotExist):
    """No document has the identifier or uuid given to export."""
