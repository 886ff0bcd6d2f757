"""Errors of the catalog: invalid descriptions, refused changes."""

from django.core.exceptions import PermissionDenied, ValidationError

from disan.core.exceptions import DisanError


class CatalogValidationError(DisanError, ValidationError):
    """A description breaks one or more rules; ``problems`` lists each.

    It is a Django ``ValidationError`` keyed by field, so forms and the
    staff interface show each message beside its field.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        by_field = {}
        for problem in self.problems:
            by_field.setdefault(problem.field, []).append(problem.as_error())
        super().__init__(by_field)


class CatalogPermissionDenied(DisanError, PermissionDenied):
    """The user may not make this change to this record."""


class StatusChangeError(DisanError, ValueError):
    """A heritage status change that the registry's rules do not allow."""


class MergeError(DisanError, ValueError):
    """Authority records that cannot be merged (e.g. of different kinds)."""
