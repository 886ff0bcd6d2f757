"""Full-text search of heritage documents that gets Vietnamese right.

:func:`get_backend` returns the backend named by ``DISAN_SEARCH_BACKEND``
for the index at ``DISAN_SEARCH_INDEX``, both read when it is called, so a
test or a command can point it elsewhere. One backend object is kept per
(class, path); it opens one connection per thread and process itself.
"""

import threading
from pathlib import Path

_backends = {}
_lock = threading.Lock()


def get_backend():
    """Return the configured search backend (a ``SearchBackend``)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from disan.search.exceptions import SearchConfigurationError

    dotted = settings.DISAN_SEARCH_BACKEND
    path = Path(settings.DISAN_SEARCH_INDEX).resolve()
    key = (dotted, path)
    with _lock:
        backend = _backends.get(key)
        if backend is None:
            try:
                backend_class = import_string(dotted)
            except ImportError as err:
                raise SearchConfigurationError(
                    f"DISAN_SEARCH_BACKEND {dotted!r} cannot be imported ({err}); "
                    "give the dotted path of a SearchBackend class, e.g. "
                    "disan.search.backends.sqlite_fts.SQLiteFTSBackend."
                ) from err
            backend = _backends[key] = backend_class(path)
    return backend
