"""Issue 16: the moments pages read the live copy in the person's language, never a mix; the
reminder e-mail is written in the recipient's language (their newest profile's locale, as
relcap stores no language preference yet), with the copy version it read recorded."""

from datetime import time
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from assessments.queries import copy_texts, published_copy
from moments import reminders
from moments.models import Moment, MomentsSettings, Reminder
from tests.factories import UserFactory
from tests.moments.helpers import consented, entry_data
from tests.moments.test_reminders import utc
from tests.practice.helpers import client_for
from tests.profiles.german import release_german
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted
from tests.profiles.test_result_locale import interface

pytestmark = pytest.mark.django_db


@pytest.fixture
def german():
    return release_german()


def copy_in(locale: str) -> dict:
    return copy_texts(published_copy().version, locale)


def page(client, name: str) -> tuple[str, object]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return unescape(response.content.decode()), response


def test_the_views_page_in_a_german_interface_has_the_german_words_only(german):
    client = client_for(UserFactory())
    german_words, english_words = copy_in("de")["moments_views"], copy_in("en")["moments_views"]

    with interface(client, "de"):
        body, response = page(client, "moments:views")

    assert response.context["words"] == german_words
    assert german_words["how_steering"] in body
    assert english_words["how_steering"] not in body


def test_the_views_page_in_english_is_unchanged(german):
    client = client_for(UserFactory())

    body, response = page(client, "moments:views")

    assert response.context["words"] is copy_in("en")["moments_views"]
    assert copy_in("de")["moments_views"]["how_steering"] not in body


def test_the_reminder_page_in_a_german_interface_is_german(german):
    client = client_for(UserFactory())
    german_words, english_words = (
        copy_in("de")["moments_reminders"],
        copy_in("en")["moments_reminders"],
    )

    with interface(client, "de"):
        body, response = page(client, "moments:reminders")

    assert response.context["words"] == german_words
    assert german_words["intro"] in body and german_words["save_button"] in body
    assert english_words["intro"] not in body and english_words["save_button"] not in body


def test_the_practice_page_and_an_entry_in_a_german_interface(german):
    person = consented(UserFactory())
    client = client_for(person)
    german_moments = copy_in("de")["moments"]
    Moment.objects.all().delete()

    with interface(client, "de"):
        body, response = page(client, "moments:log")
        assert response.context["words"] == german_moments
        saved = client.post(reverse("moments:log"), entry_data())
        practice, _ = page(client, "moments:practice")

    assert saved.status_code == 302
    moment = Moment.objects.get()
    assert moment.copy_version == published_copy().version  # copy-3 speaks German
    chip = german_moments["chips"]["trigger"]["criticised"]
    assert chip in practice or chip in body
    assert copy_in("en")["moments"]["chips"]["trigger"]["criticised"] not in body


def reminder_person(*, profile_locale: str | None):
    person = UserFactory()
    MomentsSettings.objects.create(
        person=person, reminder_frequency="daily", reminder_time=time(9, 0),
        time_zone="Europe/Berlin", reminders_chosen_at=utc(2026, 1, 1),
        reminder_base_url="https://relcap.example/",
    )  # fmt: skip
    if profile_locale is not None:
        submitted(raw_answers(EXAMPLE_3), user=person, locale=profile_locale)
    return person


@pytest.mark.parametrize("locale", ["de", "en", None])
def test_a_reminder_is_written_in_the_language_of_the_newest_profile(german, locale):
    person = reminder_person(profile_locale=locale)
    now = utc(2026, 1, 15, 8, 5)
    made = reminders.schedule_due(now).made

    assert reminders.send(reminder_id=made[0], now=now)

    reminder = Reminder.objects.get(person=person)
    assert reminder.copy_version == published_copy().version
    words = copy_in(locale or "en")["moments_reminders"]
    message = mail.outbox[-1]
    assert message.subject == words["email_subject_daily"]
    assert words["email_footer"] in message.body
    other = copy_in("en" if locale == "de" else "de")["moments_reminders"]
    assert other["email_footer"] not in message.body
