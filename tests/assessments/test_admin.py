"""The instrument admin: staff only, drafts editable, published versions read-only."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments import services
from assessments.models import InstrumentVersion
from tests.factories import UserFactory, published_instrument

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessments_instrumentversion_changelist")


@pytest.fixture
def draft():
    return services.create_draft_from(source=published_instrument(), version="1.1")


def item_form(item, **changes) -> dict:
    data = {
        "code": item.code, "text": item.text, "kind": item.kind, "dimension": item.dimension,
        "facet": item.facet or "", "context": item.context, "reverse": "on" if item.reverse else "",
        "page": item.page, "change": item.change,
    }  # fmt: skip
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:assessments_itemversion_changelist"),
        reverse("admin:assessments_itemversion_changelist") + "?dimension=REG&context=W&q=alert",
    ],
)
def test_admin_pages_work_for_a_superuser(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 200


def test_admin_is_refused_to_anonymous_visitors(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_admin_is_refused_to_people_who_are_not_staff(client):
    client.force_login(UserFactory(is_staff=False))

    response = client.get(CHANGELIST)

    assert response.status_code == 302


def test_staff_without_instrument_permissions_get_403(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(CHANGELIST)

    assert response.status_code == 403


def test_published_version_is_shown_read_only_with_the_reason(admin_client):
    url = reverse("admin:assessments_instrumentversion_change", args=[published_instrument().pk])

    response = admin_client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "so it is read-only" in content
    assert "New draft from this version" in content
    assert 'name="_save"' not in content


def test_posting_to_a_published_version_changes_nothing(admin_client):
    instrument = published_instrument()
    url = reverse("admin:assessments_instrumentversion_change", args=[instrument.pk])

    response = admin_client.post(url, {"version": "1.0", "title": "Hacked", "notes": ""})

    assert response.status_code == 403
    assert InstrumentVersion.objects.get(pk=instrument.pk).title != "Hacked"


def test_published_item_cannot_be_edited_in_the_admin(admin_client):
    item = published_instrument().items.get(code="MEN1-C1")
    url = reverse("admin:assessments_itemversion_change", args=[item.pk])

    response = admin_client.post(url, item_form(item, text="Changed"))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text != "Changed"


def test_editing_draft_wording_asks_whether_it_is_equivalent_or_substantive(admin_client, draft):
    item = draft.items.get(code="TRU1-C1")
    url = reverse("admin:assessments_itemversion_change", args=[item.pk])
    new_text = "I give people close to me the benefit of the doubt."

    asked = admin_client.post(url, item_form(item, text=new_text))
    saved = admin_client.post(url, item_form(item, text=new_text, change="wording"))

    assert asked.status_code == 200
    assert "Is the new text wording-equivalent" in asked.content.decode()
    assert saved.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.change) == (new_text, "wording")


def test_changing_keying_in_a_draft_must_be_called_substantive(admin_client, draft):
    item = draft.items.get(code="TRU1-C1")
    url = reverse("admin:assessments_itemversion_change", args=[item.pk])

    refused = admin_client.post(url, item_form(item, reverse="on", change="wording"))

    assert "always substantive" in refused.content.decode()
    item.refresh_from_db()
    assert item.reverse is False


def test_new_draft_action_makes_a_copy(admin_client):
    response = admin_client.post(
        CHANGELIST,
        {"action": "make_draft", "_selected_action": [published_instrument().pk]},
        follow=True,
    )

    assert "Draft 1.1 created from 1.0" in response.content.decode()
    assert InstrumentVersion.objects.get(version="1.1").items.count() == 76


def test_publish_action_refuses_a_broken_draft_with_a_clear_message(admin_client, draft):
    draft.items.get(code="QC1").delete()

    shown = admin_client.post(
        CHANGELIST, {"action": "publish_version", "_selected_action": [draft.pk]}, follow=True
    )
    posted = admin_client.post(
        reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])
    )

    assert "cannot be published yet" in shown.content.decode()
    assert "QC1 is missing" in shown.content.decode()
    assert posted.status_code == 409
    assert "was not published" in posted.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publish_action_publishes_a_valid_draft_from_its_confirmation_page(admin_client, draft):
    url = reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])
    shown = admin_client.post(
        CHANGELIST, {"action": "publish_version", "_selected_action": [draft.pk]}
    )

    assert shown.status_code == 302 and shown["Location"] == url
    assert published_instrument().version == "1.0"  # the action alone publishes nothing
    response = admin_client.post(url, follow=True)

    assert "Version 1.1 is now published" in response.content.decode()
    assert InstrumentVersion.objects.get(version="1.0").status == "retired"


def test_order_page_moves_a_statement_without_typing_positions(admin_client, draft):
    url = reverse("admin:assessments_instrumentversion_order", args=[draft.pk])
    second = draft.items.order_by("position")[1]

    page = admin_client.get(url)
    moved = admin_client.post(url, {"item": second.pk, "direction": "up"})

    assert page.status_code == 200 and "Move " + second.code + " up" in page.content.decode()
    assert moved.status_code == 302
    second.refresh_from_db()
    assert second.position == 1


def test_draft_change_page_links_to_the_statements_instead_of_760_fields(admin_client, draft):
    url = reverse("admin:assessments_instrumentversion_change", args=[draft.pk])
    statements = reverse("admin:assessments_instrumentversion_statements", args=[draft.pk])

    response = admin_client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{statements}"' in page and "Edit the statements one at a time" in page
    assert "Change the order of statements" in page
    assert "items-TOTAL_FORMS" not in page and "REG1-W3" not in page


def test_staff_with_view_permission_only_sees_but_cannot_change(client, draft):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_instrumentversion"))
    client.force_login(user)
    url = reverse("admin:assessments_instrumentversion_change", args=[draft.pk])

    response = client.post(url, {"version": "9.9", "title": "x"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.version == "1.1"
