"""Storage of masters: the ObjectStore contract and the configured store.

``get_store()`` resolves the store from ``settings.DISAN_OCFL_ROOT`` when it
is called, not at import time, and keeps one store per root path.
"""

import threading
from pathlib import Path

from django.conf import settings

# First, before anything imports ocfl-py: see its docstring.
from disan.preservation.storage import _quiet_ocfl  # noqa: F401
from disan.preservation.storage.base import (
    FileEntry,
    ObjectStore,
    PutResult,
    ValidationReport,
)
from disan.preservation.storage.ocfl import OCFLStore

__all__ = [
    "FileEntry",
    "OCFLStore",
    "ObjectStore",
    "PutResult",
    "ValidationReport",
    "get_store",
]

_stores = {}
_stores_lock = threading.Lock()


def get_store() -> ObjectStore:
    """Return the store of masters for the current DISAN_OCFL_ROOT."""
    root = Path(settings.DISAN_OCFL_ROOT).absolute()
    with _stores_lock:
        store = _stores.get(root)
        if store is None:
            store = _stores[root] = OCFLStore(root)
    return store
