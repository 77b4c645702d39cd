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
def published():
    return queries.published_copy()


@pytest.fixture
def draft(published):
    return services.create_copy_draft_from(source=published, version="copy-4")


def change_url(report_copy: ReportCopyVersion) -> str:
    return reverse("admin:assessments_reportcopyversion_change", args=[report_copy.pk])


def test_copy_changelist_lists_the_published_copy(admin_client, published):
    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert "copy-3" in response.content.decode()


def test_new_draft_action_copies_every_text_of_the_chosen_version(admin_client, published):
    data = {"action": "make_draft", "_selected_action": [published.pk]}

    response = admin_client.post(CHANGELIST, data, follow=True)

    draft = ReportCopyVersion.objects.get(version="copy-4")
    assert response.status_code == 200
    assert draft.status == "draft"
    assert draft.based_on == published
    assert draft.texts == published.texts | {"version": "copy-4"}


def test_published_copy_is_shown_read_only_with_the_reason(admin_client, published):
    response = admin_client.get(change_url(published))

    content = response.content.decode()
    assert response.status_code == 200
    assert "is published, so it is read-only" in content
    assert 'name="texts"' not in content


def test_published_copy_refuses_an_edit_through_the_admin(admin_client, published):
    texts = dict(published.texts, disclaimer="Changed.")

    response = admin_client.post(
        change_url(published), {"version": "copy-3", "texts": json.dumps(texts)}
    )

    assert response.status_code == 403
    published.refresh_from_db()
    assert published.texts["disclaimer"] != "Changed."


def texts_url(report_copy: ReportCopyVersion) -> str:
    return reverse("admin:assessments_reportcopyversion_texts", args=[report_copy.pk])


def field(*keys: str) -> str:
    return "text:" + json.dumps(list(keys))


def test_draft_texts_are_edited_one_field_at_a_time(admin_client, draft):
    new = "A self-reflection tool, not a diagnosis. New words."

    response = admin_client.post(texts_url(draft), {field("disclaimer"): new})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.texts["disclaimer"] == new


def test_draft_change_form_has_no_json_box_and_ignores_posted_texts(admin_client, draft):
    texts = json.loads(json.dumps(draft.texts))
    del texts["suggestions"]["BON.C"]["why"]

    page = admin_client.get(change_url(draft)).content.decode()
    response = admin_client.post(
        change_url(draft), {"version": "copy-4", "texts": json.dumps(texts)}
    )

    assert 'name="texts"' not in page
    assert "Edit the texts one at a time" in page
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "why" in draft.texts["suggestions"]["BON.C"]


def test_publish_action_publishes_the_draft_and_retires_the_old_copy(
    admin_client, draft, published
):
    data = {"action": "publish_copy", "_selected_action": [draft.pk]}
    confirm = reverse("admin:assessments_reportcopyversion_publish", args=[draft.pk])

    response = admin_client.post(CHANGELIST, data)
    draft.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == confirm
    assert draft.status == "draft"  # the action only leads to the confirmation page
    admin_client.post(confirm)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
    assert published.status == "retired"
    assert published.texts["version"] == "copy-3"


def test_publish_action_refuses_an_incomplete_draft_and_says_why(admin_client, draft, published):
    texts = dict(draft.texts, growth_reminder="  ")
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    data = {"action": "publish_copy", "_selected_action": [draft.pk]}

    response = admin_client.post(CHANGELIST, data, follow=True)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "“growth_reminder” must be a non-empty text." in response.content.decode()
    assert queries.published_copy() == published


def test_publish_copy_refuses_a_version_that_is_not_a_draft(published):
    with pytest.raises(services.PublishError):
        services.publish_copy(report_copy=published)


def test_copy_problems_of_the_published_copy_are_none(published):
    assert checks.copy_problems(published.texts) == []


def test_copy_problems_name_an_unknown_placeholder(published):
    texts = json.loads(json.dumps(published.texts))
    texts["not_scored"] = "You answered {answered} of {count} statements."

    assert checks.copy_problems(texts) == ["“not_scored” uses an unknown placeholder {count}."]


def test_copy_problems_name_an_unmatched_brace(published):
    texts = dict(published.texts, intro="Welcome {")

    assert checks.copy_problems(texts) == [
        "“intro” has an unmatched { or }; write {{ or }} for a plain brace."
    ]


def test_copy_problems_refuse_texts_that_are_not_an_object():
    assert checks.copy_problems(["not", "an", "object"]) == [
        "“texts” must be a group of texts ({…})."
    ]


def test_next_copy_version_skips_versions_in_use(published):
    services.create_copy_draft_from(source=published, version="copy-4")

    assert services.next_copy_version(published) == "copy-4-2"


@pytest.mark.parametrize("text", ["{dimension:d}", "{answered:>2000000}", "{answered!r}"])
def test_draft_edit_with_a_formatted_placeholder_is_refused(admin_client, draft, text):
    response = admin_client.post(
        texts_url(draft), {field("not_scored"): f"You answered {text} statements."}
    )

    assert response.status_code == 400
    assert f"“not_scored” uses {escape(text)}: a placeholder" in response.content.decode()
    draft.refresh_from_db()
    assert text not in draft.texts["not_scored"]


def test_publish_action_refuses_a_draft_with_a_formatted_placeholder(
    admin_client, draft, published
):
    texts = dict(draft.texts, not_scored="You answered {answered:>2000000} statements.")
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    data = {"action": "publish_copy", "_selected_action": [draft.pk]}

    response = admin_client.post(CHANGELIST, data, follow=True)

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "“not_scored” uses {answered:&gt;2000000}" in response.content.decode()
    assert queries.published_copy() == published
