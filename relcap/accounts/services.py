"""Writes for accounts: sign up and reset without revealing taken addresses, and activate."""

from importlib import import_module
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language

from relcap.accounts import tasks
from relcap.accounts.forms import ResetMailForm
from relcap.accounts.tokens import activation_token
from relcap.jobs import engine


def send_templated_mail(*, to: str, template: str, context: dict) -> None:
    """Send registration/<template>_subject.txt and <template>_email.txt as one plain mail."""
    subject = render_to_string(f"registration/{template}_subject.txt", context)
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def request_sign_up(
    *, username: str, email: str, password: str, base_url: str, keep: str = ""
) -> str:
    """Hash the password and leave the rest to a task; returns the task id.

    The request does the same work whether or not the address has an account: it never looks
    the address up. The task (`finish_sign_up`) creates the account and mails its activation
    link, or mails the owner of a taken address instead.
    """
    return engine.enqueue(
        tasks.finish_sign_up,
        inline=engine.AFTER_RESPONSE,
        username=username,
        email=email,
        password_hash=make_password(password),
        base_url=base_url,
        keep=keep,
        # The e-mail speaks the language of the page it was asked for on.
        language=get_language() or settings.LANGUAGE_CODE,
    )


def finish_sign_up(
    *, username: str, email: str, password_hash: str, base_url: str, keep: str = ""
) -> AbstractUser | None:
    """Create an inactive account and mail its activation link; returns None for a taken e-mail.

    When the address already belongs to an account, nothing is created and the address gets a
    note instead ("you already have an account; sign in or reset your password"). The visitor
    saw the same page either way, so sign-up never reveals who has an account. A second
    submission of the same sign-up (a double click) finds its own unconfirmed account and
    sends nothing more.
    """
    users = get_user_model().objects
    existing = users.filter(email__iexact=email).first()
    if existing is not None:
        if not (existing.get_username() == username and not existing.is_active):
            send_templated_mail(
                to=existing.email,
                template="signup_exists",
                context={
                    "login_url": urljoin(base_url, reverse("login")),
                    "reset_url": urljoin(base_url, reverse("password_reset")),
                },
            )
        return None
    user = users.model(username=username, email=email, password=password_hash, is_active=False)
    user.save()
    link = reverse(
        "activate",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), activation_token.make_token(user)],
    )
    if keep:  # signed up from a profile: activating saves it in the account (views.KEEP_FIELD)
        link = f"{link}?{urlencode({'keep': keep})}"
    send_templated_mail(
        to=email,
        template="activation",
        context={"username": username, "activate_url": urljoin(base_url, link)},
    )
    return user


def request_password_reset(*, email: str, domain: str, use_https: bool) -> str:
    """Leave the look-up and the mail to a task, so that a known and an unknown address cost
    the request the same; returns the task id."""
    return engine.enqueue(
        tasks.send_password_reset,
        inline=engine.AFTER_RESPONSE,
        email=email,
        domain=domain,
        use_https=use_https,
        language=get_language() or settings.LANGUAGE_CODE,
    )


def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """Django's reset mail to every usable account with this address; nothing for others."""
    form = ResetMailForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)


def activate_account(*, user: AbstractUser) -> AbstractUser:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def clear_expired_sessions() -> None:
    """Delete every expired session, through the configured session engine (what Django's
    `clearsessions` command does)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
