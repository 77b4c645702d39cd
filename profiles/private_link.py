"""The private link of an anonymous profile: showing it, e-mailing it once, and the signed
"keep this profile" reference that carries it through sign-in and sign-up (issue 14).

The e-mail address typed into "e-mail me this link" is never stored by relcap: it is handed to
one task as an argument (so, with a broker, it sits in Redis until a worker has run the task)
and is gone once the mail is sent. The throttle and the double-submit guard count by profile,
never by address.
"""

import hashlib
import uuid
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from profiles import queries, services, tasks
from profiles.models import Profile
from relcap.accounts import throttle
from relcap.accounts.views import LANDING_SESSION_KEY
from relcap.jobs import engine

MAILS_PER_PROFILE_PER_DAY = 3
DAY = timedelta(days=1)
KEEP_SALT = "relcap.keep-profile"
# Long enough for a sign-up whose activation link (valid a day) is used late.
KEEP_MAX_AGE = timedelta(days=7)


def link_url(request: HttpRequest, profile: Profile) -> str | None:
    """The absolute private link of an anonymous profile, or None when it has none to show."""
    token = queries.resume_token(profile)
    if token is None:
        return None
    return request.build_absolute_uri(reverse("profiles:resume_link", args=[token]))


class MailOutcome:
    SENT = "sent"
    REPEATED = "repeated"  # the same form again (a double click): nothing more is sent
    LIMITED = "limited"


def request_link_mail(*, profile: Profile, email: str, nonce: uuid.UUID, base_url: str) -> str:
    """Queue one mail of the private link to `email`, once per form and at most three times
    a day per profile; returns a MailOutcome. The address goes only into the task."""
    form_key = hashlib.sha256(f"link-mail:{profile.public_id}:{nonce}".encode()).hexdigest()
    if not cache.add(f"relcap-link-mail:{form_key}", 1, timeout=int(DAY.total_seconds())):
        return MailOutcome.REPEATED
    if throttle.is_over_limit(
        scope="link-mail", key=str(profile.public_id), limit=MAILS_PER_PROFILE_PER_DAY, window=DAY
    ):
        cache.delete(f"relcap-link-mail:{form_key}")  # sent again later, this form may send
        return MailOutcome.LIMITED
    engine.enqueue(
        tasks.send_private_link,
        inline=engine.AFTER_RESPONSE,
        public_id=str(profile.public_id),
        email=email,
        base_url=base_url,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return MailOutcome.SENT


def send_link_mail(*, public_id: str, email: str, base_url: str) -> bool:
    """Mail the private link of the anonymous profile `public_id`; False when there is none
    any more (deleted, or saved to an account since)."""
    profile = Profile.objects.filter(public_id=public_id, user__isnull=True).first()
    token = queries.resume_token(profile) if profile is not None else None
    if token is None:
        return False
    context = {
        "link": urljoin(base_url, reverse("profiles:resume_link", args=[token])),
        "submitted": profile.is_submitted,
    }
    subject = render_to_string("profiles/email/private_link_subject.txt", context)
    body = render_to_string("profiles/email/private_link_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])
    return True


# --- keeping the profile through sign-in and sign-up --------------------------------------


def keep_reference(profile: Profile) -> str:
    """A signed, expiring reference to this profile, handed out only on pages of it."""
    return signing.dumps(str(profile.public_id), salt=KEEP_SALT, compress=True)


def profile_from_reference(reference: str | None) -> Profile | None:
    """The still-anonymous profile a valid, unexpired reference names, else None."""
    if not reference or len(reference) > 200:
        return None
    try:
        public_id = signing.loads(
            reference, salt=KEEP_SALT, max_age=int(KEEP_MAX_AGE.total_seconds())
        )
        public_id = uuid.UUID(str(public_id))
    except (signing.BadSignature, ValueError):
        return None
    return Profile.objects.filter(public_id=public_id, user__isnull=True).first()


def keep_on_sign_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """`user_logged_in`: save the profile a sign-in or an activation came from in the account.

    Sign-in (the reference in the posted form) saves it only when this browser session may
    open it already, so a copied sign-in address gives nobody else the profile. Activation
    (the reference in the link that was mailed for this sign-up) may be opened in another
    browser, so there the signed, unexpired reference is enough; it names one profile and
    saves it only while no account holds it.
    """
    if request is None:
        return
    match = getattr(request, "resolver_match", None)
    activating = match is not None and match.url_name == "activate"
    reference = request.GET.get("keep") if activating else request.POST.get("keep")
    profile = profile_from_reference(reference)
    if profile is None:
        return
    if not activating and str(profile.public_id) not in queries.granted_ids(request):
        return
    services.attach_to_user(profile=profile, user=user)
    if activating:  # sign-in has its own `next`; activation lands here instead of the account
        request.session[LANDING_SESSION_KEY] = back_to(profile)
    messages.success(request, _("This profile is now saved in your account."))


def back_to(profile: Profile) -> str:
    """Where a person holding this profile goes back to: its report, or its saved page."""
    if profile.is_submitted:
        return profile.get_absolute_url()
    return reverse("profiles:saved", args=[profile.public_id])
