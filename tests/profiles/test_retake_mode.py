"""A retake starts with the previous profile's context mode and says that changing it makes
the two "not directly comparable" (issue 14, line 4)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from profiles import services
from tests.factories import ProfileFactory, UserFactory, answer_all
from tests.profiles.german import release_german
from tests.profiles.helpers import answer_all_pages, start

pytestmark = pytest.mark.django_db


def checked_mode(html: str) -> list[str]:
    return re.findall(r'name="context_mode" value="(\w+)"[^>]*\bchecked\b', html)


def submitted(user, mode: str, days_ago: int):
    profile = ProfileFactory(user=user, context_mode=mode)
    answer_all(profile)
    services.submit_profile(profile=profile)
    profile.submitted_at = timezone.now() - timedelta(days=days_ago)
    profile.save(update_fields=["submitted_at"])
    return profile


def test_a_first_start_preselects_nothing_and_says_nothing_about_comparing(client):
    html = client.get(reverse("profiles:start")).content.decode()

    assert len(re.findall(r'name="context_mode"', html)) == 3
    assert checked_mode(html) == []
    assert "not directly comparable" not in html


def test_a_signed_in_retake_preselects_the_newest_profiles_mode(client):
    person = UserFactory()
    submitted(person, "both", days_ago=90)
    submitted(person, "work_only", days_ago=10)
    client.force_login(person)

    html = client.get(reverse("profiles:start")).content.decode()

    assert checked_mode(html) == ["work_only"]
    assert "not directly comparable" in html
    assert 'aria-describedby="retake-note"' in html


def test_an_anonymous_retake_in_the_same_browser_preselects_the_mode(client):
    profile = start(client, mode="close_only")
    answer_all_pages(client, profile)
    client.post(reverse("profiles:review", args=[profile.public_id]))

    html = client.get(reverse("profiles:start")).content.decode()

    assert checked_mode(html) == ["close_only"]
    assert "not directly comparable" in html


def test_another_persons_profile_never_sets_the_mode(client):
    submitted(UserFactory(), "work_only", days_ago=1)
    client.force_login(UserFactory())

    assert checked_mode(client.get(reverse("profiles:start")).content.decode()) == []


def test_a_posted_choice_wins_over_the_previous_mode(client):
    person = UserFactory()
    submitted(person, "work_only", days_ago=1)
    client.force_login(person)

    profile = start(client, mode="both")

    assert profile.context_mode == "both"


def test_an_unticked_consent_shows_the_posted_mode_not_the_previous_one(client):
    person = UserFactory()
    submitted(person, "work_only", days_ago=1)
    client.force_login(person)

    response = client.post(reverse("profiles:start"), {"context_mode": "close_only", "nonce": "x"})

    assert response.status_code == 400
    assert checked_mode(response.content.decode()) == ["close_only"]


@pytest.mark.parametrize(
    ("language", "named"),
    [
        ("en-gb", "covered: work only. That choice"),
        ("de", "nur Arbeit"),
    ],
)
def test_the_retake_note_names_the_last_mode_in_the_interface_language(client, language, named):
    release_german()
    person = UserFactory()
    submitted(person, "work_only", days_ago=10)
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get(reverse("profiles:start")).content.decode()
    note = re.search(r'<p class="retake-note" id="retake-note">(.*?)</p>', html, re.S).group(1)

    assert named in note
    if language == "de":
        assert "work" not in note.lower() and "Work only" not in html


def test_an_english_start_page_in_a_german_interface_writes_british_dates(client):
    """German not offered: the start page is English, with the site's English dates ("23
    November 2026"), not Django's "en" ones ("Nov. 23, 2026")."""
    person = UserFactory()
    submitted(person, "both", days_ago=10)
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    html = client.get(reverse("profiles:start")).content.decode()
    note = re.search(r'<p class="retake-note" id="retake-note">(.*?)</p>', html, re.S).group(1)

    assert re.search(r"Your last profile \(\d{1,2} [A-Z][a-z]+ \d{4}\)", note), note
