"""Errors raised by the search app."""

from django.core.exceptions import ImproperlyConfigured

from disan.core.exceptions import DisanError


class SearchError(DisanError):
    """Base class of search errors."""


class SearchConfigurationError(SearchError, ImproperlyConfigured):
    """DISAN_SEARCH_BACKEND or DISAN_SEARCH_INDEX cannot be used."""


class SearchIndexError(SearchError, RuntimeError):
    """The index file cannot be opened, read or written."""


class InvalidDocumentError(SearchError, ValueError):
    """A document given to the index is missing a field or has a bad one."""


class InvalidQueryError(SearchError, ValueError):
    """A search call has an unknown filter, or a bad offset or limit.

    Never raised for the text of a query: any text a user types is
    searched, or gives no results.
    """
