"""The Celery app: tasks go to a Redis broker when CELERY_BROKER_URL is set (relcap/jobs/)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcap.settings")

app = Celery("relcap")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every app's tasks.py; relcap.accounts is not an installed app, so it is named here.
app.autodiscover_tasks()
app.autodiscover_tasks(["relcap.accounts"])
