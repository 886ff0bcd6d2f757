"""The ``disan`` command: Django's management commands under one name."""

import os
import sys

# Commands that need no database, or manage its tables themselves.
_WITHOUT_DATABASE = {
    "bag",
    "check",
    "compilemessages",
    "help",
    "makemessages",
    "makemigrations",
    "migrate",
    "showmigrations",
    "sqlmigrate",
    "squashmigrations",
    "version",
}


def main(argv=None):
    """Run a Disan command (``disan ingest``, ``disan serve``, ``disan worker``...).

    A command that reads the database finds its data folder and tables
    ready, even on a data folder that has none yet.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else list(argv)
    if needs_database(args):
        import django

        from disan.core.setup import ensure_ready

        django.setup()
        ensure_ready()
    execute_from_command_line(["disan", *args])


def needs_database(args):
    """Return True unless ``args`` name no command or one of _WITHOUT_DATABASE."""
    if not args or args[0].startswith("-"):
        return False
    if any(arg in ("-h", "--help", "--version") for arg in args[1:]):
        return False
    return args[0] not in _WITHOUT_DATABASE


if __name__ == "__main__":
    main()
