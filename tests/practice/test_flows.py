"""Practitioner status, invitations, connections and shares, through the views."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from practice import services, tokens
from practice.models import Connection, Invitation, PractitionerProfile, Share, ShareAccess
from profiles.models import AccessLog
from tests.factories import UserFactory
from tests.practice.helpers import client_for, connect, invite, practitioner, submitted_profile

pytestmark = pytest.mark.django_db


def test_a_person_requests_practitioner_status_from_the_account_page():
    person = UserFactory()
    client = client_for(person)

    assert (
        reverse("practice:request_status")
        in client.get(reverse("profiles:account")).content.decode()
    )
    response = client.post(
        reverse("practice:request_status"),
        {"display_name": "Sam", "profession": "Coach", "organisation": ""},
    )

    assert response.status_code == 302
    request = PractitionerProfile.objects.get(user=person)
    assert request.status == "requested"
    # Not yet approved: the practitioner area is not theirs.
    assert client.get(reverse("practice:clients")).status_code == 404


def test_a_bad_request_form_answers_400_and_writes_nothing():
    client = client_for(UserFactory())

    response = client.post(reverse("practice:request_status"), {"display_name": ""})

    assert response.status_code == 400
    assert not PractitionerProfile.objects.exists()


def test_staff_with_the_permission_approve_in_the_admin_and_it_is_logged():
    request = PractitionerProfile.objects.create(
        user=UserFactory(), display_name="Sam", profession="Coach"
    )
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="decide_practitioner"))
    url = reverse("admin:practice_practitionerprofile_changelist")

    response = client_for(staff).post(url, {"action": "approve", "_selected_action": [request.pk]})

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == staff
    assert AccessLog.objects.filter(staff=staff, account=request.user).exists()


def test_staff_without_the_permission_cannot_open_the_requests():
    PractitionerProfile.objects.create(user=UserFactory(), display_name="Sam", profession="Coach")
    staff = UserFactory(is_staff=True)

    response = client_for(staff).get(reverse("admin:practice_practitionerprofile_changelist"))

    assert response.status_code == 403


def test_withdrawn_approval_closes_the_practitioner_area():
    robin = practitioner()
    services.decide(practitioner=robin, status="withdrawn", staff=None)

    assert client_for(robin.user).get(reverse("practice:clients")).status_code == 404


def test_an_invitation_is_made_once_per_form_and_mailed_once(django_capture_on_commit_callbacks):
    robin = practitioner()
    client = client_for(robin.user)
    form = {"nonce": "5d1c6c4e-7e0b-4b65-9a8a-1b2f7c1d2e3f", "email": "kim@example.org",
            "note": "Looking forward to it", "days": "14"}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("practice:invite"), form)
        second = client.post(reverse("practice:invite"), form)

    assert first.status_code == second.status_code == 302
    assert Invitation.objects.count() == 1
    invitation = Invitation.objects.get()
    assert (
        first.url
        == second.url
        == reverse("practice:invitation_detail", args=[invitation.public_id])
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@example.org"]
    assert "Robin Example" in mail.outbox[0].subject
    token = tokens.invitation_token(invitation.nonce)
    assert reverse("practice:invitation", args=[token]) in mail.outbox[0].body
    # Only the hash is stored.
    assert invitation.token_hash == tokens.token_hash(token) and token not in invitation.token_hash
    assert (invitation.expires_at - invitation.created_at) == timedelta(days=14)


def test_the_invitation_page_shows_the_link_and_a_server_side_qr_code():
    robin = practitioner()
    invitation, token = invite(robin)

    body = (
        client_for(robin.user)
        .get(reverse("practice:invitation_detail", args=[invitation.public_id]))
        .content.decode()
    )

    assert reverse("practice:invitation", args=[token]) in body
    assert re.search(r"<svg[^>]*class=\"qr\"", body)
    assert "invited" in body


@pytest.mark.parametrize("days", ["0", "61", "x"])
def test_an_expiry_outside_1_to_60_days_is_refused(days):
    robin = practitioner()

    response = client_for(robin.user).post(
        reverse("practice:invite"),
        {"nonce": "5d1c6c4e-7e0b-4b65-9a8a-1b2f7c1d2e3f", "days": days},
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_note_over_500_characters_is_refused():
    response = client_for(practitioner().user).post(
        reverse("practice:invite"),
        {"nonce": "5d1c6c4e-7e0b-4b65-9a8a-1b2f7c1d2e3f", "days": "14", "note": "x" * 501},
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_fifty_invitations_a_day_and_not_one_more():
    robin = practitioner()
    for _ in range(50):
        invite(robin)

    with pytest.raises(services.NotAllowed):
        invite(robin)
    Invitation.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    invite(robin)  # a day later there is room again

    assert Invitation.objects.count() == 51


def test_one_reminder_only(django_capture_on_commit_callbacks):
    robin = practitioner()
    invitation, _token = invite(robin, email="kim@example.org")
    client = client_for(robin.user)
    url = reverse("practice:remind", args=[invitation.public_id])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)

    assert len(mail.outbox) == 1
    assert "reminder" in mail.outbox[0].subject.lower()


def test_the_invitation_page_says_who_invites_and_what_sharing_means():
    robin = practitioner(organisation="Harbour Practice")
    _invitation, token = invite(robin, note="See you on Tuesday")

    body = client_for(None).get(reverse("practice:invitation", args=[token])).content.decode()

    assert "Robin Example" in body and "Harbour Practice" in body and "See you on Tuesday" in body
    assert "not a diagnosis" in body
    assert "Connecting shares nothing" in body
    assert f"{reverse('login')}?next=" in body


def test_accepting_creates_a_connection_with_nothing_shared():
    robin, person = practitioner(), UserFactory()
    submitted_profile(person)
    invitation, token = invite(robin)

    response = client_for(person).post(
        reverse("practice:invitation", args=[token]), {"answer": "accept"}
    )

    assert response.status_code == 302
    connection = Connection.objects.get()
    assert connection.person == person and connection.practitioner == robin
    assert not connection.show_submission_dates  # unticked
    assert not Share.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.connection == connection


def test_an_invitation_is_single_use():
    robin = practitioner()
    invitation, token = invite(robin)
    url = reverse("practice:invitation", args=[token])
    client_for(UserFactory()).post(url, {"answer": "accept"})

    response = client_for(UserFactory()).post(url, {"answer": "accept"})

    assert response.status_code == 410
    assert Connection.objects.count() == 1


def test_an_expired_invitation_opens_nothing_and_shows_as_expired():
    robin = practitioner()
    invitation, token = invite(robin, days=1)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client_for(UserFactory()).post(
        reverse("practice:invitation", args=[token]), {"answer": "accept"}
    )

    assert response.status_code == 410
    assert not Connection.objects.exists()
    invitation.refresh_from_db()
    assert invitation.shown_status() == "expired"


def test_declining_tells_the_practitioner_only_not_accepted():
    robin = practitioner()
    invitation, token = invite(robin)

    client_for(UserFactory()).post(
        reverse("practice:invitation", args=[token]), {"answer": "decline"}
    )

    invitation.refresh_from_db()
    assert invitation.shown_status() == "not accepted"
    assert (
        "not accepted" in client_for(robin.user).get(reverse("practice:clients")).content.decode()
    )


def test_a_practitioner_cannot_accept_their_own_invitation():
    robin = practitioner()
    _invitation, token = invite(robin)

    response = client_for(robin.user).post(
        reverse("practice:invitation", args=[token]), {"answer": "accept"}
    )

    assert response.status_code == 400
    assert not Connection.objects.exists()


def test_the_person_shares_changes_level_and_revokes_and_every_view_is_logged():
    robin, person = practitioner(), UserFactory()
    profile = submitted_profile(person)
    connection = connect(robin, person)
    them, me = client_for(robin.user), client_for(person)
    shared_url = reverse("practice:shared", args=[connection.public_id, profile.public_id])
    share_url = reverse("practice:share", args=[connection.public_id])

    assert them.get(shared_url).status_code == 404  # nothing shared on accept
    me.post(share_url, {"profile": profile.public_id, "level": "summary"})
    summary = them.get(shared_url)
    me.post(share_url, {"profile": profile.public_id, "level": "report"})
    report = them.get(shared_url)
    me.post(share_url, {"profile": profile.public_id, "level": "none"})
    revoked = them.get(shared_url)

    assert summary.status_code == report.status_code == 200
    assert "Summary of a shared profile" in summary.content.decode()
    assert "Summary of a shared profile" not in report.content.decode()
    assert revoked.status_code == 404
    assert list(ShareAccess.objects.order_by("at", "pk").values_list("what", flat=True)) == [
        "summary",
        "report",
    ]
    page = me.get(reverse("practice:sharing")).content.decode()
    assert "Robin Example" in page and "the full report" in page and "the summary" in page


def test_answers_are_shown_only_at_the_answers_level_and_the_check_in_only_when_chosen():
    robin, person = practitioner(), UserFactory()
    profile = submitted_profile(person, value=6)
    connection = connect(robin, person)
    services.set_share(connection=connection, profile=profile, level="report_answers")
    url = reverse("practice:shared", args=[connection.public_id, profile.public_id])
    wb = profile.answers.filter(item_version__kind="wb").select_related("item_version").first()
    scored = (
        profile.answers.filter(item_version__kind="scored").select_related("item_version").first()
    )

    body = client_for(robin.user).get(url).content.decode()

    assert "Answers to each statement" in body
    assert scored.item_version.text in body
    assert wb is not None
    assert wb.item_version.text not in body
    connection.share_checkin = True
    connection.save()
    assert wb.item_version.text in client_for(robin.user).get(url).content.decode()


def test_a_person_cannot_share_someone_elses_profile():
    robin, person = practitioner(), UserFactory()
    theirs = submitted_profile(UserFactory())
    connection = connect(robin, person)

    response = client_for(person).post(
        reverse("practice:share", args=[connection.public_id]),
        {"profile": theirs.public_id, "level": "report"},
    )

    assert response.status_code == 404
    assert not Share.objects.exists()


def test_ending_a_connection_removes_every_share_at_once():
    robin, person = practitioner(), UserFactory()
    profiles = [submitted_profile(person), submitted_profile(person)]
    connection = connect(robin, person)
    for profile in profiles:
        services.set_share(connection=connection, profile=profile, level="report")

    client_for(robin.user).post(reverse("practice:practitioner_end", args=[connection.public_id]))

    connection.refresh_from_db()
    assert connection.ended_at is not None and connection.ended_by == "practitioner"
    assert not Share.objects.exists()
    for profile in profiles:
        url = reverse("practice:shared", args=[connection.public_id, profile.public_id])
        assert client_for(robin.user).get(url).status_code == 404


def test_future_profiles_are_shared_only_when_chosen(django_capture_on_commit_callbacks):
    robin, person = practitioner(), UserFactory()
    connection = connect(robin, person)
    with django_capture_on_commit_callbacks(execute=True):
        first = submitted_profile(person)
    assert not Share.objects.exists()  # off by default

    client_for(person).post(
        reverse("practice:choices", args=[connection.public_id]),
        {
            f"{str(connection.public_id)[:8]}-show_submission_dates": "on",
            f"{str(connection.public_id)[:8]}-share_future": "on",
            f"{str(connection.public_id)[:8]}-future_level": "report",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):  # the sharing task runs on commit
        second = submitted_profile(person)

    assert list(Share.objects.values_list("profile", "level")) == [(second.pk, "report")]
    assert first.pk != second.pk


def test_submission_dates_are_shown_only_with_consent():
    robin, person = practitioner(), UserFactory()
    profile = submitted_profile(person)
    connection = connect(robin, person)
    url = reverse("practice:client", args=[connection.public_id])
    day = f"{profile.submitted_at:%-d %B %Y}"

    assert day in client_for(robin.user).get(url).content.decode()
    Connection.objects.filter(pk=connection.pk).update(show_submission_dates=False)
    assert "Dates of submitted profiles" not in client_for(robin.user).get(url).content.decode()


def test_creating_an_account_from_an_invitation_lands_back_on_it(
    client, django_capture_on_commit_callbacks
):
    robin = practitioner()
    _invitation, token = invite(robin)
    url = reverse("practice:invitation", args=[token])
    client.get(url)
    password = "quiet river morning lantern"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("signup"),
            {"username": "quietfox", "email": "quietfox@example.org",
             "password1": password, "password2": password, "is_adult": "on"},
        )  # fmt: skip
    [link] = re.findall(r"https?://\S+/accounts/activate/\S+", mail.outbox[0].body)
    response = client.post(link)

    assert response.url == url
    assert "Accept and connect" in client.get(url).content.decode()


def test_a_second_accept_by_the_same_person_lands_on_the_sharing_page():
    robin, person = practitioner(), UserFactory()
    _invitation, token = invite(robin)
    url = reverse("practice:invitation", args=[token])
    me = client_for(person)

    first = me.post(url, {"answer": "accept"})
    second = me.post(url, {"answer": "accept"})

    assert first.url == second.url == reverse("practice:sharing")
    assert Connection.objects.count() == 1
