"""Background work of the practice area: invitation e-mails, each sent once per task id."""

from celery import shared_task

from practice import mail
from relcap.jobs.engine import RelcapTask, once


@shared_task(base=RelcapTask, bind=True)
def send_invitation(self: RelcapTask, *, invitation_id: int, base_url: str, reminder: bool) -> bool:
    with once(self) as first:
        if not first:
            return False
        return mail.send_invitation_mail(
            invitation_id=invitation_id, base_url=base_url, reminder=reminder
        )
