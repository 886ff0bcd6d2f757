"""Errors about BagIt bags: invalid bags and unsafe zip files."""

from disan.core.exceptions import DisanError


class BagInvalid(DisanError, ValueError):
    """A bag failed validation; ``report`` carries every finding."""

    def __init__(self, message, report=None):
        super().__init__(message)
        self.report = report


class UnsafeArchive(DisanError, ValueError):
    """A zip file cannot be unpacked safely (traversal, link, bomb, damage)."""
