"""The Celery app. Beat schedule and options live in settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("klimanetz")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id travels with each task; tasks are counted by name and outcome; worker nodes serve their metrics.
import observability.tasks  # noqa: E402,F401 (connects Celery's signals, in web processes and workers)
