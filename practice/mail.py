"""Invitation e-mails (a practitioner's to a person, an organisation's to a practitioner): who
invites and the link, nothing about anyone's results. Reminders to share and the notice of a
new share (§5) are as bare: who, and a link."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from assessments.copy_text import fill
from assessments.queries import copy_texts
from practice import tokens
from practice.branding import Branding, branding_for
from practice.models import Invitation, OrganisationInvitation, Share, ShareReminder
from profiles.locales import interface_copy
from relcap.accounts.language import language_of

RELCAP_ACCENT = "#2f5d62"  # --relcap-accent in static/css/relcap.css


def invitation_url(invitation: Invitation, base_url: str) -> str:
    token = tokens.invitation_token(invitation.nonce)
    return base_url.rstrip("/") + reverse("practice:invitation", args=[token])


def send_invitation_mail(*, invitation_id: int, base_url: str, reminder: bool) -> bool:
    invitation = (
        Invitation.objects.select_related("practitioner__user__language_choice")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.email or not invitation.is_open():
        return False
    found = branding_for(invitation.practitioner)
    context = {
        "invitation": invitation,
        "practitioner": invitation.practitioner,
        "url": invitation_url(invitation, base_url),
        "reminder": reminder,
        "on_behalf_of": on_behalf_of(found),
    }
    # The invited person has no language on record yet: the practitioner's is the best guess.
    with translation.override(language_of(invitation.practitioner.user)):
        subject = render_to_string("practice/email/invitation_subject.txt", context).strip()
        body = render_to_string("practice/email/invitation.txt", context)
    if found is not None:
        send_branded_mail(subject, body, invitation.email, context["on_behalf_of"], found)
    else:
        send_mail(subject, body, None, [invitation.email])
    return True


def send_branded_mail(subject: str, body: str, to: str, band: str, found: Branding) -> None:
    """The plain-text mail with an HTML alternative that opens with the organisation's band:
    white text on its accent colour (checked for 4.5:1 with white), relcap's colour without one.
    E-mail is not a web page, so the colour is inline here; the CSP governs relcap's pages."""
    html = render_to_string(
        "practice/email/branded.html",
        {"subject": subject, "body": body, "band": band, "accent": found.accent or RELCAP_ACCENT},
    )
    message = EmailMultiAlternatives(subject, body, None, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def organisation_invitation_url(invitation, base_url: str) -> str:
    token = tokens.organisation_invitation_token(invitation.nonce)
    return base_url.rstrip("/") + reverse("practice:organisation_join", args=[token])


def send_organisation_invitation_mail(*, invitation_id: int, base_url: str) -> bool:
    """The organisation's invitation to a practitioner, in the copy recorded on the row."""
    invitation = (
        OrganisationInvitation.objects.select_related("organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open():
        return False
    texts = copy_texts(invitation.copy_version)["organisations"]
    values = {
        "organisation": invitation.organisation.shown_name,
        "url": organisation_invitation_url(invitation, base_url),
        "date": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
    }
    subject = fill(texts["email_subject"], values)
    organisation = invitation.organisation
    send_branded_mail(
        subject,
        fill(texts["email_body"], values),
        invitation.email,
        organisation.shown_name,
        Branding(name=organisation.shown_name, accent=organisation.accent),
    )
    return True


def on_behalf_of(found: Branding | None) -> str:
    """ "On behalf of <organisation>" for a practitioner's branding, "" without one (published
    copy: a practitioner's Invitation row records no copy version)."""
    if found is None:
        return ""
    text = interface_copy()["organisations"]["invitation_from"]
    return fill(text, {"organisation": found.name})


def absolute(base_url: str, path: str) -> str:
    """`path` on the configured site address, else the address the request came in on."""
    base = getattr(settings, "RELCAP_BASE_URL", "") or base_url or "http://localhost/"
    return base.rstrip("/") + path


def send_share_reminder_mail(*, reminder_id: int, base_url: str) -> bool:
    """The person's reminder to share: who reminds, the sharing page, the switch-off link.
    Not sent when the connection ended, the person switched reminders off or shared since."""
    reminder = (
        ShareReminder.objects.select_related(
            "connection__practitioner", "connection__person__language_choice"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None:
        return False
    connection = reminder.connection
    person = connection.person
    if (
        not connection.is_live
        or not connection.allows_share_reminders
        or connection.shares.exists()
        or not person.email
        or not person.is_active
    ):
        return False
    token = tokens.share_reminders_off_token(reminder.pk)
    off = absolute(base_url, reverse("practice:share_reminders_off", args=[token]))
    context = {
        "practitioner": connection.practitioner,
        "url": absolute(base_url, reverse("practice:sharing")),
        "off_url": off,
    }
    with translation.override(language_of(person)):
        subject = render_to_string("practice/email/share_reminder_subject.txt", context).strip()
        body = render_to_string("practice/email/share_reminder.txt", context)
    EmailMessage(
        subject=subject,
        body=body,
        from_email=None,
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{off}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    ).send()
    return True


def send_share_notice_mail(*, share_id: int, base_url: str) -> bool:
    """The practitioner's notice of a new share: a name the person chose (or "A client") and
    the link to the client's page; never a level, a score or anything of the profile. The share
    is marked notified in the transaction that sends, so a second run finds it done."""
    with transaction.atomic():
        share = (
            Share.objects.select_for_update(of=("self",))
            .select_related("connection__practitioner__user__language_choice")
            .filter(pk=share_id, notified_at__isnull=True)
            .first()
        )
        if share is None:  # revoked before the task ran, or already notified
            return False
        connection = share.connection
        to = connection.practitioner.user.email
        if not connection.is_live or not to:
            return False
        context = {
            "name": connection.person_display_name,
            "url": absolute(base_url, reverse("practice:client", args=[connection.public_id])),
        }
        Share.objects.filter(pk=share.pk).update(notified_at=timezone.now())
        with translation.override(language_of(connection.practitioner.user)):
            subject = render_to_string("practice/email/share_notice_subject.txt", context).strip()
            body = render_to_string("practice/email/share_notice.txt", context)
        EmailMessage(
            subject=subject,
            body=body,
            from_email=None,
            to=[to],
            headers={"Auto-Submitted": "auto-generated"},
        ).send()
    return True
