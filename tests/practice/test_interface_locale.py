"""Issue 16: the practitioner's pages read the live copy in the practitioner's language; the
pre-session brief (and its moments summary) renders in the shared snapshot's locale, like the
shared report, whatever the practitioner's interface language; English pages are unchanged."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.queries import copy_texts, published_copy
from moments.models import Moment
from practice import brief as brief_model
from practice import queries
from tests.factories import UserFactory
from tests.practice.helpers import client_for, connect, organisation, organisation_admin
from tests.practice.helpers import practitioner as make_practitioner
from tests.practice.test_brief import brief_url, example_3, share
from tests.practice.test_moments_sharing import choose
from tests.profiles.german import release_german
from tests.profiles.test_result_locale import interface

pytestmark = pytest.mark.django_db


@pytest.fixture
def german():
    return release_german()


def copy_in(locale: str) -> dict:
    return copy_texts(published_copy().version, locale)


def text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def shared(german):
    """Kim shares a German profile with Robin, and live moments as a summary."""
    robin, kim = make_practitioner(), UserFactory()
    connection = connect(robin, kim)
    share(connection, example_3(kim, locale="de"))
    Moment.objects.create(
        person=kim, occurred_at=timezone.now() - timedelta(hours=5), context="close",
        intensity=6, responses=["paused"], copy_version="copy-3",
    )  # fmt: skip
    choose(kim, connection, share_moments="on", moments_level="summary")
    connection.refresh_from_db()
    return robin, connection


def test_the_brief_of_a_german_profile_is_german_in_an_english_interface(shared):
    robin, connection = shared
    german, english = copy_in("de"), copy_in("en")

    body = text(client_for(robin.user).get(brief_url(connection)))

    assert german["brief"]["disclaimer"] in body
    assert english["brief"]["disclaimer"] not in body
    assert german["brief"]["capacities"]["heading"] in body
    assert english["brief"]["capacities"]["heading"] not in body
    assert '<article class="brief-body" lang="de">' in body


def test_the_brief_and_its_moments_summary_are_in_the_snapshots_locale(shared):
    robin, connection = shared
    source = queries.brief_source(robin, connection.public_id)

    context = brief_model.brief_context(source)

    assert context["brief"].locale == "de"
    assert context["brief"].words == copy_in("de")["brief"]
    assert context["moments_summary"] is not None
    assert context["moments_summary"].words == copy_in("de")["moments_views"]


def test_the_brief_of_an_english_profile_stays_english_in_a_german_interface(german):
    robin, kim = make_practitioner(), UserFactory()
    connection = connect(robin, kim)
    share(connection, example_3(kim))
    client = client_for(robin.user)

    english_page = text(client.get(brief_url(connection)))
    with interface(client, "de"):
        in_german_interface = text(client.get(brief_url(connection)))

    assert copy_in("en")["brief"]["disclaimer"] in in_german_interface
    assert copy_in("de")["brief"]["disclaimer"] not in in_german_interface
    assert '<article class="brief-body">' in english_page  # no lang: the page is English
    assert '<article class="brief-body" lang="en">' in in_german_interface


def test_the_client_pages_read_the_copy_in_the_practitioners_language(shared):
    robin, connection = shared
    client = client_for(robin.user)
    german, english = copy_in("de")["moments_views"], copy_in("en")["moments_views"]

    page_url = reverse("practice:client", args=[connection.public_id])
    with interface(client, "de"):
        german_page = client.get(page_url)
        clients = client.get(reverse("practice:clients"))
    english_page = client.get(page_url)

    assert german_page.context["moments_words"] == german
    assert english_page.context["moments_words"] is english
    assert clients.context["quality_words"] == copy_in("de")["brief"]["quality_level"]


def test_the_organisation_page_in_a_german_interface_is_german(german):
    admin = organisation_admin(organisation())
    client = client_for(admin)
    german, english = copy_in("de")["organisations"], copy_in("en")["organisations"]

    with interface(client, "de"):
        response = client.get(reverse("practice:organisation"))
    english_response = client.get(reverse("practice:organisation"))

    assert response.context["texts"] == german
    assert english_response.context["texts"] is english
    for key in ("area_title", "counts_intro", "invite_title"):
        assert german[key] in text(response) and english[key] not in text(response)
        assert english[key] in text(english_response)
