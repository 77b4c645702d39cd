"""Account e-mails, sent outside the request: sign-up (activation or "you have an account")
and password reset. Each runs once per task id, however often it is delivered."""

from celery import shared_task
from django.utils import translation

from relcap.accounts import services
from relcap.jobs.engine import RelcapTask, once


@shared_task(base=RelcapTask, bind=True)
def finish_sign_up(
    self: RelcapTask,
    *,
    username: str,
    email: str,
    password_hash: str,
    base_url: str,
    keep: str = "",
    language: str = "",
) -> None:
    """`language`: the interface language the sign-up was made in; its e-mail uses it."""
    with once(self) as first, translation.override(language or None):
        if first:
            services.finish_sign_up(
                username=username,
                email=email,
                password_hash=password_hash,
                base_url=base_url,
                keep=keep,
            )


@shared_task(base=RelcapTask, bind=True)
def send_password_reset(
    self: RelcapTask, *, email: str, domain: str, use_https: bool, language: str = ""
) -> None:
    with once(self) as first, translation.override(language or None):
        if first:
            services.send_password_reset(email=email, domain=domain, use_https=use_https)


@shared_task(base=RelcapTask)
def clear_expired_sessions() -> None:
    """Daily: delete the sessions whose cookie has expired (Django's `clearsessions`), so a
    session's sign-in and the anonymous profiles it was granted are not kept after it ends."""
    services.clear_expired_sessions()
