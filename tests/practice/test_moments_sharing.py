"""Live moments shared with a practitioner only as the person chose (PRACTICE.md §4, §7):
off by default, a weekly summary or the entries, every view logged, withdrawn at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.queries import copy_texts
from moments.models import Moment
from practice import services
from practice.models import Connection, ShareAccess
from tests.factories import UserFactory
from tests.practice.helpers import client_for, connect, practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    robin, person = practitioner(), UserFactory()
    connection = connect(robin, person)
    now = timezone.now()
    Moment.objects.create(
        person=person, occurred_at=now - timedelta(hours=5), context="close", role="partner",
        triggers=["not_heard"], trigger_text="The dishes again", signals=["heat"], intensity=6,
        responses=["paused", "snapped"], copy_version="copy-3",
    )  # fmt: skip
    Moment.objects.create(
        person=person, occurred_at=now - timedelta(days=40), context="work", intensity=3,
        copy_version="copy-3",
    )  # fmt: skip
    return robin, person, connection


def choose(person, connection, **fields):
    prefix = str(connection.public_id)[:8]
    data = {f"{prefix}-future_level": "summary"}
    data |= {f"{prefix}-{key}": value for key, value in fields.items()}
    return client_for(person).post(reverse("practice:choices", args=[connection.public_id]), data)


def client_page(robin, connection):
    return client_for(robin.user).get(reverse("practice:client", args=[connection.public_id]))


def test_nothing_about_moments_is_shown_or_logged_by_default(pair):
    robin, _person, connection = pair

    body = client_page(robin, connection).content.decode()

    assert "Live moments shared with you" not in body and "The dishes again" not in body
    assert not ShareAccess.objects.exists()


def test_the_weekly_summary_shows_the_four_weeks_only_and_is_logged(pair):
    robin, person, connection = pair
    assert (
        choose(person, connection, share_moments="on", moments_level="summary").status_code == 302
    )

    response = client_page(robin, connection)

    body = response.content.decode()
    assert "Live moments shared with you" in body and "(n = 1)" in body  # the 40-day one is out
    assert 'role="img"' in body
    assert "The dishes again" not in body and "Moments of the last 4 weeks" not in body
    access = ShareAccess.objects.get()
    assert access.what == "moments_summary" and access.profile_public_id is None
    log = client_for(person).get(reverse("practice:sharing")).content.decode()
    assert "the live-moments summary" in log


def test_the_entries_level_shows_each_entry_in_words_and_is_logged(pair):
    robin, person, connection = pair
    choose(person, connection, share_moments="on", moments_level="entries")

    body = client_page(robin, connection).content.decode()

    assert "Moments of the last 4 weeks" in body
    assert "The dishes again" in body and "(6/10)" in body
    assert ShareAccess.objects.get().what == "moments_entries"
    chips = copy_texts("copy-3").get("moments", {}).get("chips", {}).get("response", {})
    shown = [chips.get(code, code) for code in ("paused", "snapped")]  # the code until labelled
    assert " → ".join(shown) in body  # in tap order


def test_withdrawing_or_ending_removes_the_moments_on_the_next_request(pair):
    robin, person, connection = pair
    choose(person, connection, share_moments="on", moments_level="entries")
    assert "The dishes again" in client_page(robin, connection).content.decode()

    choose(person, connection)  # share_moments unticked
    withdrawn = client_page(robin, connection).content.decode()
    choose(person, connection, share_moments="on", moments_level="summary")
    services.end_connection(connection=connection, by=Connection.EndedBy.PERSON)
    ended = client_page(robin, connection).content.decode()

    assert "Live moments shared with you" not in withdrawn
    assert "Live moments shared with you" not in ended and "(n = 1)" not in ended
    assert ShareAccess.objects.count() == 1  # only the one view while it was shared


def test_another_practitioner_sees_nothing(pair):
    _robin, person, connection = pair
    choose(person, connection, share_moments="on", moments_level="entries")
    other = practitioner("Alex Other")

    assert client_page(other, connection).status_code == 404
    assert not ShareAccess.objects.exists()


def test_the_level_is_saved_and_a_bad_one_refused_with_nothing_written(pair):
    _robin, person, connection = pair

    good = choose(person, connection, share_moments="on", moments_level="entries")
    bad = choose(person, connection, share_moments="on", moments_level="everything")

    assert good.status_code == 302 and bad.status_code == 400
    connection.refresh_from_db()
    assert connection.share_moments and connection.moments_level == "entries"


def test_the_sharing_page_offers_the_two_levels_in_the_copys_words(pair):
    _robin, person, _connection = pair

    body = client_for(person).get(reverse("practice:sharing")).content.decode()

    assert "A weekly summary: the 4-week view" in body
    assert "The individual entries, and the summary" in body
