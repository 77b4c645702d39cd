"""The locale is part of the result (issue 16 line 4): the report, its PDF and the comparison
render in the snapshot's locale whatever the interface language, byte for byte; reliable
change uses the parameter set of the profile's locale; two locales are not directly
comparable."""

import re
import uuid
from contextlib import contextmanager
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services as instrument_services
from assessments.models import ReliabilityParameterSet, ReportCopyVersion
from assessments.queries import copy_texts, published_copy
from profiles import pdf_services
from profiles import services as profile_services
from profiles.comparison import LOCALE_DIFFERS, compare_profiles
from profiles.models import Profile, ResultSnapshot
from profiles.report_queries import own_pair
from tests.factories import UserFactory, published_instrument
from tests.profiles.german import release_german
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

pytestmark = pytest.mark.django_db

REG_54 = "3 2 6 4 3 5 6 5 3 6 6 2"  # REG 54.17
REG_75 = "6 5 3 6 5 2 6 5 3 6 5 2"  # REG 75.00: +20.83, a reliable increase under P0


@pytest.fixture
def german():
    return release_german()


@contextmanager
def interface(client, language: str):
    """The interface in `language`, however the site chooses it: the active language, the
    language cookie and the browser's Accept-Language."""
    client.cookies["django_language"] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    try:
        with translation.override(language):
            yield
    finally:
        del client.cookies["django_language"]
        client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)


def report_body(html: str) -> str:
    """The report itself: from its title to its closing section."""
    match = re.search(r"<h1>.*?<section class=\"report-closing\".*?</section>", html, re.S)
    assert match, html[:2000]
    return match.group(0)


def german_copy() -> dict:
    return copy_texts(published_copy().version, "de")


def english_copy() -> dict:
    return copy_texts(published_copy().version)


def submitted_pair(person, earlier_locale: str, later_locale: str, *, days: int = 60):
    earlier = submitted(
        raw_answers(dict(EXAMPLE_3, REG=REG_54)),
        user=person,
        when=timezone.now() - timedelta(days),
        locale=earlier_locale,
    )
    later = submitted(raw_answers(dict(EXAMPLE_3, REG=REG_75)), user=person, locale=later_locale)
    return earlier, later


# ----------------------------------------------------------------------------- report
def test_a_german_report_is_in_german_and_the_same_in_either_interface(german, signed_in, person):
    earlier, profile = submitted_pair(person, "de", "de")
    url = reverse("profiles:report", args=[profile.public_id])

    with interface(signed_in, "en"):
        in_english_interface = signed_in.get(url).content.decode()
    with interface(signed_in, "de"):
        in_german_interface = signed_in.get(url).content.decode()

    body = report_body(in_english_interface)
    assert body == report_body(in_german_interface)
    assert unescape(german_copy()["intro"]) in unescape(body)
    assert english_copy()["intro"] not in unescape(body)
    assert english_copy()["disclaimer"] not in unescape(body)
    assert '<div lang="de">' in in_english_interface  # marked where the page is English
    assert "Übersetzung – noch nicht validiert" in body
    assert ResultSnapshot.objects.get(profile=profile).locale == "de"


def test_an_english_report_stays_english_in_a_german_interface(german, signed_in, person):
    _, profile = submitted_pair(person, "en", "en")
    url = reverse("profiles:report", args=[profile.public_id])

    english = signed_in.get(url).content.decode()
    with interface(signed_in, "de"):
        in_german_interface = signed_in.get(url).content.decode()

    assert report_body(english) == report_body(in_german_interface)
    assert english_copy()["intro"] in unescape(report_body(in_german_interface))
    assert german_copy()["intro"] not in unescape(in_german_interface)
    assert '<div lang="en">' in in_german_interface and '<div lang="' not in english
    assert "not-validated-note" not in english


def test_the_german_report_dates_are_german_in_either_interface(german, signed_in, person):
    """The "since last time" intro carries a date: written in the snapshot's locale."""
    earlier, profile = submitted_pair(person, "de", "de")
    Profile.objects.filter(pk=earlier.pk).update(submitted_at=timezone.now().replace(month=3))
    url = reverse("profiles:report", args=[profile.public_id])

    with interface(signed_in, "en"):
        body = report_body(signed_in.get(url).content.decode())

    assert "März" in body and "March" not in body


