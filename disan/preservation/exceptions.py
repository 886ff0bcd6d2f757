"""Errors raised by the preservation app: OCFL storage and events.

Each class also subclasses the nearest builtin or Django category, so a
caller that only knows ``OSError`` or ``ValueError`` still catches it.
"""

from django.core.exceptions import ImproperlyConfigured

from disan.core.exceptions import DisanError


class StorageError(DisanError, OSError):
    """The storage root or an object in it could not be read or written."""

    def __init__(self, message):
        # One argument keeps OSError from reading it as (errno, strerror).
        super().__init__(message)


class StorageConfigurationError(DisanError, ImproperlyConfigured):
    """The storage root setting points somewhere Disan cannot use."""


class ObjectNotFound(StorageError, FileNotFoundError):
    """No OCFL object with the given id exists in the storage root."""


class ContentNotFound(StorageError, FileNotFoundError):
    """The head version of an object has no file at the given logical path."""


class ObjectCorrupted(StorageError):
    """An existing OCFL object is not valid, so no version is added to it."""


class SourceFileError(StorageError):
    """A file given to ``put`` is missing, unreadable or changed while read."""


class InvalidPut(DisanError, ValueError):
    """The arguments of ``put`` cannot form an OCFL version."""


class InvalidEvent(DisanError, ValueError):
    """A preservation event names an unknown type or outcome."""


class ReplicaConfigurationError(StorageConfigurationError):
    """DISAN_REPLICAS names a location Disan cannot use as a replica."""


class RestoreError(StorageError):
    """A copy of a file written during replication or repair did not verify."""


class ReplicaUnavailable(StorageError):
    """A replica's bucket cannot be reached, or refuses Disan's requests."""


class ReplicaFileNotFound(StorageError, FileNotFoundError):
    """A replica's bucket holds no object under the key asked for."""


class ReplicaConflict(StorageError):
    """A replica holds other bytes where a write would have to overwrite them."""


class UnknownObject(DisanError, ValueError):
    """An object asked for by name is neither a document nor a stored object."""
