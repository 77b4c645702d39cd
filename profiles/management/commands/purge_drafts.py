"""Delete unsubmitted questionnaires untouched for 30 days (ASSESSMENT.md §7.4)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from profiles import services


class Command(BaseCommand):
    help = "Delete unsubmitted drafts whose last activity is more than 30 days old."

    def handle(self, *args, **options) -> None:
        deleted = services.purge_stale_drafts(now=timezone.now())
        self.stdout.write(f"Purged {deleted} rows of stale drafts")
