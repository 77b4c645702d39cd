"""Rebuild the kept statistics' sums from the answers, for one version or all of them."""

from django.core.management.base import BaseCommand, CommandError

from analysis import maintenance
from assessments.models import InstrumentVersion


class Command(BaseCommand):
    help = "Rebuild the item statistics' sums from scratch (all published and retired versions)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--instrument", dest="label", help="only this instrument version, e.g. 1.0"
        )

    def handle(self, *args, label: str | None = None, **options) -> None:
        if label is None:
            groups = maintenance.rebuild_all()
        else:
            instrument = InstrumentVersion.objects.filter(version=label).first()
            if instrument is None:
                raise CommandError(f"No instrument version {label}.")
            groups = maintenance.rebuild(instrument)
        self.stdout.write(f"Rebuilt {groups} sample groups.")
