"""App config for psychometric analysis: item statistics, §6 parameter sets, the research export.

It sits above `profiles` and `assessments` (it reads both); neither imports it.
"""

from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analysis"
    verbose_name = "Analysis"

    def ready(self) -> None:
        from analysis import signals  # noqa: F401  (connects the receivers)
