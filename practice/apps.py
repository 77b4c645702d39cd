from django.apps import AppConfig


class PracticeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practice"
    verbose_name = "Practitioners and sharing"

    def ready(self) -> None:
        from moments import registry
        from practice import copy_previews, privacy, signals  # noqa: F401  (signals: deletion)
        from practice.views import agreed_practice_part
        from profiles.privacy import EXPORT_PARTS
        from profiles.views.account import ACCOUNT_SECTIONS

        EXPORT_PARTS["practice"] = privacy.export_part
        if "practice/_account_section.html" not in ACCOUNT_SECTIONS:
            ACCOUNT_SECTIONS.append("practice/_account_section.html")
        if agreed_practice_part not in registry.PRACTICE_PAGE_PARTS:
            registry.PRACTICE_PAGE_PARTS.append(agreed_practice_part)
        copy_previews.register()  # the copy editor's previews of the brief and organisations
