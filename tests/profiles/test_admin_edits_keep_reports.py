"""Issue 19, "done when": everything the admin's editing flows publish leaves existing reports
byte-identical. A person's report, their comparison of two profiles and their list of profiles
are read before and after a statement is reworded substantively and published through the
confirmation page, and again after a report text is edited and published through the copy
diff; a profile started afterwards does get the new version and the new text."""

import re

import pytest
from django.urls import reverse

from assessments import copy_edit, queries, services
from assessments.models import InstrumentVersion
from profiles import services as profile_services
from tests.factories import ProfileFactory, UserFactory, answer_all, published_instrument

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')
REWORDED = "At work, I notice when a colleague seems quietly worried."
NEW_INTRO = "A new welcome to your profile, written in the copy editor."


def submitted(person, value: int, **fields):
    profile = ProfileFactory(user=person, **fields)
    answer_all(profile, value)
    profile_services.submit_profile(profile=profile)
    return profile


def pages(client, older, newer) -> dict[str, str]:
    """The pages a person reads about their existing profiles, with the CSRF mask removed."""
    queries.clear_caches()
    compare = reverse("profiles:compare") + f"?a={older.public_id}&b={newer.public_id}"
    urls = {
        "report": older.get_absolute_url(),
        "later report": newer.get_absolute_url(),
        "comparison": compare,
        "my profiles": reverse("profiles:mine"),
    }
    read = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        read[name] = CSRF_VALUE.sub(r"\1", response.content.decode())
    return read


def test_publishing_a_reworded_statement_and_an_edited_text_leaves_every_page_unchanged(
    client, admin_client
):
    person = UserFactory()
    older, newer = submitted(person, 3), submitted(person, 5)
    client.force_login(person)
    before = pages(client, older, newer)

    # A statement reworded substantively, through its page, then published through the diff.
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    item = draft.items.get(code="REG1-W3")
    statement = reverse("admin:assessments_instrumentversion_statement", args=[draft.pk, item.pk])
    fields = {
        "code": item.code, "text": REWORDED, "kind": item.kind, "dimension": item.dimension,
        "facet": item.facet, "context": item.context, "reverse": "on" if item.reverse else "",
        "change": "substantive",
    }  # fmt: skip
    saved = admin_client.post(statement, {k: v for k, v in fields.items() if v != ""})
    assert saved.status_code == 302
    publish = reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])
    assert admin_client.post(publish).status_code == 302
    assert InstrumentVersion.objects.get(version="1.1").status == "published"
    after_statement = pages(client, older, newer)

    # A report text edited on the texts page, then published through the copy diff.
    copy_draft = services.create_copy_draft_from(source=queries.published_copy(), version="copy-4")
    texts = reverse("admin:assessments_reportcopyversion_texts", args=[copy_draft.pk])
    saved = admin_client.post(texts, {copy_edit.field_name(("intro",)): NEW_INTRO})
    assert saved.status_code == 302
    copy_publish = reverse("admin:assessments_reportcopyversion_publish", args=[copy_draft.pk])
    assert admin_client.post(copy_publish).status_code == 302
    after_copy = pages(client, older, newer)

    for name, page in before.items():
        assert after_statement[name] == page, f"{name} changed when 1.1 was published"
        assert after_copy[name] == page, f"{name} changed when copy-4 was published"
    assert NEW_INTRO not in after_copy["report"]

    # Not hollow: a profile on the live 1.1, submitted now, reads the new text and 1.1's item.
    live = queries.published_instrument()
    assert live.version == "1.1" and live.items.get(code="REG1-W3").text == REWORDED
    fresh = submitted(person, 4, instrument_version=live)
    queries.clear_caches()
    assert NEW_INTRO in client.get(fresh.get_absolute_url()).content.decode()
