"""What the commands that write a file do when it exists already."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def refuse_to_overwrite(path, force):
    """Refuse (exit status 2) to write over an existing file unless ``force``."""
    if not force and Path(path).exists():
        raise CommandError(
            _("%(file)s exists; give --force to overwrite it") % {"file": path},
            returncode=2,
        )
