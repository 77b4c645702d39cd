"""The admin's pages for report copy per locale (issue 16 line 3): the locales of a copy with
their counts, per locale what is missing or out of date with links, one text with its English
and the placeholder check (saved, approved and logged), and the release, refused with the list
while incomplete and allowed with its permission. Queries do not grow with the number of texts."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from assessments import copy_edit, queries, services
from assessments.models import CopyLocaleRelease, CopyTranslation, ReportCopyVersion
from tests.assessments.test_copy_translations import (
    VERSION,
    english,
    generated_german,
    text_count,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NAME = "admin:assessments_reportcopyversion"


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_reportcopyversion", *codenames])
    )
    return user


@pytest.fixture
def copy_t() -> ReportCopyVersion:
    return ReportCopyVersion.objects.create(
        version=VERSION, status="retired", texts=english(), published_at=timezone.now()
    )


def load(report_copy, groups=None):
    services.load_copy_translations(
        report_copy=report_copy, locale="de", release=False, note="test",
        groups=groups if groups is not None else generated_german(english()),
    )  # fmt: skip


def list_url(c):
    return reverse(f"{NAME}_locales", args=[c.pk])


def status_url(c, locale="de"):
    return reverse(f"{NAME}_locale", args=[c.pk, locale])


def release_url(c):
    return reverse(f"{NAME}_locale_release", args=[c.pk, "de"])


def edit_url(c, key):
    return reverse(f"{NAME}_translate", args=[c.pk, "de", key])


# ----------------------------------------------------------------------------- status pages
def test_the_locale_list_counts_every_text(admin_client, copy_t):
    load(copy_t, {k: v for k, v in generated_german(english()).items() if k != "openers"})

    response = admin_client.get(list_url(copy_t))

    (german,) = response.context["locales"]
    openers = sum(1 for t in copy_edit.texts_of(english()) if t.group == "openers")
    assert german["counts"] == {"current": text_count() - openers, "out_of_date": 0,
                                "missing": openers}  # fmt: skip
    assert german["readable"] is False
    assert "translation — not yet validated" in response.content.decode()
    assert status_url(copy_t) in response.content.decode()


def test_the_change_page_links_to_the_translations(admin_client, copy_t):
    response = admin_client.get(reverse(f"{NAME}_change", args=[copy_t.pk]))
    assert list_url(copy_t) in response.content.decode()


def test_the_status_page_lists_what_is_missing_or_out_of_date_with_links(admin_client, copy_t):
    load(copy_t)
    draft = services.create_copy_draft_from(source=copy_t, version="copy-u")
    services.save_copy_texts(report_copy=draft, changes={("intro",): "A new opening."})
    CopyTranslation.objects.filter(copy_version=draft, key="disclaimer").delete()

    response = admin_client.get(status_url(draft))

    page = response.content.decode()
    keys = [entry["row"].key for entry in response.context["to_fix"]]
    assert sorted(keys) == ["disclaimer", "intro"]
    assert edit_url(draft, "intro") in page and edit_url(draft, "disclaimer") in page
    assert "out of date (the English changed after it was approved)" in page
    assert response.context["can_release"] is False  # a draft


def test_the_status_page_filters_by_group(admin_client, copy_t):
    response = admin_client.get(status_url(copy_t) + "?group=openers")
    assert {entry["row"].group for entry in response.context["rows"]} == {"openers"}
    assert len(response.context["to_fix"]) == text_count()


def test_the_pages_cost_the_same_queries_at_any_number_of_texts(admin_client, copy_t):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bigger = english()
    bigger["extra"] = {f"t{n}": f"Text {n}." for n in range(700)}
    big = ReportCopyVersion.objects.create(
        version="copy-big", status="retired", texts=bigger, published_at=timezone.now()
    )
    load(copy_t)
    load(big, {**generated_german(english()), "extra": {f"t{n}": f"T {n}." for n in range(700)}})
    counts = {}
    for c in (copy_t, big):
        for url in (list_url(c), status_url(c), edit_url(c, "intro")):
            admin_client.get(url)  # warms the session and caches
            queries.clear_caches()
            with CaptureQueriesContext(connection) as captured:
                assert admin_client.get(url).status_code == 200
            counts[(c.version, url.split("/")[-2] if "text" not in url else "text")] = len(captured)
    small = {k[1]: v for k, v in counts.items() if k[0] == VERSION}
    large = {k[1]: v for k, v in counts.items() if k[0] == "copy-big"}
    assert small == large
    assert max(small.values()) <= 12


# ----------------------------------------------------------------------------- one text
def test_the_edit_page_shows_the_english_and_its_placeholders(admin_client, copy_t):
    response = admin_client.get(edit_url(copy_t, "not_scored"))
    page = response.content.decode()
    assert english()["not_scored"] in page
    assert response.context["check"]["wanted"] == ["answered", "dimension", "needed", "total"]
    assert "Report card of a capacity with too few answers." in page


def test_save_and_approve_is_logged_and_a_wrong_placeholder_is_refused(copy_t):
    from django.test import Client

    user = staff_with("change_copytranslation", "approve_copytranslation")
    client = Client()
    client.force_login(user)
    url = edit_url(copy_t, "not_scored")

    refused = client.post(url, {"text": "Zu wenige Antworten für {dimension}.", "_approve": "1"})
    assert refused.status_code == 409
    assert "placeholders of its English text" in refused.content.decode()
    assert not CopyTranslation.objects.filter(copy_version=copy_t).exists()

    checked = client.post(url, {"text": "{dimension}: {answered} von {total}; {needed}.",
                                "_check": "1"})  # fmt: skip
    assert checked.status_code == 200 and checked.context["check"]["problems"] == []
    assert not CopyTranslation.objects.filter(copy_version=copy_t).exists()

    text = "Für {dimension} haben Sie {answered} von {total} beantwortet; {needed} braucht es."
    response = client.post(url, {"text": text, "_approve": "1"})
    assert response.status_code == 302
    row = CopyTranslation.objects.get(copy_version=copy_t, key="not_scored")
    assert (row.status, row.text, row.approved_by_name) == ("approved", text, user.username)
    assert LogEntry.objects.filter(object_id=str(row.pk)).get().change_message.endswith("approved.")


def test_saving_needs_the_permission_and_approving_its_own(copy_t):
    from django.test import Client

    viewer, writer = staff_with(), staff_with("change_copytranslation")
    client = Client()
    client.force_login(viewer)
    assert client.get(edit_url(copy_t, "intro")).context["form"] is None
    assert client.post(edit_url(copy_t, "intro"), {"text": "Hallo."}).status_code == 403
    client.force_login(writer)
    assert (
        client.post(edit_url(copy_t, "intro"), {"text": "Hallo.", "_approve": "1"}).status_code
        == 403
    )
    assert client.post(edit_url(copy_t, "intro"), {"text": "Hallo."}).status_code == 302
    assert CopyTranslation.objects.get(key="intro", copy_version=copy_t).status == "draft"


def test_an_unknown_key_or_locale_is_not_found(admin_client, copy_t):
    assert admin_client.get(edit_url(copy_t, "no.such.key")).status_code == 404
    assert admin_client.get(status_url(copy_t, "fr")).status_code == 404


# ----------------------------------------------------------------------------- release
def test_release_is_refused_with_the_list_then_allowed_and_logged(copy_t):
    from django.test import Client

    user = staff_with("release_copy_locale")
    client = Client()
    client.force_login(user)
    load(copy_t, {k: v for k, v in generated_german(english()).items() if k != "intro"})

    refused = client.post(release_url(copy_t))
    assert refused.status_code == 409
    assert "“intro”: missing" in refused.content.decode()
    assert not CopyLocaleRelease.objects.filter(copy_version=copy_t).exists()

    load(copy_t)
    response = client.post(release_url(copy_t))
    assert response.status_code == 302
    release = CopyLocaleRelease.objects.get(copy_version=copy_t)
    assert release.released_by_name == user.username
    assert LogEntry.objects.filter(object_id=str(release.pk)).exists()
    assert client.post(release_url(copy_t)).status_code == 302
    assert CopyLocaleRelease.objects.filter(copy_version=copy_t).count() == 1
    assert queries.copy_locales(VERSION) == frozenset({"en", "de"})
    page = client.get(status_url(copy_t)).content.decode()
    assert "Released on" in page and 'name="_approve"' not in page


def test_release_needs_its_permission(copy_t):
    from django.test import Client

    client = Client()
    client.force_login(staff_with("change_copytranslation", "approve_copytranslation"))
    load(copy_t)
    assert client.get(status_url(copy_t)).context["can_release"] is False
    assert client.post(release_url(copy_t)).status_code == 403
    assert not CopyLocaleRelease.objects.filter(copy_version=copy_t).exists()


def test_publishing_a_copy_says_what_its_german_needs(admin_client, copy_t):
    load(copy_t)
    draft = services.create_copy_draft_from(source=copy_t, version="copy-u")
    services.save_copy_texts(report_copy=draft, changes={("intro",): "A new opening."})

    response = admin_client.post(reverse(f"{NAME}_publish", args=[draft.pk]), follow=True)

    notes = [str(m) for m in response.context["messages"]]
    assert "Deutsch needs 1 text translated again before it can be released for copy-u " \
        "(see Translations)." in notes  # fmt: skip