def test_report_dates_are_written_as_the_snapshots_locale_writes_them(german, signed_in, person):
    """Issue 16 line 6: „3. März 2026“ in German (the day with its full stop), "3 March 2026" in
    English as before, in the meta line and in "since last time"."""
    march = timezone.now().replace(month=3, day=3)
    for locale, day in [("de", "3. März"), ("en", "3 March")]:
        earlier, profile = submitted_pair(person, locale, locale)
        Profile.objects.filter(pk=earlier.pk).update(submitted_at=march - timedelta(days=365))
        Profile.objects.filter(pk=profile.pk).update(submitted_at=march)
        url = reverse("profiles:report", args=[profile.public_id])

        with interface(signed_in, "en"):
            body = unescape(report_body(signed_in.get(url).content.decode()))

        year = march.year
        meta = re.search(r'<p class="report-meta">(.*?)</p>', body).group(1)
        assert f"{day} {year}" in meta, meta
        assert f"{day} {year - 1}" in body


def test_the_pdf_is_in_the_snapshots_locale_whoever_asks(german, person):
    profile = submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    snapshot = ResultSnapshot.objects.get(profile=profile)

    with translation.override("en"):
        from_english = pdf_services.report_pdf_html(snapshot, "https://relcap.example/support/")
    with translation.override("de"):
        from_german = pdf_services.report_pdf_html(snapshot, "https://relcap.example/support/")

    assert from_english == from_german
    assert '<html lang="de" class="report-pdf">' in from_english
    assert "Übersetzung – noch nicht validiert" in from_english
    assert unescape(german_copy()["intro"]) in unescape(from_english)
    assert english_copy()["intro"] not in unescape(from_english)


def test_an_english_pdf_stays_english(german, person):
    profile = submitted(raw_answers(EXAMPLE_3), user=person)
    snapshot = ResultSnapshot.objects.get(profile=profile)

    with translation.override("de"):
        html = pdf_services.report_pdf_html(snapshot, "/support/")

    assert '<html lang="en" class="report-pdf">' in html
    assert english_copy()["intro"] in unescape(html)


def publish_copy_t() -> ReportCopyVersion:
    """A new copy published with copy-3's English texts and no German yet."""
    texts = {**english_copy(), "version": "copy-t"}
    draft = ReportCopyVersion.objects.create(version="copy-t", status="draft", texts=texts)
    return instrument_services.publish_copy(report_copy=draft)


def test_a_german_snapshot_is_pinned_to_the_newest_copy_that_speaks_german(german, person):
    """A copy published while the person answered, not released in German yet."""
    german_version = published_copy().version
    publish_copy_t()

    profile = submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    english = submitted(raw_answers(EXAMPLE_3), user=person)

    assert ResultSnapshot.objects.get(profile=profile).copy_version == german_version
    assert ResultSnapshot.objects.get(profile=english).copy_version == "copy-t"


def test_a_report_whose_copy_is_not_released_in_its_locale_says_so_and_shows_no_english(
    german, signed_in, person, monkeypatch
):
    """A German snapshot pinned to a copy without German (no copy spoke German when it was
    submitted): the result is kept and the page says the report is not ready, in place of
    English texts."""
    publish_copy_t()
    monkeypatch.setattr(profile_services, "copy_for_locale", lambda published, locale: published)
    profile = submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    assert ResultSnapshot.objects.get(profile=profile).copy_version == "copy-t"

    response = signed_in.get(reverse("profiles:report", args=[profile.public_id]))

    assert response.status_code == 503
    assert english_copy()["intro"] not in unescape(response.content.decode())
    assert ResultSnapshot.objects.filter(profile=profile).count() == 1
    pdf = signed_in.get(reverse("profiles:report_pdf", args=[profile.public_id]))
    assert pdf.status_code == 503 and pdf["Content-Type"].startswith("text/html")


