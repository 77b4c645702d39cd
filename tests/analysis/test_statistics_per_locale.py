"""Statistics per locale (issue 16 line 4): German and English respondents are never pooled.
The kept sums, the page and the parameter sets are per locale; a German profile's reliable
change uses the German set."""

import pytest
from django.urls import reverse

from analysis import maintenance, queries, tasks
from analysis.models import Contribution, SampleGroup
from assessments.models import ReliabilityParameterSet
from assessments.queries import reliability_params_for
from tests.analysis.stats_helpers import build_profiles
from tests.factories import UserFactory, published_instrument

pytestmark = pytest.mark.django_db


def statistics_url(locale: str | None = None) -> str:
    url = reverse(
        "admin:assessments_instrumentversion_statistics", args=[published_instrument().pk]
    )
    return url if locale is None else f"{url}?locale={locale}"


def test_each_locale_is_its_own_sample():
    build_profiles(30, seed=1)
    build_profiles(12, seed=2, locale="de")
    version = published_instrument()

    english = maintenance.item_statistics(version).report
    german = maintenance.item_statistics(version, "de").report

    assert (english.n, german.n) == (30, 12)
    assert english == queries.item_statistics(version, "en")
    assert german == queries.item_statistics(version, "de")
    assert english != german
    assert set(SampleGroup.objects.values_list("locale", flat=True)) == {"en", "de"}


def test_an_account_answering_in_both_languages_is_in_both_samples():
    person = UserFactory()
    build_profiles(1, users=[person], seed=3)
    build_profiles(1, users=[person], seed=4, locale="de")
    version = published_instrument()

    assert maintenance.item_statistics(version).report.n == 1
    assert maintenance.item_statistics(version, "de").report.n == 1
    units = Contribution.objects.values_list("group__locale", "unit").distinct()
    assert set(units) == {("en", f"user:{person.pk}"), ("de", f"user:{person.pk}")}


def test_a_new_german_profile_is_kept_in_the_german_sums_only():
    build_profiles(5, seed=5)
    build_profiles(5, seed=6, locale="de")
    version = published_instrument()
    maintenance.item_statistics(version)
    maintenance.item_statistics(version, "de")

    [added] = build_profiles(1, seed=8, locale="de")
    tasks.update_statistics(profile_ids=[added.pk])

    assert maintenance.item_statistics(version).report.n == 5
    assert maintenance.item_statistics(version, "de").report.n == 6
    kept = sorted(SampleGroup.objects.values_list("locale", "pool", "sums"))
    maintenance.rebuild_all()
    assert sorted(SampleGroup.objects.values_list("locale", "pool", "sums")) == kept


def test_the_page_shows_one_locale_and_links_the_other(admin_client):
    build_profiles(55, seed=9)
    build_profiles(51, seed=10, locale="de")

    english = admin_client.get(statistics_url()).content.decode()
    german = admin_client.get(statistics_url("de")).content.decode()

    assert "n = 55" in english and "n = 51" not in english
    assert "n = 51" in german and "n = 55" not in german
    assert "Item statistics of version 1.0 in Deutsch (translation — not yet validated)" in german
    assert 'href="?locale=de"' in english and 'href="?locale=en"' in german


def test_an_unknown_locale_is_not_found(admin_client):
    assert admin_client.get(statistics_url("xx")).status_code == 404


def test_a_set_released_from_german_answers_applies_to_german_profiles_only(admin_client):
    build_profiles(200, seed=11, locale="de")
    build_profiles(20, seed=12)
    version = published_instrument()
    german = queries.item_statistics(version, "de")

    admin_client.post(statistics_url("de"))
    refused = admin_client.post(statistics_url(), follow=True).content.decode()

    released = ReliabilityParameterSet.objects.get(name="P1")
    men = german.dimensions[0]
    assert released.locale == "de" and released.n == 200
    assert released.values["MEN"] == {"sd": f"{men.sd:.2f}", "r": f"{float(men.scale.alpha):.4f}"}
    assert "Not enough data" in refused  # the 20 English profiles cannot support a set
    assert reliability_params_for(version, locale="de").id == "P1"
    assert reliability_params_for(version).id == "P0"
    page = admin_client.get(statistics_url()).content.decode()
    assert "None released for this version in this language yet" in page
    assert "P1: released" in admin_client.get(statistics_url("de")).content.decode()
