"""Organisations (PRACTICE.md §6, issue 17 line 6): staff create them, admins invite and remove
practitioners, set branding checked for contrast, and see counts only, "fewer than 5" below 5."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from practice import branding, organisations, services, tokens
from practice import mail as practice_mail
from practice.branding import Branding, branding_for
from practice.models import Invitation, Membership, Organisation, OrganisationInvitation
from practice.organisation_queries import last_months
from profiles.models import AccessLog
from tests.factories import UserFactory
from tests.practice.helpers import (
    client_for,
    connect,
    invite,
    join,
    organisation,
    organisation_admin,
    practitioner,
    submitted_profile,
)

pytestmark = pytest.mark.django_db


# --- staff create organisations and their first admin -------------------------------------------
def manager():
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="manage_organisations"))
    return staff


def admin_add_form(name: str, admin_user_pk) -> dict:
    return {
        "name": name,
        "admins-TOTAL_FORMS": "1",
        "admins-INITIAL_FORMS": "0",
        "admins-MIN_NUM_FORMS": "0",
        "admins-MAX_NUM_FORMS": "1000",
        "admins-0-user": str(admin_user_pk),
    }


def test_staff_with_the_permission_create_an_organisation_and_its_first_admin_logged():
    staff, future_admin = manager(), UserFactory()

    response = client_for(staff).post(
        reverse("admin:practice_organisation_add"), admin_add_form("Harbour", future_admin.pk)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    made = Organisation.objects.get(name="Harbour")
    assert made.admins.get().user == future_admin
    assert made.admins.get().added_by == staff
    assert AccessLog.objects.filter(staff=staff, account=future_admin).exists()


def test_staff_without_the_permission_cannot_open_or_add_organisations():
    staff = UserFactory(is_staff=True)
    client = client_for(staff)

    assert client.get(reverse("admin:practice_organisation_changelist")).status_code == 403
    response = client.post(
        reverse("admin:practice_organisation_add"), admin_add_form("Harbour", UserFactory().pk)
    )

    assert response.status_code == 403
    assert not Organisation.objects.exists()


# --- inviting a practitioner --------------------------------------------------------------------
def test_an_admin_invites_a_practitioner_once_per_form_and_it_is_mailed_once(
    django_capture_on_commit_callbacks,
):
    harbour = organisation()
    admin = organisation_admin(harbour)
    client = client_for(admin)
    form = {"nonce": str(uuid.uuid4()), "email": "sam@example.org"}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("practice:organisation_invite"), form)
        second = client.post(reverse("practice:organisation_invite"), form)

    assert first.status_code == second.status_code == 302
    invitation = OrganisationInvitation.objects.get()
    assert invitation.copy_version == "copy-3"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "Harbour Practice invites you" in mail.outbox[0].subject
    html, _kind = mail.outbox[0].alternatives[0]
    assert '<p style="background-color: #2f5d62; color: #ffffff;' in html  # relcap's colour
    token = tokens.organisation_invitation_token(invitation.nonce)
    assert reverse("practice:organisation_join", args=[token]) in mail.outbox[0].body
    # Only the hash is stored.
    assert token not in str(OrganisationInvitation.objects.values().get())


def test_a_bad_address_answers_400_and_writes_nothing():
    admin = organisation_admin(organisation())

    response = client_for(admin).post(
        reverse("practice:organisation_invite"), {"nonce": str(uuid.uuid4()), "email": "no"}
    )

    assert response.status_code == 400
    assert "Please write one e-mail address" in response.content.decode()
    assert not OrganisationInvitation.objects.exists()


def organisation_invitation(of, email="sam@example.org"):
    invitation, _created = organisations.invite_practitioner(
        organisation=of, invited_by=None, email=email, nonce=uuid.uuid4()
    )
    return invitation, tokens.organisation_invitation_token(invitation.nonce)


def test_a_practitioner_joins_with_the_link_and_the_link_is_single_use():
    harbour = organisation()
    robin, alex = practitioner(), practitioner("Alex Other")
    invitation, token = organisation_invitation(harbour)
    url = reverse("practice:organisation_join", args=[token])

    page = client_for(robin.user).get(url)
    joined = client_for(robin.user).post(url)
    again = client_for(robin.user).post(url)  # a double click
    other = client_for(alex.user).post(url)

    assert page.status_code == 200
    assert "Harbour Practice invites you to join" in page.content.decode()
    assert joined.status_code == again.status_code == 302
    assert Membership.objects.get().practitioner == robin
    assert other.status_code == 400
    assert "no longer open" in other.content.decode()
    assert not Membership.objects.filter(practitioner=alex).exists()


def test_an_expired_or_forged_link_opens_nothing():
    harbour = organisation()
    robin = practitioner()
    invitation, token = organisation_invitation(harbour)
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    expired = client_for(robin.user).post(reverse("practice:organisation_join", args=[token]))
    forged = client_for(robin.user).get(reverse("practice:organisation_join", args=["a" * 43]))
    # A practitioner's client invitation token does not open an organisation invitation.
    _person_invitation, person_token = invite(robin)
    crossed = client_for(robin.user).get(reverse("practice:organisation_join", args=[person_token]))

    assert expired.status_code == 400
    assert forged.status_code == crossed.status_code == 404
    assert not Membership.objects.exists()


def test_someone_without_practitioner_status_is_told_how_to_get_it_and_nothing_is_written():
    invitation, token = organisation_invitation(organisation())

    response = client_for(UserFactory()).post(reverse("practice:organisation_join", args=[token]))

    assert response.status_code == 400
    assert "you need practitioner status" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and not Membership.objects.exists()


def test_a_member_of_another_organisation_is_refused():
    robin = practitioner()
    join(organisation("Other Place"), robin)
    _invitation, token = organisation_invitation(organisation())

    response = client_for(robin.user).post(reverse("practice:organisation_join", args=[token]))

    assert response.status_code == 400
    assert "You already belong to Other Place" in response.content.decode()
    assert Membership.objects.get().organisation.name == "Other Place"


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_written():
    _invitation, token = organisation_invitation(organisation())
    url = reverse("practice:organisation_join", args=[token])

    page = client_for(None).get(url)
    posted = client_for(None).post(url)

    assert page.status_code == 200 and "Sign in" in page.content.decode()
    assert posted.status_code == 302 and posted.url.startswith(reverse("login"))
    assert not Membership.objects.exists()


# --- removing a practitioner --------------------------------------------------------------------
def test_removing_a_practitioner_keeps_their_connections_and_takes_the_branding_off():
    harbour = organisation(accent="#1a5c8e")
    admin = organisation_admin(harbour)
    robin = practitioner()
    membership = join(harbour, robin)
    person = UserFactory()
    connection = connect(robin, person)
    _invitation, token = invite(robin)
    invitation_url = reverse("practice:invitation", args=[token])
    before = client_for(None).get(invitation_url).content.decode()

    response = client_for(admin).post(
        reverse("practice:organisation_remove", args=[membership.public_id])
    )

    assert response.status_code == 302
    assert not Membership.objects.exists()
    connection.refresh_from_db()
    assert connection.is_live and connection.practitioner == robin
    assert "On behalf of Harbour Practice" in before
    after = client_for(None).get(invitation_url).content.decode()
    assert "On behalf of Harbour Practice" not in after
    assert "accent/1a5c8e.css" not in after
    assert branding_for(robin) is None


def test_an_admin_cannot_remove_another_organisations_practitioner():
    admin = organisation_admin(organisation())
    membership = join(organisation("Other Place"), practitioner())

    response = client_for(admin).post(
        reverse("practice:organisation_remove", args=[membership.public_id])
    )

    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- branding -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("colour", "ratio"),
    [("#ffffff", 1.0), ("#000000", 21.0), ("#767676", 4.54), ("#777777", 4.48)],
)
def test_contrast_with_white_follows_wcag(colour, ratio):
    assert branding.contrast_with_white(colour) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("#1a5c8e", False),
        ("1A5C8E", False),
        ("#767676", False),  # 4.54:1, just enough
        ("#777777", True),  # 4.48:1, just too light
        ("#ffcc00", True),
        ("#12345", True),
        ("red", True),
        ("#1a5c8e; } body { display: none", True),
    ],
)
def test_an_accent_needs_six_hex_digits_and_aa_contrast_with_white(written, problem):
    assert bool(branding.accent_problem(branding.normalised(written))) is problem


def test_an_admin_sets_branding_and_a_light_colour_is_refused_with_nothing_written():
    harbour = organisation()
    client = client_for(organisation_admin(harbour))
    url = reverse("practice:organisation_branding")

    refused = client.post(url, {"display_name": "Harbour", "accent": "#ffcc00"})
    harbour.refresh_from_db()
    saved_nothing = (harbour.display_name, harbour.accent)
    saved = client.post(url, {"display_name": "Harbour Counselling", "accent": "1A5C8E"})
    harbour.refresh_from_db()

    assert refused.status_code == 400
    assert "too light to read against white" in refused.content.decode()
    assert saved_nothing == ("", "")
    assert saved.status_code == 302
    assert (harbour.display_name, harbour.accent) == ("Harbour Counselling", "#1a5c8e")


def test_branding_for_gives_the_organisations_name_and_accent_or_none():
    harbour = organisation(display_name="Harbour Counselling", accent="#1a5c8e")
    robin, alex = practitioner(), practitioner("Alex Other")
    join(harbour, robin)

    assert branding_for(robin) == Branding(name="Harbour Counselling", accent="#1a5c8e")
    assert branding_for(alex) is None
    assert branding_for(None) is None
    assert branding_for(robin).accent_hex == "1a5c8e"


def test_the_invitation_page_and_e_mail_carry_the_branding_without_inline_style(
    django_capture_on_commit_callbacks,
):
    harbour = organisation(display_name="Harbour Counselling", accent="#1a5c8e")
    robin = practitioner()
    join(harbour, robin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(robin.user).post(
            reverse("practice:invite"),
            {"nonce": str(uuid.uuid4()), "email": "kim@example.org", "note": "", "days": 14},
        )
    assert response.status_code == 302
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[0].body).group(1)
    page = client_for(None).get(link)
    body = page.content.decode()

    assert "On behalf of Harbour Counselling" in mail.outbox[0].body
    assert "On behalf of Harbour Counselling" in body
    stylesheet = reverse("practice:accent_css", args=["1a5c8e"])
    assert f'<link rel="stylesheet" href="{stylesheet}">' in body
    assert "style=" not in body
    assert "style-src 'self'" in page["Content-Security-Policy"]
    css = client_for(None).get(stylesheet)
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert css.content.decode() == ":root { --org-accent: #1a5c8e; }\n"


def test_an_unbranded_practitioners_invitation_is_as_before():
    robin = practitioner(organisation="Written by hand")
    _invitation, token = invite(robin)

    body = client_for(None).get(reverse("practice:invitation", args=[token])).content.decode()

    assert "On behalf of" not in body and "accent/" not in body
    assert "Written by hand" in body


@pytest.mark.parametrize("accent", ["ffcc00", "1A5C8E", "zzzzzz", "1a5c8e%3B"])
def test_the_accent_stylesheet_refuses_anything_but_an_allowed_colour(accent):
    response = client_for(None).get(f"/organisation/accent/{accent}.css")

    assert response.status_code == 404


# --- counts only ----------------------------------------------------------------------------------
def active_practitioner(harbour, name: str, invitations: int, connections: int, shares: int):
    robin = practitioner(name)
    membership = join(harbour, robin)
    Membership.objects.filter(pk=membership.pk).update(joined_at=timezone.now() - timedelta(days=1))
    for _ in range(invitations):
        invite(robin)
    for index in range(connections):
        person = UserFactory()
        connection = connect(robin, person)  # each connection comes from one more invitation
        if index < shares:
            services.set_share(
                connection=connection, profile=submitted_profile(person), level="summary"
            )
    return robin


def this_month_row(body: str, name: str) -> list[str]:
    table = body.split(f'<caption class="caption-top h5">{name}</caption>')[1].split("</table>")[0]
    first = table.split("<tbody>")[1].split("</tr>")[0]
    return re.findall(r"<td>([^<]*)</td>", first)


def test_counts_per_practitioner_and_month_show_fewer_than_5_below_5_zero_included():
    harbour = organisation()
    admin = organisation_admin(harbour)
    active_practitioner(harbour, "Robin Busy", invitations=2, connections=5, shares=5)
    active_practitioner(harbour, "Alex Quiet", invitations=0, connections=0, shares=0)

    response = client_for(admin).get(reverse("practice:organisation"))
    body = response.content.decode()

    assert response.status_code == 200
    # Robin: 2 + 5 invitations (each connection came from one), 5 connections, 5 shares.
    assert this_month_row(body, "Robin Busy") == ["7", "5", "5"]
    assert this_month_row(body, "Alex Quiet") == ["fewer than 5"] * 3
    assert body.count("fewer than 5") >= 3 + 5 * 3 * 2  # every earlier month is below 5 too


def test_activity_before_joining_and_of_other_organisations_is_not_counted():
    harbour = organisation()
    admin = organisation_admin(harbour)
    robin = practitioner("Robin Early")
    for _ in range(6):
        invite(robin)
    join(harbour, robin)  # joined now, after those six
    outsider = practitioner("Sam Elsewhere")
    join(organisation("Other Place"), outsider)
    for _ in range(6):
        invite(outsider)

    body = client_for(admin).get(reverse("practice:organisation")).content.decode()

    assert this_month_row(body, "Robin Early") == ["fewer than 5"] * 3
    assert "Sam Elsewhere" not in body


def test_the_organisation_page_never_shows_a_person_or_a_share():
    harbour = organisation()
    admin = organisation_admin(harbour)
    robin = practitioner()
    join(harbour, robin)
    person = UserFactory(username="kim-the-client", email="kim@example.org")
    connection = connect(robin, person)
    profile = submitted_profile(person)
    services.set_share(connection=connection, profile=profile, level="report")

    body = client_for(admin).get(reverse("practice:organisation")).content.decode()

    for secret in ["kim-the-client", "kim@example.org", str(connection.public_id)]:
        assert secret not in body
    assert str(profile.public_id) not in body


@pytest.mark.parametrize("size", [1, 30])
def test_the_organisation_page_uses_a_constant_number_of_queries(size, django_assert_num_queries):
    harbour = organisation()
    admin = organisation_admin(harbour)
    for number in range(size):
        robin = practitioner(f"Practitioner {number}")
        join(harbour, robin)
        connect(robin, UserFactory())
    organisation_invitation(harbour)
    client = client_for(admin)
    client.get(reverse("practice:organisation"))  # the copy is cached per process

    # session, user, organisation, published copy, memberships, the counts (one UNION ALL of
    # three aggregates, not one per practitioner) and the open invitations
    with django_assert_num_queries(7):
        response = client.get(reverse("practice:organisation"))

    assert response.status_code == 200
    assert response.content.decode().count("<caption") == size


def test_last_months_goes_back_across_the_year():
    from datetime import date

    assert last_months(date(2026, 2, 17), 4) == [
        date(2026, 2, 1),
        date(2026, 1, 1),
        date(2025, 12, 1),
        date(2025, 11, 1),
    ]


def test_someone_who_is_not_an_organisation_admin_gets_404():
    for user in [UserFactory(), practitioner().user, UserFactory(is_staff=True)]:
        assert client_for(user).get(reverse("practice:organisation")).status_code == 404


def test_fifty_invitations_a_day_per_organisation_then_a_clear_refusal():
    harbour = organisation()
    admin = organisation_admin(harbour)
    for number in range(50):
        organisation_invitation(harbour, email=f"p{number}@example.org")

    response = client_for(admin).post(
        reverse("practice:organisation_invite"),
        {"nonce": str(uuid.uuid4()), "email": "one-more@example.org"},
    )

    assert response.status_code == 400
    assert "50 invitations in the last 24 hours" in response.content.decode()
    assert OrganisationInvitation.objects.count() == 50


def test_a_branded_invitation_e_mail_has_an_html_part_with_the_band_in_the_accent_colour():
    harbour = organisation(display_name="Harbour Counselling", accent="#1a5c8e")
    robin = practitioner()
    join(harbour, robin)
    invitation, _token = invite(robin, email="kim@example.org")

    assert practice_mail.send_invitation_mail(
        invitation_id=invitation.pk, base_url="http://testserver/", reminder=False
    )

    sent = mail.outbox[0]
    html, kind = sent.alternatives[0]
    assert kind == "text/html"
    assert "background-color: #1a5c8e; color: #ffffff" in html
    assert "On behalf of Harbour Counselling" in html
    assert 'href="http://testserver/invitation/' in html
    assert "On behalf of Harbour Counselling" in sent.body  # the plain text too


def test_an_unbranded_invitation_e_mail_stays_plain_text_only():
    invitation, _token = invite(practitioner(), email="kim@example.org")

    practice_mail.send_invitation_mail(
        invitation_id=invitation.pk, base_url="http://testserver/", reminder=False
    )

    assert mail.outbox[0].alternatives == []
    assert "On behalf of" not in mail.outbox[0].body


def test_the_account_page_links_an_organisation_admin_to_their_area_only():
    harbour = organisation()
    admin = organisation_admin(harbour)

    mine = client_for(admin).get(reverse("profiles:account")).content.decode()
    other = client_for(UserFactory()).get(reverse("profiles:account")).content.decode()

    assert reverse("practice:organisation") in mine
    assert reverse("practice:organisation") not in other


def test_staff_removing_an_admin_in_the_django_admin_is_logged():
    harbour = organisation()
    admin_user = organisation_admin(harbour)
    appointment = harbour.admins.get()
    staff = manager()
    form = {
        "name": harbour.name,
        "admins-TOTAL_FORMS": "1",
        "admins-INITIAL_FORMS": "1",
        "admins-MIN_NUM_FORMS": "0",
        "admins-MAX_NUM_FORMS": "1000",
        "admins-0-id": str(appointment.pk),
        "admins-0-organisation": str(harbour.pk),
        "admins-0-user": str(admin_user.pk),
        "admins-0-DELETE": "on",
    }

    response = client_for(staff).post(
        reverse("admin:practice_organisation_change", args=[harbour.pk]), form
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert not harbour.admins.exists()
    assert AccessLog.objects.filter(staff=staff, account=admin_user).exists()
    assert client_for(admin_user).get(reverse("practice:organisation")).status_code == 404


def test_no_organisation_page_needs_inline_styles_or_scripts():
    from tests.relcap.test_security import inline_code

    harbour = organisation(accent="#1a5c8e")
    admin = organisation_admin(harbour)
    robin = practitioner()
    join(harbour, robin)
    _invitation, token = invite(robin)
    _joining, join_token = organisation_invitation(harbour)
    pages = {
        "organisation": client_for(admin).get(reverse("practice:organisation")),
        "invite": client_for(admin).get(reverse("practice:organisation_invite")),
        "branding": client_for(admin).get(reverse("practice:organisation_branding")),
        "refused": client_for(admin).post(
            reverse("practice:organisation_branding"), {"accent": "#ffff00"}
        ),
        "join": client_for(None).get(reverse("practice:organisation_join", args=[join_token])),
        "invitation": client_for(None).get(reverse("practice:invitation", args=[token])),
        "django admin": client_for(manager()).get(
            reverse("admin:practice_organisation_change", args=[harbour.pk])
        ),
    }

    assert {name: r.status_code for name, r in pages.items()} == {
        **dict.fromkeys(pages, 200),
        "refused": 400,
    }
    assert {name: inline_code(r.content.decode()) for name, r in pages.items()} == {
        name: [] for name in pages
    }


def test_staff_deciding_on_a_request_see_the_membership_beside_the_typed_organisation():
    robin = practitioner(organisation="Typed by Robin")
    join(organisation("Harbour Practice"), robin)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="decide_practitioner"))

    page = client_for(staff).get(
        reverse("admin:practice_practitionerprofile_change", args=[robin.pk])
    )

    body = page.content.decode()
    assert "Typed by Robin" in body and "Harbour Practice" in body


def test_raw_counts_start_at_the_later_of_the_window_and_the_joining_day():
    from practice.organisation_queries import raw_counts

    harbour = organisation()
    robin = practitioner()
    membership = join(harbour, robin)
    now = timezone.now()
    Membership.objects.filter(pk=membership.pk).update(joined_at=now - timedelta(days=400))
    old, _token = invite(robin)
    Invitation.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=300))
    for _ in range(5):
        invite(robin)

    counts = raw_counts(harbour, since=now - timedelta(days=30))

    assert sum(n for (_who, _month, kind), n in counts.items() if kind == "invitations") == 5
    assert sum(n for n in raw_counts(harbour, since=now - timedelta(days=500)).values()) == 6
