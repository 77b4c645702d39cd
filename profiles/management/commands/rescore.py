"""Re-score stored profiles: verify snapshots against their own rules, or write new ones."""

import time

from django.core.management.base import BaseCommand, CommandError

from assessments import scoring
from profiles import services, tasks
from profiles.models import Profile, ResultSnapshot
from relcap.jobs import engine
from relcap.jobs.models import TaskDone

DEFAULT_CHUNK = 250


class Command(BaseCommand):
    help = (
        "Re-score every submitted profile with the rules its newest snapshot names and report "
        "mismatches. With --write RULES, add a new snapshot scored with RULES (old ones stay), "
        "in chunks of profiles that the Celery workers share."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--write", metavar="RULES", help="e.g. score-1; adds snapshots")
        parser.add_argument(
            "--chunk-size", type=int, default=DEFAULT_CHUNK, help="profiles per task (--write)"
        )
        parser.add_argument(
            "--wait", action="store_true", help="with a broker: wait until every chunk is done"
        )

    def handle(self, *args, write: str | None = None, **options) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size must be at least 1")
        if write is not None and write not in scoring.RULES:
            raise CommandError(
                f"Unknown scoring rules {write!r}; known: {', '.join(scoring.RULES)}"
            )
        profiles = Profile.objects.filter(submitted_at__isnull=False).order_by("pk")
        if write:
            self.write_snapshots(profiles, write, options["chunk_size"], options["wait"])
            return
        checked, mismatched = 0, []
        for profile in profiles.iterator():
            snapshot = (
                ResultSnapshot.objects.filter(profile=profile)
                .order_by("-created_at", "-pk")
                .first()
            )
            checked += 1
            if services.recompute(snapshot=snapshot) != snapshot.data:
                mismatched.append(str(profile.public_id))
                self.stdout.write(f"MISMATCH {profile.public_id} ({snapshot.scoring_version})")
        self.stdout.write(f"Verified {checked} profiles: {len(mismatched)} mismatches")
        if mismatched:
            raise CommandError(f"{len(mismatched)} snapshots differ from a re-score")

    def write_snapshots(self, profiles, rules: str, chunk_size: int, wait: bool) -> None:
        """One task per chunk of profile ids: workers share them; without a broker they run
        here, one after the other."""
        started = time.monotonic()
        ids = list(profiles.values_list("pk", flat=True))
        chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
        task_ids = [
            engine.enqueue(
                tasks.rescore_chunk, inline=engine.NOW, profile_ids=c, rules_version=rules
            )
            for c in chunks
        ]
        if engine.uses_broker() and not wait:
            self.stdout.write(
                f"Queued {len(ids)} profiles in {len(chunks)} chunks for {rules}; "
                "the workers add the snapshots (earlier ones are kept)"
            )
            return
        done = wait_for(task_ids)
        seconds = time.monotonic() - started
        rescored = sum(len(c) for c, key in zip(chunks, task_ids, strict=True) if key in done)
        self.stdout.write(
            f"Rescored {rescored} profiles with {rules} in {len(done)} of {len(chunks)} chunks "
            f"({seconds:.1f} s); earlier snapshots kept"
        )
        if rescored < len(ids):
            raise CommandError(f"{len(chunks) - len(done)} chunks failed; see the task log")


def wait_for(task_ids: list[str], poll: float = 0.2) -> set[str]:
    """The chunks that have finished, once all have or none finished for a minute."""
    done: set[str] = set()
    last_progress = time.monotonic()
    while len(done) < len(task_ids) and time.monotonic() - last_progress < 60:
        now_done = set(TaskDone.objects.filter(key__in=task_ids).values_list("key", flat=True))
        if len(now_done) > len(done):
            last_progress = time.monotonic()
        done = now_done
        if len(done) < len(task_ids):
            time.sleep(poll)
    return done
