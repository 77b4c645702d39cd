"""relcap's Django project; the Celery app is loaded with it so that tasks bind to it."""

from relcap.celery import app as celery_app

__all__ = ("celery_app",)
