"""Apply the retention rules of ASSESSMENT.md §7.4; run once a day (cron or a scheduler)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from profiles import privacy


class Command(BaseCommand):
    help = (
        "Delete drafts untouched for 30 days, accounts unused for 24 months (deactivated ones "
        "too) and sign-ups never confirmed; e-mail one notice to accounts unused for 23 months. "
        "Run once a day; a re-run sends nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-notices",
            action="store_true",
            help="Delete as usual but send (and record) no notices.",
        )

    def handle(self, *args, **options) -> None:
        report = privacy.apply_retention(now=timezone.now(), notify=not options["no_notices"])
        self.stdout.write(report.summary())
