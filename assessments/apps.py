"""App config for the instrument: dimensions, versions, items and report copy."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Questionnaire"

    def ready(self) -> None:
        from assessments import system_checks  # noqa: F401 - registers the checks
