"""The accounts app: failed password checks per account name, and each person's language."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relcap.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from relcap.accounts.language import apply_stored_language

        user_logged_in.connect(apply_stored_language, dispatch_uid="relcap-stored-language")
