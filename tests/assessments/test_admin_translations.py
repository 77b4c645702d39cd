"""The admin's translation pages (issue 16 lines 2 and 5): per locale what is missing or out of
date with links to fix it, editing and approving one text with the locale's checks (logged),
and releasing a locale, which is refused with the list while it is incomplete."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments import services
from assessments.locales import INSTRUMENT_TEXT_KEYS
from assessments.models import InstrumentText, LocaleRelease, Translation
from tests.factories import UserFactory, published_instrument
from tests.perf.bench_pages import build_instrument

pytestmark = pytest.mark.django_db

GOOD = "Bei der Arbeit merke ich, wenn jemand im Team still besorgt wirkt."
TEXTS = len(INSTRUMENT_TEXT_KEYS)


def status_url(version, locale="de") -> str:
    return reverse("admin:assessments_instrumentversion_locale", args=[version.pk, locale])


def release_url(version, locale="de") -> str:
    return reverse("admin:assessments_instrumentversion_locale_release", args=[version.pk, locale])


def item_url(version, item, locale="de") -> str:
    return reverse(
        "admin:assessments_instrumentversion_translate_item", args=[version.pk, locale, item.pk]
    )


def text_url(version, text, locale="de") -> str:
    return reverse(
        "admin:assessments_instrumentversion_translate_text", args=[version.pk, locale, text.pk]
    )


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def reword(draft, code, text):
    item = draft.items.get(code=code)
    item.text, item.change = text, "wording"
    services.save_statement(item=item)
    return item


@pytest.fixture
def draft():
    return services.create_draft_from(source=published_instrument(), version="1.1")


# ----------------------------------------------------------------------------- status pages
def test_the_locale_list_counts_every_text_and_marks_german_not_validated(admin_client):
    version = published_instrument()

    response = admin_client.get(
        reverse("admin:assessments_instrumentversion_locales", args=[version.pk])
    )

    (german,) = response.context["locales"]
    assert (german["current"], german["out_of_date"], german["missing"]) == (76 + TEXTS, 0, 0)
    assert german["offered"] is False  # complete, not released yet
    assert "translation — not yet validated" in response.content.decode()


def test_the_status_page_lists_what_is_missing_or_out_of_date_with_links(admin_client, draft):
    reword(draft, "REG1-W3", "At work, a short email can put me on high alert.")
    services.add_statement(
        item=draft.items.model(
            instrument_version=draft, code="MEN1-C4", text="I notice when someone close to me "
            "seems quietly worried.", dimension="MEN", facet=1, context="C", page=1,
        )
    )  # fmt: skip

    response = admin_client.get(status_url(draft))

    page = response.content.decode()
    fix = {e["row"].key: e for e in response.context["to_fix"]}
    assert list(fix) == ["REG1-W3", "MEN1-C4"]
    assert fix["REG1-W3"]["state"] == "out_of_date" and fix["MEN1-C4"]["state"] == "missing"
    new = draft.items.get(code="MEN1-C4")
    assert f'href="{item_url(draft, new)}"' in page
    assert "out of date (the English changed after it was approved)" in page
    assert f"2 texts of {77 + TEXTS} need work." in page
    assert "translation — not yet validated" in page


def test_a_complete_locale_has_nothing_to_fix(admin_client):
    response = admin_client.get(status_url(published_instrument()))

    assert response.context["to_fix"] == []
    assert response.context["can_release"] is True
    assert "Nothing: every text is approved and current." in response.content.decode()


def _translate_everything(version) -> None:
    """German rows for a generated bench version, in bulk (the bench version carries the
    English texts of 1.0 already, as every version does)."""
    from assessments.locales import fingerprint

    sources = [*version.items.all(), *InstrumentText.objects.filter(instrument_version=version)]
    Translation.objects.bulk_create(
        Translation(
            instrument_version=version,
            locale="de",
            text=f"Deutsch {s.pk}",
            source_fingerprint=fingerprint(s.text),
            status="approved",
            approved_at=version.published_at,
            **({"item": s} if hasattr(s, "code") else {"instrument_text": s}),
        )  # fmt: skip
        for s in sources
    )


@pytest.mark.parametrize("k", [1, 2])
def test_the_status_page_costs_the_same_queries_at_72_and_144_items(
    admin_client, django_assert_num_queries, k
):
    version = build_instrument(k)
    if k > 1:
        _translate_everything(version)
    url = status_url(version)
    admin_client.get(url)  # warm the session and the content types

    # session, user, version, then statements, texts, translations and release of the locale
    with django_assert_num_queries(7):
        response = admin_client.get(url)

    assert len(response.context["rows"]) == 72 * k + 4 + TEXTS
    assert response.context["to_fix"] == []


def test_an_unknown_locale_is_not_found(admin_client):
    assert admin_client.get(status_url(published_instrument(), "xx")).status_code == 404


def test_staff_without_instrument_permission_cannot_see_translations(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(status_url(published_instrument())).status_code == 403


# ----------------------------------------------------------------------------- one text
def test_the_edit_page_shows_english_approved_text_and_german_checks(admin_client):
    version = published_instrument()
    item = version.items.get(code="REG1-W3")

    response = admin_client.get(item_url(version, item))

    page = response.content.decode()
    assert item.text in page
    assert "Bei der Arbeit kann mich schon eine knappe E-Mail" in page
    assert "Passes · Reading grade:</strong> Wiener Sachtextformel" in page
    assert "Passes · Context phrase:" in page
    assert "shipped with relcap" in page


def test_saving_a_failing_translation_is_refused_with_the_reasons(admin_client):
    version = published_instrument()
    item = version.items.get(code="REG1-W3")

    response = admin_client.post(
        item_url(version, item), {"text": "Ich fühle mich immer getriggert.", "_save": "1"}
    )

    assert response.status_code == 409
    assert "avoid theory words such as 'trigger…' (§2.3 rule 6)." in response.context["refused"]
    assert not Translation.objects.filter(item=item, status="draft").exists()


def test_save_and_approve_replaces_the_approved_text_and_is_logged(admin_client):
    version = published_instrument()
    item = version.items.get(code="MEN1-W3")

    response = admin_client.post(item_url(version, item), {"text": GOOD, "_approve": "1"})

    assert response.status_code == 302
    approved = Translation.objects.approved().get(item=item, locale="de")
    assert approved.text == GOOD and approved.approved_by.is_superuser
    assert Translation.objects.filter(item=item, locale="de", status="superseded").count() == 1
    entry = LogEntry.objects.get(object_id=str(approved.pk))
    assert entry.get_change_message() == "de translation of MEN1-W3 approved."


def test_a_double_submit_approves_once(admin_client):
    version = published_instrument()
    item = version.items.get(code="MEN1-W3")

    admin_client.post(item_url(version, item), {"text": GOOD, "_approve": "1"})
    admin_client.post(item_url(version, item), {"text": GOOD, "_approve": "1"})

    assert Translation.objects.filter(item=item, locale="de").count() == 2  # old + new
    assert Translation.objects.approved().get(item=item, locale="de").text == GOOD


def test_a_questionnaire_text_is_translated_without_statement_checks(admin_client):
    version = published_instrument()
    text = version.texts.get(key="scale.4")

    response = admin_client.get(text_url(version, text))
    saved = admin_client.post(text_url(version, text), {"text": "Weder noch", "_approve": "1"})

    assert response.context["checks"] == []
    assert saved.status_code == 302
    assert Translation.objects.approved().get(instrument_text=text).text == "Weder noch"


def test_an_empty_translation_is_refused(admin_client):
    version = published_instrument()
    text = version.texts.get(key="instruction")

    response = admin_client.post(text_url(version, text), {"text": "   ", "_save": "1"})

    assert response.status_code == 200 and response.context["form"].errors
    assert not Translation.objects.filter(instrument_text=text, status="draft").exists()


def test_a_translator_may_save_drafts_but_not_approve(client):
    client.force_login(staff_with("view_instrumentversion", "change_translation"))
    version = published_instrument()
    item = version.items.get(code="MEN1-W3")

    page = client.get(item_url(version, item)).content.decode()
    drafted = client.post(item_url(version, item), {"text": GOOD, "_save": "1"})
    approving = client.post(item_url(version, item), {"text": GOOD, "_approve": "1"})

    assert 'name="_approve"' not in page
    assert drafted.status_code == 302 and approving.status_code == 403
    assert Translation.objects.get(item=item, status="draft").text == GOOD


def test_view_permission_alone_sees_but_cannot_save(client):
    client.force_login(staff_with("view_instrumentversion"))
    version = published_instrument()
    item = version.items.get(code="MEN1-W3")

    assert client.get(item_url(version, item)).context["form"] is None
    assert client.post(item_url(version, item), {"text": GOOD}).status_code == 403


def test_a_source_of_another_version_is_not_found(admin_client, draft):
    other = draft.items.get(code="MEN1-W3")

    assert admin_client.get(item_url(published_instrument(), other)).status_code == 404


# ----------------------------------------------------------------------------- releasing
def test_releasing_an_incomplete_locale_is_refused_with_the_missing_list(admin_client, draft):
    reword(draft, "REG1-W3", "At work, a short email can put me on high alert.")
    draft = services.publish(instrument=draft)

    response = admin_client.post(release_url(draft))

    assert response.status_code == 409
    assert response.context["refused"] == ["REG1-W3: out of date"]
    assert "Deutsch was not released" in response.content.decode()
    assert not LocaleRelease.objects.exists()


def test_releasing_a_complete_locale_offers_it_and_is_logged(admin_client):
    version = published_instrument()

    first = admin_client.post(release_url(version))
    again = admin_client.post(release_url(version))

    assert first.status_code == again.status_code == 302
    release = LocaleRelease.objects.get()
    assert release.locale == "de" and release.released_by.is_superuser
    assert LogEntry.objects.filter(object_id=str(release.pk)).count() == 1
    page = admin_client.get(status_url(version)).content.decode()
    assert "Released on" in page and "Release Deutsch" not in page
    item = version.items.get(code="MEN1-W3")
    assert admin_client.get(item_url(version, item)).context["form"] is None


def test_releasing_needs_its_own_permission(client):
    client.force_login(
        staff_with("view_instrumentversion", "change_translation", "approve_translation")
    )
    version = published_instrument()

    assert "Release Deutsch" not in client.get(status_url(version)).content.decode()
    assert client.post(release_url(version)).status_code == 403
    assert not LocaleRelease.objects.exists()


def test_releasing_is_a_post(admin_client):
    assert admin_client.get(release_url(published_instrument())).status_code == 405


def test_the_version_page_links_to_its_translations(admin_client):
    version = published_instrument()
    url = reverse("admin:assessments_instrumentversion_change", args=[version.pk])

    page = admin_client.get(url).content.decode()

    assert reverse("admin:assessments_instrumentversion_locales", args=[version.pk]) in page


def test_publishing_a_draft_says_which_locales_to_release(admin_client, draft):
    publish = reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])

    page = admin_client.post(publish, follow=True).content.decode()

    assert "Deutsch is complete for version 1.1: release it under Translations" in page


def test_publishing_a_reworded_draft_says_what_german_needs(admin_client, draft):
    reword(draft, "REG1-W3", "At work, a short email can put me on high alert.")
    publish = reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])

    page = admin_client.post(publish, follow=True).content.decode()

    assert "Deutsch needs 1 text translated again before it can be released" in page
