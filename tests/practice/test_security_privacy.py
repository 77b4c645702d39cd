"""A revoked share is gone on the next request; tokens do one thing; export and deletion."""

import json
from unittest import mock

import pytest
from django.urls import reverse

from practice import services, tokens
from practice.models import Connection, Share, ShareAccess
from profiles import pdf_services, privacy
from profiles.queries import derived_token, latest_snapshot
from tests.factories import UserFactory
from tests.practice.helpers import client_for, connect, invite, practitioner, submitted_profile

pytestmark = pytest.mark.django_db


def sharing(level="report", value=5):
    """Every answer `value`: 5 makes the well-being check-in ask for a gentle support notice."""
    robin, person = practitioner(), UserFactory()
    profile = submitted_profile(person, value=value)
    connection = connect(robin, person)
    services.set_share(connection=connection, profile=profile, level=level)
    url = reverse("practice:shared", args=[connection.public_id, profile.public_id])
    return robin, person, profile, connection, url


def test_a_revoked_share_answers_404_on_the_next_request_with_both_sessions_open():
    robin, person, profile, connection, url = sharing()
    them, me = client_for(robin.user), client_for(person)
    assert them.get(url).status_code == 200

    me.post(
        reverse("practice:share", args=[connection.public_id]),
        {"profile": profile.public_id, "level": "none"},
    )

    assert them.get(url).status_code == 404
    assert me.get(reverse("practice:sharing")).status_code == 200  # the person's session goes on


def test_ending_the_connection_from_the_persons_session_closes_the_open_practitioner_session():
    robin, person, _profile, connection, url = sharing("summary")
    them, me = client_for(robin.user), client_for(person)
    assert them.get(url).status_code == 200

    me.post(reverse("practice:person_end", args=[connection.public_id]))

    assert them.get(url).status_code == 404
    client_page = them.get(reverse("practice:client", args=[connection.public_id]))
    assert "This connection ended" in client_page.content.decode()
    assert not Share.objects.exists()


def test_an_invitation_token_is_no_resume_link_and_a_token_of_another_purpose_no_invitation():
    robin = practitioner()
    invitation, token = invite(robin)
    # The same nonce under the resume links' own salt makes a different, useless token here.
    other_purpose = derived_token(invitation.nonce)

    as_resume = client_for(None).get(reverse("profiles:resume_link", args=[token]))
    wrong_salt = client_for(None).get(reverse("practice:invitation", args=[other_purpose]))

    assert as_resume.status_code in (400, 404)
    assert wrong_salt.status_code == 404
    assert tokens.token_hash(token) == invitation.token_hash


def test_the_export_holds_connections_shares_and_the_access_log():
    robin, person, profile, connection, url = sharing("report_answers")
    client_for(robin.user).get(url)

    response = client_for(person).get(reverse("profiles:account_export"))
    data = json.loads(response.content)

    [exported] = data["practice"]["connections"]
    assert exported["id"] == str(connection.public_id)
    assert exported["practitioner"] == "Robin Example"
    assert exported["name_shown_to_practitioner"] == ""  # the brief's name, none chosen here
    assert exported["shares"] == [
        {
            "profile": str(profile.public_id),
            "level": "report_answers",
            "shared_at": exported["shares"][0]["shared_at"],
            "changed_at": exported["shares"][0]["changed_at"],
        }
    ]
    [view] = data["practice"]["views_of_what_you_shared"]
    assert view["who"] == "Robin Example" and view["what"] == "report_answers"
    assert view["profile"] == str(profile.public_id)


def test_the_export_of_someone_else_holds_none_of_it():
    sharing()

    data = privacy.export_user_data(user=UserFactory())

    assert data["practice"]["connections"] == []
    assert data["practice"]["views_of_what_you_shared"] == []


def test_deleting_the_account_ends_every_connection():
    robin, person, _profile, connection, url = sharing()
    other = connect(practitioner("Alex Other"), person)
    client_for(robin.user).get(url)

    privacy.delete_account(user=person)

    for each in (connection, other):
        each.refresh_from_db()
        assert each.ended_at is not None and each.ended_by == "deletion"
        assert each.person is None
    assert not Share.objects.exists()
    assert not ShareAccess.objects.exists()
    assert client_for(robin.user).get(url).status_code == 404
    page = client_for(robin.user).get(reverse("practice:clients")).content.decode()
    assert "ended" in page


def test_deleting_a_practitioners_account_removes_their_connections():
    robin, _person, _profile, _connection, _url = sharing()

    robin.user.delete()

    assert not Connection.objects.exists() and not Share.objects.exists()


@pytest.fixture
def fake_render():
    # WeasyPrint's real output is checked in tests/profiles; here only who gets the file counts.
    with mock.patch.object(pdf_services, "render_report_pdf", return_value=b"%PDF-1.7 fake"):
        yield


@pytest.mark.parametrize(("level", "status"), [("summary", 404), ("report", 200)])
def test_the_pdf_goes_with_the_report_level_and_is_logged(fake_render, level, status):
    robin, _person, profile, connection, _url = sharing(level, value=4)
    assert latest_snapshot(profile).data["support"] == "none"
    url = reverse("practice:shared_pdf", args=[connection.public_id, profile.public_id])

    response = client_for(robin.user).get(url)

    assert response.status_code == status
    logged = list(ShareAccess.objects.values_list("what", flat=True))
    assert logged == (["pdf"] if status == 200 else [])
    if status == 200:
        assert response.content == b"%PDF-1.7 fake"


def test_the_pdf_holding_a_support_notice_needs_the_check_in_choice(fake_render):
    robin, _person, profile, connection, _url = sharing("report", value=5)
    assert latest_snapshot(profile).data["support"] == "gentle"
    url = reverse("practice:shared_pdf", args=[connection.public_id, profile.public_id])

    refused = client_for(robin.user).get(url)
    Connection.objects.filter(pk=connection.pk).update(share_checkin=True)
    allowed = client_for(robin.user).get(url)

    assert refused.status_code == 404
    assert allowed.status_code == 200
