"""Background work on profiles: report PDFs, re-scoring in chunks, retention and its notices."""

from datetime import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from profiles import pdf_services, privacy, private_link, services
from profiles.models import Profile
from relcap.jobs.engine import RelcapTask, once


@shared_task(base=RelcapTask)
def make_report_pdf(*, snapshot_id: int, support_url: str) -> None:
    # Idempotent by its own key: one stored PDF per snapshot and copy version.
    pdf_services.make_report_pdf(snapshot_id=snapshot_id, support_url=support_url)


@shared_task(base=RelcapTask, bind=True)
def rescore_chunk(self: RelcapTask, *, profile_ids: list[int], rules_version: str) -> int:
    """Add one snapshot scored with `rules_version` to each profile, all in one transaction."""
    with once(self) as first:
        if not first:
            return 0
        profiles = Profile.objects.filter(pk__in=profile_ids, submitted_at__isnull=False)
        for profile in profiles.order_by("pk"):
            services.rescore_profile(profile=profile, rules_version=rules_version)
        return len(profile_ids)


@shared_task(base=RelcapTask)
def apply_retention() -> str:
    """The daily retention run (celery beat); deleting again what is gone already is harmless."""
    return privacy.apply_retention(now=timezone.now()).summary()


@shared_task(base=RelcapTask)
def send_deletion_notice(*, user_id: int, last_used_at: str, decided_at: str) -> bool:
    """Record and send one deletion notice (`decided_at`: the retention run that found it due);
    the record, unique per account and last use, is what makes a redelivered task send nothing
    twice."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    return privacy.notify_deletion(
        user=user,
        last_used=datetime.fromisoformat(last_used_at),
        now=datetime.fromisoformat(decided_at),
    )


@shared_task(base=RelcapTask)
def sweep_orphan_pdfs() -> int:
    return pdf_services.sweep_orphan_pdfs()


@shared_task(base=RelcapTask, bind=True)
def send_private_link(
    self: RelcapTask, *, public_id: str, email: str, base_url: str, language: str = ""
) -> bool:
    """Mail an anonymous profile's private link once per task id, in the interface language it
    was asked for in. `email` lives only in this task's arguments (in the broker until a worker
    has run it), never in a model."""
    with once(self) as first, translation.override(language or None):
        if not first:
            return False
        return private_link.send_link_mail(public_id=public_id, email=email, base_url=base_url)
