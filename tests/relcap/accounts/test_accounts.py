"""Accounts: sign-up, activation, sign-in and out, password change and reset, throttling."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relcap.accounts import throttle
from relcap.accounts.models import PasswordThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
NEW_PASSWORD = "quiet river morning lantern"
LINK = re.compile(r"https?://[^\s]+")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the e-mail throttles count in the cache
    yield
    cache.clear()


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """The tests run inside a transaction that never commits: this runs what was queued for
    the commit (the e-mail tasks, inline without a broker) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sign_up_data(**changes) -> dict:
    data = {
        "username": "quietfox",
        "email": "quietfox@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "is_adult": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def link_in(message) -> str:
    return LINK.search(message.body).group(0)


def test_signup_page_has_labels_and_autocomplete_hints(client):
    html = client.get(reverse("signup")).content.decode()

    assert 'autocomplete="username"' in html
    assert 'autocomplete="email"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert '<label for="id_is_adult"' in html


def test_signup_creates_an_inactive_account_and_mails_the_activation_link(client, run_tasks):
    with run_tasks():
        response = client.post(reverse("signup"), sign_up_data())

    user = get_user_model().objects.get(username="quietfox")
    assert response.status_code == 302
    assert response.url == reverse("signup_done")
    assert not user.is_active
    assert mail.outbox[0].to == ["quietfox@example.org"]
    assert "/accounts/activate/" in link_in(mail.outbox[0])


def test_signup_without_the_adult_confirmation_is_refused(client):
    response = client.post(reverse("signup"), sign_up_data(is_adult=None))

    assert response.status_code == 200
    assert "please confirm you are 18 or older" in response.content.decode()
    assert not get_user_model().objects.filter(username="quietfox").exists()


def test_signup_with_a_short_password_is_refused(client):
    response = client.post(
        reverse("signup"), sign_up_data(password1="short pw 1", password2="short pw 1")
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_signup_with_a_taken_email_answers_exactly_like_a_new_one(client, run_tasks):
    UserFactory(username="existing", email="quietfox@example.org")
    with run_tasks():
        fresh = Client().post(
            reverse("signup"), sign_up_data(username="newfox", email="nobody@example.org")
        )

    with run_tasks():
        taken = client.post(reverse("signup"), sign_up_data(email="QuietFox@example.org"))

    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert client.get(taken.url).content == Client().get(fresh.url).content
    assert not get_user_model().objects.filter(username="quietfox").exists()


def test_signup_with_a_taken_email_mails_the_owner_instead(client, run_tasks):
    UserFactory(username="existing", email="quietfox@example.org")

    with run_tasks():
        client.post(reverse("signup"), sign_up_data())

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["quietfox@example.org"]
    assert "You already have an account" in mail.outbox[0].body


def test_activation_link_opened_by_get_activates_nothing(client, run_tasks):
    with run_tasks():
        client.post(reverse("signup"), sign_up_data())

    response = Client().get(link_in(mail.outbox[0]))

    assert response.status_code == 200
    assert not get_user_model().objects.get(username="quietfox").is_active


def test_activation_link_posted_activates_and_signs_in(client, run_tasks):
    with run_tasks():
        client.post(reverse("signup"), sign_up_data())
    link = link_in(mail.outbox[0])

    response = client.post(link)

    assert response.url == reverse("profiles:account")
    assert get_user_model().objects.get(username="quietfox").is_active
    assert client.get(reverse("profiles:account")).status_code == 200


def test_activation_link_works_only_once(client, run_tasks):
    with run_tasks():
        client.post(reverse("signup"), sign_up_data())
    link = link_in(mail.outbox[0])
    client.post(link)

    response = Client().post(link)

    assert response.status_code == 400


def test_unconfirmed_account_cannot_sign_in(client, run_tasks):
    with run_tasks():
        client.post(reverse("signup"), sign_up_data())

    visitor = Client()

    response = sign_in(visitor, "quietfox", NEW_PASSWORD)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in visitor.session


def test_signin_with_the_right_password_redirects_to_my_profiles(client):
    UserFactory(username="river")

    response = sign_in(client, "river", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("profiles:mine")


def test_signin_with_a_wrong_password_shows_a_generic_error(client):
    UserFactory(username="river")

    response = sign_in(client, "river", "not the password")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_signout_by_get_is_refused(client):
    client.force_login(UserFactory())

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_signout_by_post_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response.url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_password_change_replaces_the_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert response.url == reverse("password_change_done")
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, run_tasks):
    user = UserFactory(email="river@example.org")
    with run_tasks():
        client.post(reverse("password_reset"), {"email": "river@example.org"})
    confirm = client.get(link_in(mail.outbox[0]))

    response = client.post(
        confirm.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert response.url == reverse("password_reset_complete")
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_answers_identically_for_known_and_unknown_emails(client, run_tasks):
    UserFactory(email="river@example.org")

    with run_tasks():
        known = client.post(reverse("password_reset"), {"email": "river@example.org"})
    with run_tasks():
        unknown = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert client.get(known.url).content == Client().get(unknown.url).content
    assert "If an account exists" in client.get(known.url).content.decode()
    assert len(mail.outbox) == 1


def test_password_reset_stops_mailing_past_the_limit_but_answers_the_same(client, run_tasks):
    UserFactory(email="river@example.org")
    with run_tasks():
        responses = [
            client.post(reverse("password_reset"), {"email": "river@example.org"}) for _ in range(5)
        ]

    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3


def test_throttle_counts_live_in_the_database_so_every_worker_shares_them():
    assert isinstance(caches["default"], DatabaseCache)
    over = [throttle.is_over_limit(scope="reset-ip", key="10.9.8.7", limit=2) for _ in range(4)]

    assert over == [False, False, True, True]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM relcap_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 1
    assert "10.9.8.7" not in keys[0]  # hashed, never the address in clear text


def test_signin_locks_out_after_five_failures_for_that_username_and_address(client):
    UserFactory(username="river")
    for _ in range(5):
        sign_in(client, "river", "wrong password")

    response = sign_in(client, "river", PASSWORD)

    assert response.status_code == 429
    assert "Please wait a little" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signin_lockout_leaves_other_addresses_free_once_the_account_delay_has_passed(client):
    UserFactory(username="river")
    for _ in range(5):
        sign_in(client, "river", "wrong password", ip="10.0.0.1")
    PasswordThrottle.objects.update(retry_at=timezone.now())  # the one-minute delay is over

    response = sign_in(Client(), "river", PASSWORD, ip="10.0.0.2")

    assert response.status_code == 302


def test_signin_lockout_page_is_identical_for_existing_and_unknown_usernames(client):
    UserFactory(username="river")
    for username in ("river", "nobody-here"):
        for _ in range(5):
            sign_in(Client(), username, "wrong password")

    existing = sign_in(Client(), "river", "wrong password")
    unknown = sign_in(Client(), "nobody-here", "wrong password")

    assert existing.status_code == unknown.status_code == 429
    assert existing.content == unknown.content
    assert b"river" not in existing.content


@pytest.mark.parametrize(
    "name", ["profiles:account", "profiles:account_export", "profiles:account_delete",
             "profiles:consent_withdraw", "password_change"],
)  # fmt: skip
def test_account_pages_send_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
