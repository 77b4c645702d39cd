from django.apps import AppConfig


class MomentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "moments"
    verbose_name = "Live moments"

    def ready(self) -> None:
        from moments import copy_previews, privacy, registry
        from moments.views.insight import practice_page_part
        from profiles.privacy import EXPORT_PARTS
        from profiles.views.account import ACCOUNT_SECTIONS

        EXPORT_PARTS["moments"] = privacy.export_part
        if "moments/_account_section.html" not in ACCOUNT_SECTIONS:
            ACCOUNT_SECTIONS.append("moments/_account_section.html")
        if practice_page_part not in registry.PRACTICE_PAGE_VIEWS:
            registry.PRACTICE_PAGE_VIEWS.append(practice_page_part)
        copy_previews.register()  # the copy editor's previews of the live-moments pages
