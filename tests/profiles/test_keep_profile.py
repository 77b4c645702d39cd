"""Signing in or up from a report saves that anonymous profile in the account (issue 14,
line 2): through a signed, expiring reference, never a raw id from the client; activation
lands on the report."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from profiles import private_link
from profiles.models import Profile
from tests.factories import UserFactory
from tests.profiles.helpers import answer_all_pages, start

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
LINK = re.compile(r"https?://[^\s]+")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def submitted_anonymously(client: Client) -> Profile:
    profile = start(client)
    answer_all_pages(client, profile)
    client.post(reverse("profiles:review", args=[profile.public_id]))
    profile.refresh_from_db()
    assert profile.is_submitted and profile.user_id is None
    return profile


def link_on_report(client: Client, profile: Profile, text: str) -> str:
    html = client.get(profile.get_absolute_url()).content.decode()
    match = re.search(rf'<a href="([^"]+)">{text}</a>', html)
    assert match, text
    return unescape(match.group(1))


def keep_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["keep"][0]


def sign_up_data(keep: str) -> dict:
    return {
        "username": "quietfox",
        "email": "quietfox@example.org",
        "password1": "quiet river morning lantern",
        "password2": "quiet river morning lantern",
        "is_adult": "on",
        "keep": keep,
    }


def test_signing_in_from_the_report_saves_the_profile_and_returns_to_it(client):
    person = UserFactory(password=PASSWORD)
    profile = submitted_anonymously(client)
    login_url = link_on_report(client, profile, "Sign in")
    assert "keep=" in login_url
    form = client.get(login_url).content.decode()
    assert f'name="keep" value="{keep_of(login_url)}"' in form

    response = client.post(
        login_url,
        {
            "username": person.username,
            "password": PASSWORD,
            "keep": keep_of(login_url),
            "next": profile.get_absolute_url(),
        },
    )

    assert response.status_code == 302
    assert response.url == profile.get_absolute_url()
    profile.refresh_from_db()
    assert profile.user == person
    assert str(profile.public_id) in client.get(reverse("profiles:mine")).content.decode()


def test_signing_up_from_the_report_saves_the_profile_on_activation_and_lands_on_it(
    client, run_tasks
):
    profile = submitted_anonymously(client)
    signup_url = link_on_report(client, profile, "create an account")
    keep = keep_of(signup_url)
    assert f'name="keep" value="{keep}"' in client.get(signup_url).content.decode()

    with run_tasks():
        client.post(reverse("signup"), sign_up_data(keep))
    (message,) = mail.outbox
    activation = LINK.search(message.body).group(0)
    profile.refresh_from_db()
    assert profile.user_id is None  # nothing is attached before the account is confirmed

    elsewhere = Client()  # the mail may be opened in another browser
    assert "Confirm my account" in elsewhere.get(activation).content.decode()
    response = elsewhere.post(activation)

    profile.refresh_from_db()
    assert profile.user is not None and profile.user.username == "quietfox"
    assert response.status_code == 302
    assert response.url == profile.get_absolute_url()
    assert elsewhere.get(response.url).status_code == 200


def test_activation_without_a_reference_still_lands_on_the_account_page(client, run_tasks):
    with run_tasks():
        client.post(reverse("signup"), sign_up_data(""))

    response = client.post(LINK.search(mail.outbox[0].body).group(0))

    assert response.url == reverse("profiles:account")


@pytest.mark.parametrize(
    "forge",
    [
        lambda profile: str(profile.public_id),  # a raw id
        lambda profile: signing.dumps(str(profile.public_id), salt="another.salt"),
        lambda profile: private_link.keep_reference(profile)[:-2] + "xx",
    ],
)
def test_a_forged_reference_attaches_nothing(client, run_tasks, forge):
    profile = submitted_anonymously(Client())
    with run_tasks():
        client.post(reverse("signup"), sign_up_data(forge(profile)))
    activation = LINK.search(mail.outbox[0].body).group(0)

    response = Client().post(activation)

    assert response.url == reverse("profiles:account")
    profile.refresh_from_db()
    assert profile.user_id is None


def test_an_expired_reference_attaches_nothing(client, run_tasks, monkeypatch):
    profile = submitted_anonymously(Client())
    keep = private_link.keep_reference(profile)
    monkeypatch.setattr(private_link, "KEEP_MAX_AGE", timedelta(seconds=-1))
    with run_tasks():
        client.post(reverse("signup"), sign_up_data(keep))

    Client().post(LINK.search(mail.outbox[0].body).group(0))

    profile.refresh_from_db()
    assert profile.user_id is None


def test_a_profile_held_by_an_account_is_never_taken_over(client, run_tasks):
    profile = submitted_anonymously(Client())
    keep = private_link.keep_reference(profile)
    owner = UserFactory()
    Profile.objects.filter(pk=profile.pk).update(user=owner)
    with run_tasks():
        client.post(reverse("signup"), sign_up_data(keep))

    Client().post(LINK.search(mail.outbox[0].body).group(0))

    profile.refresh_from_db()
    assert profile.user == owner


def test_a_copied_sign_in_address_does_not_give_the_profile_to_someone_else(client):
    profile = submitted_anonymously(client)
    login_url = link_on_report(client, profile, "Sign in")
    stranger = Client()  # never opened the profile's private link
    person = UserFactory(password=PASSWORD)

    stranger.post(
        login_url, {"username": person.username, "password": PASSWORD, "keep": keep_of(login_url)}
    )

    profile.refresh_from_db()
    assert profile.user_id is None
