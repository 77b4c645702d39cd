"""Background work of the practice area: invitation e-mails and reminders to share (each sent
once per task id), the notice of a new share (once per share), brief PDFs, and deleting the
notes of connections ended 30 days ago."""

from celery import shared_task

from practice import mail, services
from relcap.jobs.engine import RelcapTask, once


@shared_task(base=RelcapTask, bind=True)
def send_invitation(self: RelcapTask, *, invitation_id: int, base_url: str, reminder: bool) -> bool:
    with once(self) as first:
        if not first:
            return False
        return mail.send_invitation_mail(
            invitation_id=invitation_id, base_url=base_url, reminder=reminder
        )


@shared_task(base=RelcapTask, bind=True)
def send_share_reminder(self: RelcapTask, *, reminder_id: int, base_url: str) -> bool:
    """One reminder to share (§5); the cap was counted when it was recorded."""
    with once(self) as first:
        if not first:
            return False
        return mail.send_share_reminder_mail(reminder_id=reminder_id, base_url=base_url)


@shared_task(base=RelcapTask)
def notify_share(*, share_id: int, base_url: str = "") -> bool:
    """The practitioner's content-free e-mail about a new share, once per share (its
    `notified_at`, set as it sends), however often the task runs."""
    return mail.send_share_notice_mail(share_id=share_id, base_url=base_url)


@shared_task(base=RelcapTask)
def share_future_profile(*, profile_id: int) -> int:
    """§4 "share my future profiles" for one new submission; a share per connection exists at
    most once (get_or_create), so a retried or redelivered task shares nothing twice."""
    from profiles.models import Profile

    profile = Profile.objects.filter(pk=profile_id, submitted_at__isnull=False).first()
    return 0 if profile is None else services.share_future_profile(profile=profile)


@shared_task(base=RelcapTask, bind=True)
def send_organisation_invitation(self: RelcapTask, *, invitation_id: int, base_url: str) -> bool:
    """An organisation's invitation to a practitioner, sent once per task id."""
    with once(self) as first:
        if not first:
            return False
        return mail.send_organisation_invitation_mail(
            invitation_id=invitation_id, base_url=base_url
        )


@shared_task(base=RelcapTask)
def make_brief_pdf(*, practitioner_id: int, connection_public_id: str) -> None:
    """Idempotent by its own key: one stored brief PDF per connection and set of inputs."""
    from practice import brief_pdf

    brief_pdf.make_brief_pdf(
        practitioner_id=practitioner_id, connection_public_id=connection_public_id
    )


@shared_task(base=RelcapTask)
def sweep_orphan_brief_pdfs() -> int:
    from practice import brief_pdf

    return brief_pdf.sweep_orphans()


@shared_task(base=RelcapTask)
def delete_ended_notes() -> int:
    """Daily: the notes and agreed practice of connections ended 30 days ago or more."""
    from practice import notes

    return notes.purge_ended()
