"""Disan: digitize, preserve, describe and publish documentary heritage."""

# Load the Celery application with Django, so every process that queues a
# job (the command line, the web server) sends it through Disan's broker
# and not Celery's default one.
from disan.celery import app as celery_app

__all__ = ["celery_app"]
__version__ = "0.1.0"
