"""App config for people's attempts, answers and scored profiles."""

from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profiles"
    verbose_name = "Profiles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from profiles import private_link

        user_logged_in.connect(private_link.keep_on_sign_in, dispatch_uid="relcap-keep-profile")
