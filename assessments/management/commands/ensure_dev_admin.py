"""Create a local administrator for the quick start, once, and print how to sign in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "In DEBUG mode, create a superuser 'admin' with a random password if none exists."

    def handle(self, *args, **options) -> None:
        url = "http://127.0.0.1:8000/admin/"
        users = get_user_model().objects
        if not settings.DEBUG:
            self.stdout.write(
                "DEBUG is off: create administrators with `manage.py createsuperuser`."
            )
            return
        if users.filter(is_superuser=True).exists():
            self.stdout.write(f"Admin: {url} (sign in with your existing administrator account)")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser("admin", email="", password=password)
        self.stdout.write(f"Admin: {url} user 'admin', password '{password}' (shown once only)")
