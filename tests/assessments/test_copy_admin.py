"""Report-copy versions in the admin and their services: drafts editable, published frozen."""

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import checks, queries, services
from assessments.models import ReportCopyVersion

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessments_reportcopyversion_changelist")


@pytest.fixture
def copy_1():
    return queries.published_copy()


@pytest.fixture
def draft(copy_1):
    return services.create_copy_draft_from(source=copy_1, version="copy-2")


def change_url(report_copy: ReportCopyVersion) -> str:
    return reverse("admin:assessments_reportcopyversion_change", args=[report_copy.pk])


def test_copy_changelist_lists_the_published_copy(admin_client, copy_1):
    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert "copy-1" in response.content.decode()


def test_new_draft_action_copies_every_text_of_the_chosen_version(admin_client, copy_1):
    data = {"action": "make_draft", "_selected_action": [copy_1.pk]}

    response = admin_client.post(CHANGELIST, data, follow=True)

    draft = ReportCopyVersion.objects.get(version="copy-2")
    assert response.status_code == 200
    assert draft.status == "draft"
    assert draft.based_on == copy_1
    assert draft.texts == copy_1.texts | {"version": "copy-2"}


def test_published_copy_is_shown_read_only_with_the_reason(admin_client, copy_1):
    response = admin_client.get(change_url(copy_1))

    content = response.content.decode()
    assert response.status_code == 200
    assert "is published, so it is read-only" in content
    assert 'name="texts"' not in content


def test_published_copy_refuses_an_edit_through_the_admin(admin_client, copy_1):
    texts = dict(copy_1.texts, disclaimer="Changed.")

    response = admin_client.post(
        change_url(copy_1), {"version": "copy-1", "texts": json.dumps(texts)}
    )

    assert response.status_code == 403
    copy_1.refresh_from_db()
    assert copy_1.texts["disclaimer"] != "Changed."


def test_draft_texts_are_edited_as_json(admin_client, draft):
    texts = dict(draft.texts, disclaimer="A self-reflection tool, not a diagnosis. New words.")

    response = admin_client.post(
        change_url(draft), {"version": "copy-2", "texts": json.dumps(texts)}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.texts["disclaimer"].endswith("New words.")


def test_draft_edit_missing_a_required_text_is_refused_with_its_key(admin_client, draft):
    texts = json.loads(json.dumps(draft.texts))
    del texts["suggestions"]["BON.C"]["why"]

    response = admin_client.post(
        change_url(draft), {"version": "copy-2", "texts": json.dumps(texts)}
    )

    assert response.status_code == 200
    assert "“suggestions.BON.C.why” is missing." in response.content.decode()
    draft.refresh_from_db()
    assert "why" in draft.texts["suggestions"]["BON.C"]


def test_publish_action_publishes_the_draft_and_retires_the_old_copy(admin_client, draft, copy_1):
    data = {"action": "publish_copy", "_selected_action": [draft.pk]}

    admin_client.post(CHANGELIST, data)

    draft.refresh_from_db()
    copy_1.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
    assert copy_1.status == "retired"
    assert copy_1.texts["version"] == "copy-1"


def test_publish_action_refuses_an_incomplete_draft_and_says_why(admin_client, draft, copy_1):
    texts = dict(draft.texts, growth_reminder="  ")
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    data = {"action": "publish_copy", "_selected_action": [draft.pk]}

    response = admin_client.post(CHANGELIST, data, follow=True)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "“growth_reminder” must be a non-empty text." in response.content.decode()
    assert queries.published_copy() == copy_1


def test_publish_copy_refuses_a_version_that_is_not_a_draft(copy_1):
    with pytest.raises(services.PublishError):
        services.publish_copy(report_copy=copy_1)


def test_copy_problems_of_copy_1_are_none(copy_1):
    assert checks.copy_problems(copy_1.texts) == []


def test_copy_problems_name_an_unknown_placeholder(copy_1):
    texts = json.loads(json.dumps(copy_1.texts))
    texts["not_scored"] = "You answered {answered} of {count} statements."

    assert checks.copy_problems(texts) == ["“not_scored” uses an unknown placeholder {count}."]


def test_copy_problems_name_an_unmatched_brace(copy_1):
    texts = dict(copy_1.texts, intro="Welcome {")

    assert checks.copy_problems(texts) == [
        "“intro” has an unmatched { or }; write {{ or }} for a plain brace."
    ]


def test_copy_problems_refuse_texts_that_are_not_an_object():
    assert checks.copy_problems(["not", "an", "object"]) == [
        "“texts” must be a group of texts ({…})."
    ]


def test_next_copy_version_skips_versions_in_use(copy_1):
    services.create_copy_draft_from(source=copy_1, version="copy-2")

    assert services.next_copy_version(copy_1) == "copy-2-2"


@pytest.mark.parametrize("text", ["{dimension:d}", "{answered:>2000000}", "{answered!r}"])
def test_draft_edit_with_a_formatted_placeholder_is_refused(admin_client, draft, text):
    texts = dict(draft.texts, not_scored=f"You answered {text} statements.")

    response = admin_client.post(
        change_url(draft), {"version": "copy-2", "texts": json.dumps(texts)}
    )

    assert response.status_code == 200
    assert f"“not_scored” uses {escape(text)}: a placeholder" in response.content.decode()
    draft.refresh_from_db()
    assert text not in draft.texts["not_scored"]


def test_publish_action_refuses_a_draft_with_a_formatted_placeholder(admin_client, draft, copy_1):
    texts = dict(draft.texts, not_scored="You answered {answered:>2000000} statements.")
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    data = {"action": "publish_copy", "_selected_action": [draft.pk]}

    response = admin_client.post(CHANGELIST, data, follow=True)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "“not_scored” uses {answered:&gt;2000000}" in response.content.decode()
    assert queries.published_copy() == copy_1
