"""The views page (/moments/views/) and the reminder choice page (/moments/reminders/)."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moments.models import Moment, MomentsSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def logged(person, hours_ago: float, **fields) -> Moment:
    return Moment.objects.create(
        person=person,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        copy_version="copy-3",
        **fields,
    )


def test_views_page_shows_n_a_described_chart_and_the_tables(client):
    person = UserFactory()
    logged(person, 3, context="close", intensity=4, responses=["paused", "snapped"])
    logged(person, 30, context="work", intensity=7, responses=["withdrew"])
    logged(UserFactory(), 2, context="close", intensity=9)  # someone else's
    client.force_login(person)

    response = client.get(reverse("moments:views"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "The last 4 weeks" in body and "(n = 2)" in body
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert 'aria-labelledby="moments-chart-title moments-chart-desc"' in body
    assert "Moments per week" in body and body.count("<caption id=") == 2
    assert "5.5" in body  # the median of 4 and 7, exactly
    assert "1 of 2" in body and "50 %" in body  # steering came first in one of two
    assert "compared with anyone" in body
    summary = response.context["moments_summary"].summary
    assert (summary.close.n, summary.work.n) == (1, 1)


def test_twelve_weeks_on_request_and_four_for_anything_else(client):
    person = UserFactory()
    logged(person, 24 * 40, context="close")
    client.force_login(person)

    twelve = client.get(reverse("moments:views"), {"weeks": "12"})
    odd = client.get(reverse("moments:views"), {"weeks": "7; drop"})

    assert twelve.context["moments_summary"].summary.n == 1
    assert "The last 12 weeks" in twelve.content.decode()
    assert odd.status_code == 200 and odd.context["weeks"] == 4
    assert odd.context["moments_summary"].summary.n == 0


def test_an_empty_view_is_kind_and_shows_n_zero(client):
    client.force_login(UserFactory())

    body = client.get(reverse("moments:views")).content.decode()

    assert "(n = 0)" in body and "half a minute" in body


def test_opening_the_reminder_page_writes_nothing(client):
    person = UserFactory()
    client.force_login(person)

    response = client.get(reverse("moments:reminders"))

    assert response.status_code == 200
    assert not MomentsSettings.objects.filter(person=person).exists()


def test_the_pages_need_a_sign_in(client):
    for name in ("moments:views", "moments:reminders"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_reminder_choice_is_saved_and_the_next_time_shown(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(
        reverse("moments:reminders"),
        {"frequency": "weekly", "at": "19:30", "weekday": "6", "time_zone": "Europe/Berlin"},
    )
    page = client.get(reverse("moments:reminders")).content.decode()

    assert response.status_code == 302
    saved = MomentsSettings.objects.get(person=person)
    assert (saved.reminder_frequency, saved.reminder_time, saved.reminder_weekday) == (
        "weekly", time(19, 30), 6,
    )  # fmt: skip
    assert saved.time_zone == "Europe/Berlin" and saved.reminders_chosen_at is not None
    assert saved.reminder_base_url == "http://testserver/"
    assert "The next reminder is planned for" in page and "Sunday" in page


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"frequency": "daily", "at": "", "time_zone": "UTC"}, "Choose a time"),
        ({"frequency": "weekly", "at": "08:00", "time_zone": "UTC"}, "Choose a day"),
        ({"frequency": "daily", "at": "08:00", "time_zone": "Nowhere/City"}, "not known"),
        ({"frequency": "hourly", "at": "08:00", "time_zone": "UTC"}, ""),
        ({"frequency": "daily", "at": "25:99", "time_zone": "UTC"}, ""),
    ],
)
def test_a_bad_choice_answers_400_and_writes_nothing(client, data, problem):
    person = UserFactory()
    client.force_login(person)

    response = client.post(reverse("moments:reminders"), data)

    assert response.status_code == 400
    assert problem in response.content.decode()
    assert (
        not MomentsSettings.objects.filter(person=person).exclude(reminder_frequency="off").exists()
    )


def test_switching_off_is_confirmed_and_resumes_nothing_by_itself(client):
    person = UserFactory()
    MomentsSettings.objects.create(
        person=person, reminder_frequency="daily", reminder_time=time(9), time_zone="UTC"
    )
    client.force_login(person)

    response = client.post(
        reverse("moments:reminders"), {"frequency": "off", "at": "", "time_zone": "UTC"},
        follow=True,
    )  # fmt: skip

    assert "Reminders are off" in response.content.decode()
    assert MomentsSettings.objects.get(person=person).reminder_frequency == "off"


def test_a_paused_reminder_says_so_kindly(client):
    person = UserFactory()
    MomentsSettings.objects.create(
        person=person, reminder_frequency="daily", reminder_time=time(9), time_zone="UTC",
        reminders_paused_at=timezone.now(), ignored_in_row=5,
    )  # fmt: skip
    client.force_login(person)

    body = client.get(reverse("moments:reminders")).content.decode()

    assert "paused" in body and "completely fine" in body
