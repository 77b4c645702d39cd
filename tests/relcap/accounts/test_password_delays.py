"""Per-account password delays: sign-in, password change and account deletion share one count."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relcap.accounts import delays
from relcap.accounts.models import PasswordThrottle
from tests.db import TRANSACTIONAL_DB
from tests.factories import UserFactory

PASSWORD = "a long test password"
NEW_PASSWORD = "quiet river morning lantern"
PAUSED_SIGN_IN = "pausing sign-in with it for a short while"
PAUSED_CHECK = "pausing password checks for your account"
NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def sign_in(username: str, password: str, ip: str, client: Client | None = None):
    return (client or Client()).post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def guess_from_many_addresses(username: str, count: int, first: int = 1) -> list[int]:
    """One wrong password from each of `count` addresses; returns the status codes."""
    return [
        sign_in(username, f"guess {n}", ip=f"10.1.0.{n}").status_code
        for n in range(first, first + count)
    ]


def let_the_delay_pass() -> None:
    PasswordThrottle.objects.update(retry_at=timezone.now() - timedelta(seconds=1))


# --- the rule -------------------------------------------------------------------------------


def test_delay_is_free_for_five_failures_then_doubles_up_to_fifteen_minutes():
    waits = [delays.delay_after(n) / timedelta(minutes=1) for n in range(1, 12)]

    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 15, 15, 15]
    assert delays.delay_after(10**6) == timedelta(minutes=15)


@pytest.mark.django_db
def test_checks_refused_during_a_delay_do_not_lengthen_it():
    for _ in range(5):
        assert delays.begin_check(name="river", now=NOW) is None

    refused = [delays.begin_check(name="river", now=NOW + timedelta(seconds=s)) for s in (1, 30)]

    assert refused == [NOW + timedelta(minutes=1)] * 2
    assert PasswordThrottle.objects.get().failures == 5


@pytest.mark.django_db
def test_a_day_without_failures_forgets_the_count():
    for _ in range(9):
        delays.begin_check(name="river", now=NOW - timedelta(days=2))

    assert delays.begin_check(name="river", now=NOW) is None
    assert PasswordThrottle.objects.get().failures == 1


@pytest.mark.django_db
def test_names_are_counted_case_and_width_insensitively_and_never_stored():
    for name in ("River", "RIVER", " river ", "ｒｉｖｅｒ", "river"):
        delays.begin_check(name=name, now=NOW)

    row = PasswordThrottle.objects.get()
    assert row.failures == 5
    assert "river" not in row.key.lower()
    assert row.key == delays.name_key("river")


@TRANSACTIONAL_DB
def test_parallel_guesses_queue_on_the_count_so_only_five_are_checked():
    results: list[datetime | None] = []

    def guess() -> None:
        try:
            results.append(delays.begin_check(name="river"))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 12
    assert results.count(None) == 5


# --- sign-in --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_right_password_after_guesses_from_twelve_addresses_is_paused_with_a_kind_message():
    UserFactory(username="river")
    guesses = guess_from_many_addresses("river", 12)

    response = sign_in("river", PASSWORD, ip="10.2.0.1")

    html = response.content.decode()
    assert guesses == [200] * 5 + [429] * 7
    assert response.status_code == 429
    assert PAUSED_SIGN_IN in html
    assert "Please try again in about 1 minute." in html
    assert "reset it" in html
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_paused_sign_in_answers_the_same_for_an_existing_and_an_unknown_username():
    UserFactory(username="river")
    guess_from_many_addresses("river", 5)
    guess_from_many_addresses("nobody-here", 5, first=100)

    existing = sign_in("river", PASSWORD, ip="10.2.0.1")
    unknown = sign_in("nobody-here", PASSWORD, ip="10.2.0.1")

    assert existing.status_code == unknown.status_code == 429
    assert page_without(existing, "river") == page_without(unknown, "nobody-here")


def page_without(response, username: str) -> str:
    """The page with the typed username and the per-client CSRF token taken out."""
    html = response.content.decode().replace(username, "NAME")
    return CSRF_TOKEN.sub("", html)


@pytest.mark.django_db
def test_the_wait_grows_with_each_further_failure():
    UserFactory(username="river")
    guess_from_many_addresses("river", 5)
    let_the_delay_pass()
    guess_from_many_addresses("river", 1, first=50)

    response = sign_in("river", PASSWORD, ip="10.2.0.1")

    assert response.status_code == 429
    assert "Please try again in about 2 minutes." in response.content.decode()


@pytest.mark.django_db
def test_right_password_after_the_delay_signs_in_and_clears_the_count():
    UserFactory(username="river")
    guess_from_many_addresses("river", 7)
    let_the_delay_pass()

    response = sign_in("river", PASSWORD, ip="10.2.0.1")

    assert response.status_code == 302
    assert not PasswordThrottle.objects.exists()


@pytest.mark.django_db
def test_a_stranger_guessing_cannot_keep_the_person_out_of_a_browser_they_used_before():
    UserFactory(username="river")
    laptop = Client()
    assert sign_in("river", PASSWORD, ip="10.3.0.1", client=laptop).status_code == 302
    laptop.post(reverse("logout"))
    guess_from_many_addresses("river", 12)

    from_laptop = sign_in("river", PASSWORD, ip="10.3.0.1", client=laptop)
    from_elsewhere = sign_in("river", PASSWORD, ip="10.3.0.2")

    assert from_laptop.status_code == 302
    assert from_elsewhere.status_code == 302  # the laptop's success cleared the count


@pytest.mark.django_db
def test_a_browser_remembered_for_another_account_is_still_paused():
    UserFactory(username="river")
    UserFactory(username="brook")
    laptop = Client()
    sign_in("brook", PASSWORD, ip="10.3.0.1", client=laptop)
    laptop.post(reverse("logout"))
    guess_from_many_addresses("river", 5)

    response = sign_in("river", PASSWORD, ip="10.3.0.1", client=laptop)

    assert response.status_code == 429


@pytest.mark.django_db
def test_admin_sign_in_is_paused_by_the_same_count():
    UserFactory(username="keeper", is_staff=True)
    guess_from_many_addresses("keeper", 5)

    response = Client().post(
        reverse("admin:login"),
        {"username": "keeper", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="10.2.0.1",
    )

    assert response.status_code == 429
    assert PAUSED_SIGN_IN in response.content.decode()


# --- password change and account deletion ---------------------------------------------------


@pytest.fixture
def person():
    return UserFactory(username="river")


@pytest.fixture
def signed_in(person):
    client = Client()
    client.force_login(person)
    return client


def change_password(client: Client, old: str, url: str = "password_change"):
    return client.post(
        reverse(url),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


@pytest.mark.django_db
def test_password_change_pauses_after_five_wrong_old_passwords(signed_in, person):
    wrong = [change_password(signed_in, f"guess {n}").status_code for n in range(7)]

    response = change_password(signed_in, PASSWORD)

    person.refresh_from_db()
    assert wrong == [200] * 5 + [429] * 2
    assert response.status_code == 429
    assert PAUSED_CHECK in response.content.decode()
    assert person.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_with_the_right_old_password_clears_the_count(signed_in, person):
    for n in range(3):
        change_password(signed_in, f"guess {n}")

    response = change_password(signed_in, PASSWORD)

    person.refresh_from_db()
    assert response.url == reverse("password_change_done")
    assert person.check_password(NEW_PASSWORD)
    assert not PasswordThrottle.objects.exists()


@pytest.mark.django_db
def test_admin_password_change_pauses_after_five_wrong_old_passwords():
    keeper = UserFactory(username="keeper", is_staff=True)
    client = Client()
    client.force_login(keeper)
    for n in range(5):
        change_password(client, f"guess {n}", url="admin:password_change")

    response = change_password(client, PASSWORD, url="admin:password_change")

    keeper.refresh_from_db()
    assert response.status_code == 429
    assert keeper.check_password(PASSWORD)


@pytest.mark.django_db
def test_account_deletion_pauses_after_five_wrong_passwords(signed_in, person):
    url = reverse("profiles:account_delete")
    wrong = [signed_in.post(url, {"password": f"guess {n}"}).status_code for n in range(7)]

    response = signed_in.post(url, {"password": PASSWORD})

    assert wrong == [200] * 5 + [429] * 2
    assert response.status_code == 429
    assert PAUSED_CHECK in response.content.decode()
    assert "Please try again in about 1 minute." in response.content.decode()
    assert get_user_model().objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_sign_in_guesses_and_account_deletion_share_one_count(signed_in, person):
    guess_from_many_addresses("river", 5)

    response = signed_in.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    assert response.status_code == 429
    assert get_user_model().objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_account_deletion_after_the_delay_deletes_and_leaves_no_count(signed_in, person):
    guess_from_many_addresses("river", 6)
    let_the_delay_pass()

    response = signed_in.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    assert response.url == reverse("home")
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    assert not PasswordThrottle.objects.exists()


@pytest.mark.django_db
def test_account_deletion_makes_the_browser_forget_the_account():
    UserFactory(username="river")
    laptop = Client()
    sign_in("river", PASSWORD, ip="10.3.0.1", client=laptop)
    assert laptop.cookies[delays.DEVICE_COOKIE].value

    laptop.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    assert laptop.cookies[delays.DEVICE_COOKIE].value == ""


@pytest.mark.django_db
def test_admin_password_change_with_the_right_old_password_still_works():
    keeper = UserFactory(username="keeper", is_staff=True)
    client = Client()
    client.force_login(keeper)

    response = change_password(client, PASSWORD, url="admin:password_change")

    keeper.refresh_from_db()
    assert response.url == reverse("admin:password_change_done")
    assert keeper.check_password(NEW_PASSWORD)


# --- cost -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("failures_before", [1, 4])
def test_a_checked_sign_in_costs_the_same_queries_however_many_failures_are_counted(
    django_assert_num_queries, failures_before
):
    UserFactory(username="river")
    guess_from_many_addresses("river", failures_before)

    with django_assert_num_queries(15):
        response = sign_in("river", "another guess", ip="10.4.0.1")

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("failures_before", [5, 9])
def test_a_paused_sign_in_checks_nothing_and_costs_four_queries(
    django_assert_num_queries, failures_before
):
    UserFactory(username="river")
    guess_from_many_addresses("river", 5)
    PasswordThrottle.objects.update(failures=failures_before)

    with django_assert_num_queries(4):
        response = sign_in("river", PASSWORD, ip="10.4.0.1")

    assert response.status_code == 429
