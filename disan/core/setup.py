"""Make the data folder and database ready before a command uses them."""

import logging
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)


def ensure_ready():
    """Create DISAN_HOME's folders and apply pending migrations, quietly."""
    for path in (
        settings.DISAN_HOME,
        settings.DISAN_OCFL_ROOT.parent,
        settings.DISAN_DERIVATIVES_ROOT,
        settings.DISAN_TRANSFERS_ROOT,
        settings.DISAN_SEARCH_INDEX.parent,
    ):
        path.mkdir(parents=True, exist_ok=True)
    # The embedded broker keeps its messages in folders it does not create.
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        logger.info("Applying database migrations in %s", settings.DISAN_HOME)
        call_command("migrate", interactive=False, verbosity=0)
