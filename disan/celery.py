"""The Celery application that runs Disan's background jobs."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disan.settings")

app = Celery("disan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
