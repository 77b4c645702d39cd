"""Create a local administrator for the quick start, once, and print how to sign in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

USERNAME = "admin"


class Command(BaseCommand):
    help = "In DEBUG mode, create a superuser 'admin' with a random password if none exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="where `make run` serves")

    def handle(self, *args, **options) -> None:
        url = f"http://127.0.0.1:{options['port']}/admin/"
        users = get_user_model().objects
        if not settings.DEBUG:
            self.stdout.write(
                "DEBUG is off: create administrators with `manage.py createsuperuser`."
            )
            return
        reset = f"`.venv/bin/python manage.py changepassword {USERNAME}`"
        if users.filter(is_superuser=True).exists():
            self.stdout.write(f"Admin: {url} (sign in with your existing administrator account)")
            self.stdout.write(f"Lost the password? Set a new one with {reset}.")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(USERNAME, email="", password=password)
        self.stdout.write(f"Admin: {url} user '{USERNAME}', password '{password}' (shown once)")
        self.stdout.write(f"Lost it later? Set a new one with {reset}.")
