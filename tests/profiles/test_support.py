"""The support page lists the help lines and emergency line that staff keep in the admin."""

import re

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import SupportResource
from assessments.queries import copy_texts, published_copy
from assessments.system_checks import REGIONAL_SUPPORT_MISSING
from tests.profiles.helpers import answer_page, start

pytestmark = pytest.mark.django_db


def test_support_page_shows_admin_entered_help_lines_and_emergency_line(client):
    SupportResource.objects.create(
        name="Emergency services", region="EU", phone="112", is_emergency=True
    )
    SupportResource.objects.create(
        name="Night line", region="Somewhere", phone="0800 000", description="Talk any night."
    )
    SupportResource.objects.create(name="Closed service", is_active=False)

    html = client.get(reverse("support")).content.decode()

    assert "contact emergency services now" in html
    assert 'href="tel:112"' in html
    assert html.index("Emergency services") < html.index("Support options")
    assert "Night line" in html and "Talk any night." in html
    assert "Closed service" not in html


def test_support_page_without_resources_still_points_somewhere(client):
    SupportResource.objects.update(is_active=False)

    html = client.get(reverse("support")).content.decode()

    assert "Your doctor, a local counselling service" in html
    assert "not a crisis service" in html


def distress_page(client) -> str:
    """What a person whose check-in answer is "Agree" sees right after submitting."""
    profile = start(client)
    for page in range(1, 7):
        answer_page(client, profile, page, value=4)
    answer_page(client, profile, 7, value=6)
    response = client.post(reverse("profiles:review", args=[profile.public_id]))
    assert response.url == reverse("profiles:profile_support", args=[profile.public_id])
    return client.get(response.url).content.decode()


def test_fresh_database_ships_help_that_is_correct_everywhere():
    shipped = SupportResource.objects.filter(is_active=True)

    assert shipped.filter(is_emergency=True, is_worldwide=True).count() == 1
    assert shipped.filter(is_emergency=False, is_worldwide=True, url__startswith="https://")
    assert "112" in shipped.get(is_emergency=True).description


def test_distress_page_on_a_fresh_install_lists_the_shipped_help(client):
    html = distress_page(client)

    assert "Emergency services" in html and "112" in html
    assert "https://findahelpline.com/" in html


def test_see_support_options_goes_to_the_resources_page_not_to_text_on_screen(client):
    html = distress_page(client)

    button = re.search(
        r'<a class="btn btn-outline-primary" href="([^"]+)">See support options', html
    )
    assert button[1] == reverse("support") + "#support-options"
    target = client.get(reverse("support")).content.decode()
    assert 'id="support-options"' in target and "A free directory of crisis lines" in target


def test_footer_support_page_has_its_own_heading(client):
    html = client.get(reverse("support")).content.decode()

    assert "<h1>Support and help lines</h1>" in html
    assert "A moment before your results" not in html


def test_system_check_warns_until_a_regional_resource_exists():
    warned = [m.id for m in run_checks(databases=["default"])]
    SupportResource.objects.create(name="Local line", region="Northshire", phone="0800 1")
    after = [m.id for m in run_checks(databases=["default"])]

    assert REGIONAL_SUPPORT_MISSING in warned
    assert REGIONAL_SUPPORT_MISSING not in after


def test_system_check_does_not_query_when_no_database_is_asked_for(django_assert_num_queries):
    with django_assert_num_queries(0):
        ids = [m.id for m in run_checks()]

    assert REGIONAL_SUPPORT_MISSING not in ids


def test_admin_shows_a_banner_until_a_regional_resource_exists(admin_client):
    before = admin_client.get(reverse("admin:index")).content.decode()
    SupportResource.objects.create(name="Local line", region="Northshire", phone="0800 1")
    after = admin_client.get(reverse("admin:index")).content.decode()

    assert "No support resource for your region yet." in before
    assert "No support resource for your region yet." not in after


def german_support_page(client) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client.get(reverse("support")).content.decode()


def test_support_page_in_german_reads_the_german_copy_and_the_shipped_help_in_german(client):
    german = copy_texts(published_copy().version, "de")["support"]

    html = german_support_page(client)

    assert '<html lang="de"' in html
    assert german["counsellor_offer"] in html and german["emergency_line"] in html
    assert "Notruf (Überall)" in html and "Verzeichnis von Krisentelefonen" in html
    assert "A free directory of crisis lines" not in html and "Everywhere" not in html
    assert ' lang="en"' not in html


def test_a_resource_without_german_is_listed_on_the_german_page_in_english_marked_english(
    client,
):
    SupportResource.objects.create(name="Night line", region="Northshire", description="Talk.")
    SupportResource.objects.create(
        name="Half done",
        description="Only the name is translated.",
        translations={"de": {"name": "Halb"}},
    )

    html = german_support_page(client)

    assert '<li lang="en"><strong>Night line</strong> (Northshire): Talk.' in html
    assert '<li lang="en"><strong>Half done</strong>' in html and "Halb" not in html


def test_translations_of_a_resource_are_checked():
    resource = SupportResource(name="Line", translations={"fr": {"name": "Ligne"}})
    with pytest.raises(ValidationError, match="'fr' is not one of de"):
        resource.full_clean()
    resource.translations = {"de": {"name": "Leitung", "phone": "1"}}
    with pytest.raises(ValidationError, match="only name, region, description"):
        resource.full_clean()
    resource.translations = {"de": {"name": "Leitung"}}
    resource.full_clean()

    assert resource.translated("de") == {"name": "Leitung", "region": "", "description": ""}
    assert resource.translated("en")["name"] == "Line"
