"""Re-score stored profiles: verify snapshots against their own rules, or write new ones."""

from django.core.management.base import BaseCommand, CommandError

from assessments import scoring
from profiles import services
from profiles.models import Profile, ResultSnapshot


class Command(BaseCommand):
    help = (
        "Re-score every snapshot of every submitted profile with the rules it names and report "
        "mismatches. With --write RULES, add a new snapshot scored with RULES (old ones stay)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", metavar="RULES", help="e.g. score-1; adds snapshots")

    def handle(self, *args, write: str | None = None, **options) -> None:
        if write is not None and write not in scoring.RULES:
            raise CommandError(
                f"Unknown scoring rules {write!r}; known: {', '.join(scoring.RULES)}"
            )
        profiles = Profile.objects.filter(submitted_at__isnull=False).order_by("pk")
        if write:
            count = sum(
                1
                for p in profiles.iterator()
                if services.rescore_profile(profile=p, rules_version=write)
            )
            self.stdout.write(f"Rescored {count} profiles with {write}; earlier snapshots kept")
            return
        checked, snapshots, mismatched = 0, 0, []
        for profile in profiles.iterator():
            checked += 1
            for snapshot in ResultSnapshot.objects.filter(profile=profile).order_by("pk"):
                snapshots += 1
                if services.recompute(snapshot=snapshot) != snapshot.data:
                    mismatched.append(str(profile.public_id))
                    self.stdout.write(f"MISMATCH {profile.public_id} ({snapshot.scoring_version})")
        self.stdout.write(
            f"Verified {checked} profiles ({snapshots} snapshots): {len(mismatched)} mismatches"
        )
        if mismatched:
            raise CommandError(f"{len(mismatched)} snapshots differ from a re-score")