# ----------------------------------------------------------------------------- comparison
def test_a_comparison_across_locales_is_not_directly_comparable(german, signed_in, person):
    earlier, later = submitted_pair(person, "de", "en")
    url = reverse("profiles:compare") + f"?a={earlier.public_id}&b={later.public_id}"

    html = unescape(signed_in.get(url).content.decode())
    view = compare_profiles(*own_pair_of(person, earlier, later))

    item_changed = english_copy()["change"]["not_comparable"]["item_changed"]
    assert {row.label for row in view.rows} == {"not_comparable"}
    assert {row.reason for row in view.rows} == {LOCALE_DIFFERS}
    assert {row.label_text for row in view.rows} == {item_changed}
    assert html.count(item_changed) == 6
    assert english_copy()["change"]["reliable_increase"] not in html


def test_the_same_pair_in_one_locale_shows_the_change(german, signed_in, person):
    earlier, later = submitted_pair(person, "de", "de")

    view = compare_profiles(*own_pair_of(person, earlier, later))

    labels = {row.code: row.label for row in view.rows}
    assert labels["REG"] == "reliable_increase"
    assert view.locale == "de"
    reg = next(row for row in view.rows if row.code == "REG")
    assert reg.label_text == german_copy()["change"]["reliable_increase"]


def test_the_comparison_is_worded_in_the_later_snapshots_locale_in_any_interface(
    german, signed_in, person
):
    earlier, later = submitted_pair(person, "de", "de")
    url = reverse("profiles:compare") + f"?a={earlier.public_id}&b={later.public_id}"

    with interface(signed_in, "en"):
        in_english = signed_in.get(url).content.decode()
    with interface(signed_in, "de"):
        in_german = signed_in.get(url).content.decode()

    table = re.compile(r"<h1>.*?</section>", re.S)
    assert table.search(in_english).group(0) == table.search(in_german).group(0)
    assert unescape(german_copy()["comparison"]["title"]) in unescape(in_english)


def test_changes_since_last_across_locales_say_not_directly_comparable(german, signed_in, person):
    earlier, profile = submitted_pair(person, "en", "de")

    html = signed_in.get(reverse("profiles:report", args=[profile.public_id])).content.decode()

    label = german_copy()["changes"]["labels"]["not_comparable"]
    assert unescape(html).count(f": {label}") == 6


def own_pair_of(person, earlier, later):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = person
    request.session = {}
    return own_pair(request, earlier.public_id, later.public_id)


# ----------------------------------------------------------------------------- reliability
def released_set(locale: str, name: str, sd: str = "4") -> ReliabilityParameterSet:
    """A set so tight that every difference of a few points is a reliable change."""
    return ReliabilityParameterSet.objects.create(
        name=name,
        instrument_version=published_instrument(),
        locale=locale,
        values={d: {"sd": sd, "r": "0.80"} for d in EXAMPLE_3},
        n=250,
        source=ReliabilityParameterSet.Source.ALPHA,
        released_at=timezone.now() - timedelta(days=90),
    )


def test_a_german_profile_uses_the_german_parameter_set(german, person):
    released_set("de", "P1")
    earlier, later = submitted_pair(person, "de", "de")

    view = compare_profiles(*own_pair_of(person, earlier, later))

    assert view.params_id == "P1"


def test_a_german_profile_never_uses_an_english_set(german, person):
    released_set("en", "P1")
    earlier, later = submitted_pair(person, "de", "de")
    english_earlier, english_later = submitted_pair(UserFactory(), "en", "en")
    owner = english_earlier.user

    german_view = compare_profiles(*own_pair_of(person, earlier, later))
    english_view = compare_profiles(*own_pair_of(owner, english_earlier, english_later))

    assert german_view.params_id == "P0"  # none released for German: the default, named
    assert english_view.params_id == "P1"
    assert "P0" in german_view.params_note


def test_the_review_names_capacities_from_the_copy_its_snapshot_will_use(german, client):
    """A copy published while the person answered in German, with no German yet."""
    from tests.profiles.helpers import answer_all_pages

    german_names = german_copy()["dimensions"]
    response = client.post(
        reverse("profiles:start"),
        {"context_mode": "both", "consent": "on", "adult": "on", "nonce": str(uuid.uuid4()),
         "locale": "de"},
    )  # fmt: skip
    profile = Profile.objects.get(public_id=response.url.split("/")[2])
    answer_all_pages(client, profile)
    publish_copy_t()

    review = unescape(
        client.get(reverse("profiles:review", args=[profile.public_id])).content.decode()
    )

    assert all(f">{names['name']}</h2>" in review for names in german_names.values())
