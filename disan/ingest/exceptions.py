"""Errors raised while a batch is discovered, identified and described."""

from disan.core.exceptions import DisanError


class IngestError(DisanError):
    """Base class of the errors of the ingest app."""


class RejectedFile(IngestError, ValueError):
    """A file that cannot be ingested, with a stable ``code`` for reports.

    Codes: ``empty``, ``unreadable``, ``unsupported_format``,
    ``extension_mismatch``, ``too_large``, ``file_too_large``, ``corrupt``,
    ``encrypted``, ``too_many_pages``.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return self.message


class BatchPathError(IngestError, ValueError):
    """The path given to ``disan ingest`` is missing or not usable."""


class MetadataError(IngestError, ValueError):
    """Descriptive metadata that cannot be used, with every problem found.

    ``errors`` is a list of ``(field, message)`` pairs; ``source`` names the
    file (and row) the metadata came from.
    """

    def __init__(self, source, errors):
        self.source = source
        self.errors = list(errors)
        lines = "; ".join(f"{field}: {message}" for field, message in self.errors)
        super().__init__(f"{source}: {lines}")
