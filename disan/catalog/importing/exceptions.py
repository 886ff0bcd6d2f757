"""Errors of bulk import: a file that cannot be read as an inventory."""

from disan.core.exceptions import DisanError


class InventoryFileError(DisanError, ValueError):
    """An inventory file that cannot be read at all; the message says why.

    ``source`` names the file; ``location`` says where (a line, a cell, a
    column), when known.
    """

    def __init__(self, source, message, location=""):
        self.source = source
        self.location = location
        where = f"{source}, {location}" if location else source
        super().__init__(f"{where}: {message}")


class InventoryInvalid(DisanError, ValueError):
    """Raised inside the import transaction to roll back an invalid import."""
