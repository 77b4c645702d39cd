"""The interface language: the footer's switcher, <html lang dir>, and a signed-in person's
choice remembered on the account and applied at every sign-in."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from relcap.accounts.models import LanguageChoice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}
HTML_TAG = re.compile(r"<html lang=\"([^\"]+)\" dir=\"([^\"]+)\">")


def switch(client: Client, language: str, page: str = "/", **headers):
    """The switcher's POST from `page`: set_language returns there by the Referer."""
    return client.post(
        reverse("set_language"),
        {"language": language},
        HTTP_REFERER=f"http://testserver{page}",
        **(headers or SAME_SITE),
    )


def html_tag(client: Client, url: str = "/") -> tuple[str, str]:
    match = HTML_TAG.search(client.get(url).content.decode())
    assert match
    return match[1], match[2]


def sign_in(client: Client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_every_page_starts_in_british_english_left_to_right(client):
    assert html_tag(client) == ("en-gb", "ltr")
    assert html_tag(client, reverse("login")) == ("en-gb", "ltr")


def test_the_footer_offers_each_language_and_marks_german_as_not_yet_validated(client):
    body = client.get("/").content.decode()

    form = re.search(r'<form method="post" action="/language/".*?</form>', body, re.S)
    assert form
    assert '<option value="en-gb" lang="en-gb" selected>English</option>' in form[0]
    assert (
        '<option value="de" lang="de">Deutsch (Übersetzung – noch nicht validiert)</option>'
        in form[0]
    )
    # No per-request value (the identical-response tests of accounts compare whole pages), and
    # not the page's own address (the URL ownership tests look for ids a page must not show).
    assert "csrfmiddlewaretoken" not in form[0]
    assert 'name="next"' not in form[0]


def test_switching_sets_the_language_cookie_and_returns_to_the_page(client):
    response = switch(client, "de", page=reverse("login"))

    assert response.status_code == 302 and response.url == "http://testserver" + reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert html_tag(client, reverse("login")) == ("de", "ltr")
    assert "Anmelden" in client.get(reverse("login")).content.decode()


def test_the_german_page_says_its_translation_is_not_yet_validated(client):
    switch(client, "de")

    body = client.get("/").content.decode()

    assert "Diese Übersetzung der Oberfläche ist noch nicht validiert." in body
    assert '<option value="de" lang="de" selected>' in body


def test_switching_back_to_english(client):
    switch(client, "de")
    switch(client, "en-gb")

    assert html_tag(client) == ("en-gb", "ltr")


def test_a_language_that_is_not_offered_is_refused(client):
    response = switch(client, "fr")

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_USER_AGENT": "curl"},  # neither header: refused
    ],
)
def test_a_cross_site_post_changes_nobodys_language(client, headers):
    user = UserFactory(password=PASSWORD)
    client.force_login(user)

    response = switch(client, "de", **headers)

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert not LanguageChoice.objects.filter(user=user).exists()


def test_a_same_origin_post_without_fetch_metadata_is_accepted_by_its_origin(client):
    response = switch(client, "de", HTTP_ORIGIN="http://testserver")

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_the_switcher_only_takes_posts(client):
    assert client.get(reverse("set_language") + "?language=de").status_code == 405


def test_a_signed_in_persons_choice_is_remembered_across_sign_ins_and_devices():
    user = UserFactory(password=PASSWORD)
    laptop = Client()
    sign_in(laptop, user)
    switch(laptop, "de")
    assert LanguageChoice.objects.get(user=user).language == "de"
    laptop.post(reverse("logout"))

    phone = Client()  # a new browser: no language cookie, English by default
    assert html_tag(phone, reverse("login")) == ("en-gb", "ltr")
    sign_in(phone, user)

    assert phone.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert html_tag(phone, reverse("profiles:account")) == ("de", "ltr")


def test_the_sign_in_response_itself_is_in_the_stored_language():
    user = UserFactory(password=PASSWORD)
    LanguageChoice.objects.create(user=user, language="de")
    client = Client()

    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain
    assert HTML_TAG.search(response.content.decode())[1] == "de"


def test_a_choice_made_before_signing_in_is_kept_for_an_account_without_one(client):
    user = UserFactory(password=PASSWORD)
    switch(client, "de")

    sign_in(client, user)

    assert LanguageChoice.objects.get(user=user).language == "de"
    assert html_tag(client, reverse("profiles:account")) == ("de", "ltr")


def test_a_stored_choice_wins_over_the_browsers_cookie_at_sign_in(client):
    user = UserFactory(password=PASSWORD)
    LanguageChoice.objects.create(user=user, language="en-gb")
    switch(client, "de")

    sign_in(client, user)

    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    assert html_tag(client, reverse("profiles:account")) == ("en-gb", "ltr")


def test_a_stored_language_no_longer_offered_is_ignored(client):
    user = UserFactory(password=PASSWORD)
    LanguageChoice.objects.create(user=user, language="fr")

    sign_in(client, user)

    assert html_tag(client, reverse("profiles:account")) == ("en-gb", "ltr")


def test_the_browsers_accept_language_is_followed_without_a_choice():
    client = Client(HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")

    assert html_tag(client) == ("de", "ltr")


def test_deleting_the_account_deletes_its_language_choice():
    user = UserFactory(password=PASSWORD)
    LanguageChoice.objects.create(user=user, language="de")

    user.delete()

    assert not LanguageChoice.objects.exists()


def test_a_right_to_left_language_gets_dir_rtl_and_bootstraps_rtl_stylesheet(client, settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]

    switch(client, "ar")
    body = client.get("/").content.decode()

    assert HTML_TAG.search(body).groups() == ("ar", "rtl")
    assert "bootstrap/css/bootstrap.rtl.min.css" in body
    assert "bootstrap/css/bootstrap.min.css" not in body


def test_the_chosen_language_is_in_the_persons_data_export():
    from profiles.privacy import export_user_data

    user = UserFactory(password=PASSWORD)
    assert export_user_data(user=user)["account"]["interface_language"] is None
    LanguageChoice.objects.create(user=user, language="de")

    assert export_user_data(user=user)["account"]["interface_language"] == "de"


def test_account_e_mails_speak_the_language_they_were_asked_for_in(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    UserFactory(email="river@example.org")
    switch(client, "de")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "river@example.org"})
        client.post(
            reverse("signup"),
            {
                "username": "quietfox",
                "email": "quietfox@example.org",
                "password1": "quiet river morning lantern",
                "password2": "quiet river morning lantern",
                "is_adult": "on",
            },
        )

    reset, activation = mail.outbox
    assert reset.subject == "Setzen Sie Ihr relcap-Passwort zurück"
    assert "wahrscheinlich Sie selbst" in reset.body
    assert activation.subject == "Bestätigen Sie Ihr relcap-Konto"
    assert activation.body.startswith("Guten Tag quietfox,")


def test_interface_dates_follow_the_language(client):
    from datetime import UTC, datetime

    user = UserFactory(password=PASSWORD, date_joined=datetime(2026, 3, 14, 9, 30, tzinfo=UTC))
    client.force_login(user)

    english = client.get(reverse("profiles:account")).content.decode()
    switch(client, "de")
    german = client.get(reverse("profiles:account")).content.decode()

    assert "14 March 2026" in english
    assert "14. März 2026" in german and "14 March 2026" not in german
