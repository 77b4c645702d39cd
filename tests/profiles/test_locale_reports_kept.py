"""Issue 16, "done when": a German profile's report stays byte-identical after English wording
edits, and an English profile's report after German ones. A wording edit is a new copy version
(copy-4 here) with its own translations; a snapshot keeps the copy and the locale it was written
with, so its report, PDF page and the person's list of profiles never move. A profile submitted
afterwards does read the new wording, in its own language."""

import re

import pytest
from django.urls import reverse

from assessments import queries, services
from assessments.models import CopyTranslation
from profiles import pdf_services
from tests.factories import UserFactory
from tests.profiles.german import release_german
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted
from tests.profiles.test_result_locale import interface

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')
NEW_ENGLISH_INTRO = "Welcome back to your profile: a fresh opening line, written for copy-4."
NEW_GERMAN_INTRO = (
    "Willkommen zurück bei Ihrem Profil: eine neue erste Zeile für die Fassung copy-4."
)


def read(client, german, english) -> dict[str, str]:
    """Every page the two profiles are read on, each in both interface languages."""
    queries.clear_caches()
    pages = {}
    for language in ("en-gb", "de"):
        with interface(client, language):
            for name, profile in (("german", german), ("english", english)):
                html = client.get(profile.get_absolute_url()).content.decode()
                pages[f"{name} report, {language} interface"] = CSRF_VALUE.sub(r"\1", html)
            mine = client.get(reverse("profiles:mine")).content.decode()
            pages[f"my profiles, {language} interface"] = CSRF_VALUE.sub(r"\1", mine)
    for name, profile in (("german", german), ("english", english)):
        snapshot = profile.snapshots.order_by("-created_at").first()
        pages[f"{name} PDF source"] = pdf_services.report_pdf_html(snapshot, "/support/")
    return pages


def test_wording_edits_in_one_language_leave_the_reports_of_both_unchanged(client):
    release_german()
    person = UserFactory()
    german = submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    english = submitted(raw_answers(EXAMPLE_3), user=person, locale="en")
    client.force_login(person)
    before = read(client, german, english)
    editor = UserFactory(is_staff=True)

    # An English wording edit: copy-4 with a new intro, published. Its German intro (carried
    # from copy-3) is now out of date, so German is not released for copy-4 yet.
    draft = services.create_copy_draft_from(source=queries.published_copy(), version="copy-4")
    services.save_copy_texts(report_copy=draft, changes={("intro",): NEW_ENGLISH_INTRO})
    copy_4 = services.publish_copy(report_copy=draft)
    assert "de" not in queries.copy_locales("copy-4")
    after_english_edit = read(client, german, english)

    # A German wording edit: copy-4's German intro rewritten, approved and released.
    translation = services.save_copy_translation(
        report_copy=copy_4, key="intro", locale="de", text=NEW_GERMAN_INTRO, user=editor
    )
    services.approve_copy_translation(translation=translation, user=editor)
    services.release_copy_locale(report_copy=copy_4, locale="de", user=editor)
    assert "de" in queries.copy_locales("copy-4")
    after_german_edit = read(client, german, english)

    for name, page in before.items():
        assert after_english_edit[name] == page, f"{name} changed after the English edit"
        assert after_german_edit[name] == page, f"{name} changed after the German edit"
    assert not any(NEW_ENGLISH_INTRO in page for page in after_german_edit.values())
    assert not any(NEW_GERMAN_INTRO in page for page in after_german_edit.values())

    # Not hollow: profiles submitted now read copy-4, each in its own language.
    queries.clear_caches()
    new_german = submitted(raw_answers(EXAMPLE_3), user=person, locale="de")
    new_english = submitted(raw_answers(EXAMPLE_3), user=person, locale="en")
    assert CopyTranslation.objects.filter(copy_version=copy_4, key="intro", locale="de").exists()
    german_page = client.get(new_german.get_absolute_url()).content.decode()
    english_page = client.get(new_english.get_absolute_url()).content.decode()
    assert NEW_GERMAN_INTRO in german_page and NEW_ENGLISH_INTRO not in german_page
    assert NEW_ENGLISH_INTRO in english_page and NEW_GERMAN_INTRO not in english_page
