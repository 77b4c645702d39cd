"""Writes for accounts: sign up without revealing taken addresses, and activate."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from relcap.accounts.tokens import activation_token


def send_templated_mail(*, to: str, template: str, context: dict) -> None:
    """Send registration/<template>_subject.txt and <template>_email.txt as one plain mail."""
    subject = render_to_string(f"registration/{template}_subject.txt", context)
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, absolute_url: Callable[[str], str]
) -> AbstractUser | None:
    """Create an inactive account and mail its activation link; returns None for a taken e-mail.

    When the address already belongs to an account, nothing is created and the address gets a
    note instead ("you already have an account; sign in or reset your password"). The visitor
    sees the same page either way, so sign-up never reveals who has an account.
    """
    users = get_user_model().objects
    existing = users.filter(email__iexact=email).first()
    if existing is not None:
        make_password(password)  # same hashing work as a new account: no timing tell
        send_templated_mail(
            to=existing.email,
            template="signup_exists",
            context={
                "login_url": absolute_url(reverse("login")),
                "reset_url": absolute_url(reverse("password_reset")),
            },
        )
        return None
    user = users.create_user(username=username, email=email, password=password, is_active=False)
    link = reverse(
        "activate",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), activation_token.make_token(user)],
    )
    send_templated_mail(
        to=email,
        template="activation",
        context={"username": username, "activate_url": absolute_url(link)},
    )
    return user


def activate_account(*, user: AbstractUser) -> AbstractUser:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user
