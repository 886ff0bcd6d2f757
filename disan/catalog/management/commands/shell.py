"""``disan shell``: Django's shell, without the history models it cannot import.

django-simple-history's historical models (``HistoricalHeritageDocument``…)
name ``disan.catalog.models`` as their module but are not attributes of it,
so the shell's automatic imports listed them as failures at every start.
They are left out; reach them as ``HeritageDocument.history.model``.
"""

import importlib

from django.core.management.commands import shell


class Command(shell.Command):
    def get_auto_imports(self):
        return [path for path in super().get_auto_imports() if _importable(path)]


def _importable(path):
    module_name, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    return hasattr(module, name)
