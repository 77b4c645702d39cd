"""App config of the task engine's own table (which tasks have finished)."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relcap.jobs"
    label = "jobs"
    verbose_name = "Background tasks"
