"""The accounts app: its one model counts failed password checks per account name."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "relcap.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
