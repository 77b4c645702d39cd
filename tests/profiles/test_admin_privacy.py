"""Staff and individual data: hidden by default, read-only and logged with the permission."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from assessments import services
from profiles.models import AccessLog, Answer, PageTime, ResultSnapshot
from tests.factories import ProfileFactory, UserFactory, answer_all, published_instrument

pytestmark = pytest.mark.django_db

SNAPSHOT_MARKER = "snapshot-secret-marker"


@pytest.fixture
def profile():
    profile = ProfileFactory(user=UserFactory(username="someone"), submitted_at=timezone.now())
    answer_all(profile, value=7)
    ResultSnapshot.objects.create(
        profile=profile, scoring_version="score-1", copy_version="copy-1",
        data={"marker": SNAPSHOT_MARKER},
    )  # fmt: skip
    return profile


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_answers_snapshots_and_page_times_are_not_in_the_admin():
    registered = admin.site._registry

    assert Answer not in registered
    assert ResultSnapshot not in registered
    assert PageTime not in registered


def test_instrument_editors_without_the_permission_see_no_individuals(client, profile):
    client.force_login(staff_with("view_instrumentversion", "change_itemversion"))

    index = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:profiles_profile_changelist"))
    detail = client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))

    assert "Instrument versions" in index
    assert "profiles/profile" not in index
    assert listing.status_code == 403
    assert detail.status_code == 403
    assert not AccessLog.objects.exists()


def test_django_view_profile_permission_alone_shows_nothing(client, profile):
    client.force_login(staff_with("view_profile"))

    response = client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))

    assert response.status_code == 403


def test_support_staff_see_a_read_only_record_without_answers_or_results(client, profile):
    client.force_login(staff_with("view_individual_data"))

    response = client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))

    html = response.content.decode()
    item = profile.instrument_version.items.first()
    assert response.status_code == 200
    assert str(profile.public_id) in html
    assert item.text not in html
    assert SNAPSHOT_MARKER not in html
    assert 'name="_save"' not in html
    assert "resume_token_hash" not in html


def test_support_staff_cannot_change_or_delete_a_profile(client, profile):
    client.force_login(staff_with("view_individual_data"))

    change = client.post(
        reverse("admin:profiles_profile_change", args=[profile.pk]), {"context_mode": "work_only"}
    )
    delete = client.post(
        reverse("admin:profiles_profile_delete", args=[profile.pk]), {"post": "yes"}
    )

    profile.refresh_from_db()
    assert change.status_code == 403
    assert delete.status_code == 403
    assert profile.context_mode == "both"


def test_every_look_at_individual_data_is_logged(client, profile):
    staff = staff_with("view_individual_data")
    client.force_login(staff)

    client.get(reverse("admin:profiles_profile_changelist"))
    client.get(reverse("admin:profiles_profile_change", args=[profile.pk]))

    entries = list(
        AccessLog.objects.order_by("pk").values_list(
            "staff_username", "action", "profile_public_id"
        )
    )
    assert entries == [
        (staff.username, "list", None),
        (staff.username, "view", profile.public_id),
    ]


def test_admin_shows_a_script_in_a_draft_question_as_text(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    item = draft.items.get(code="MEN1-C1")
    item.text = "<script>alert(1)</script>"
    item.save()

    pages = [
        client.get(reverse("admin:assessments_itemversion_change", args=[item.pk])),
        client.get(reverse("admin:assessments_instrumentversion_change", args=[draft.pk])),
        client.get(reverse("admin:assessments_itemversion_changelist") + "?q=alert"),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
