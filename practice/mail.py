"""The invitation e-mail: who invites and the link, nothing about anyone's results."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from practice import tokens
from practice.models import Invitation


def invitation_url(invitation: Invitation, base_url: str) -> str:
    token = tokens.invitation_token(invitation.nonce)
    return base_url.rstrip("/") + reverse("practice:invitation", args=[token])


def send_invitation_mail(*, invitation_id: int, base_url: str, reminder: bool) -> bool:
    invitation = Invitation.objects.select_related("practitioner").filter(pk=invitation_id).first()
    if invitation is None or not invitation.email or not invitation.is_open():
        return False
    context = {
        "invitation": invitation,
        "practitioner": invitation.practitioner,
        "url": invitation_url(invitation, base_url),
        "reminder": reminder,
    }
    subject = render_to_string("practice/email/invitation_subject.txt", context).strip()
    body = render_to_string("practice/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True
