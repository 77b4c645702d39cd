"""Staff and individual data: hidden by default, read-only and logged with the permission."""

import csv
import io

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from assessments import services
from profiles import privacy
from profiles.models import AccessLog, Answer, PageTime, Profile, ResultSnapshot
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
        client.get(reverse("admin:assessments_instrumentversion_statements", args=[draft.pk])),
        client.get(
            reverse("admin:assessments_instrumentversion_statement", args=[draft.pk, item.pk])
        ),
        client.get(reverse("admin:assessments_instrumentversion_publish", args=[draft.pk])),
        client.get(reverse("admin:assessments_itemversion_changelist") + "?q=alert"),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- every admin page that shows one person's record, for staff with and without the permission


# Django's own permissions on every model that holds people's records: staff "without" the
# permission hold all of these and still must see nothing.
MODEL_PERMISSIONS = [
    "view_profile", "view_user", "change_user", "delete_user", "view_accessattempt",
    "delete_accessattempt", "view_accesslog", "view_accessfailurelog", "view_instrumentversion",
]  # fmt: skip
PERSON = {"username": "lantern-owl", "email": "lantern-owl@example.org"}


@pytest.fixture
def records():
    """One person's profile, account and failed sign-in records (typed name and address)."""
    person = UserFactory(**PERSON)
    profile = ProfileFactory(user=person, submitted_at=timezone.now())
    attempt = AccessAttempt.objects.create(
        username=PERSON["email"], ip_address="10.9.9.9", user_agent="x", failures_since_start=1
    )
    failure = AccessFailureLog.objects.create(
        username=PERSON["email"], ip_address="10.9.9.9", user_agent="x", locked_out=False
    )
    sign_in = SignInLog.objects.create(username=PERSON["username"], ip_address="10.9.9.9")
    return {"person": person, "profile": profile, "attempt": attempt, "failure": failure,
            "sign_in": sign_in}  # fmt: skip


# (admin URL name, the record it names, logged action, logged record kind)
RECORD_PAGES = [
    ("admin:profiles_profile_changelist", None, "list", "profile"),
    ("admin:profiles_profile_change", "profile", "view", "profile"),
    ("admin:profiles_profile_history", "profile", "history", "profile"),
    ("admin:auth_user_changelist", None, "list", "account"),
    ("admin:auth_user_change", "person", "view", "account"),
    ("admin:auth_user_history", "person", "history", "account"),
    ("admin:auth_user_password_change", "person", "view", "account"),
    ("admin:auth_user_delete", "person", "view", "account"),
    ("admin:axes_accessattempt_changelist", None, "list", "sign_in"),
    ("admin:axes_accessattempt_change", "attempt", "view", "sign_in"),
    ("admin:axes_accessattempt_history", "attempt", "history", "sign_in"),
    ("admin:axes_accessfailurelog_changelist", None, "list", "sign_in"),
    ("admin:axes_accessfailurelog_change", "failure", "view", "sign_in"),
    ("admin:axes_accesslog_changelist", None, "list", "sign_in"),
    ("admin:axes_accesslog_change", "sign_in", "view", "sign_in"),
]


def record_url(records: dict, name: str, key: str | None) -> str:
    return reverse(name, args=[records[key].pk] if key else [])


def search_all(url: str, key: str | None) -> str:
    return url if key else f"{url}?q=lantern"  # a list page searched for the person


@pytest.mark.parametrize(("name", "key", "action", "record"), RECORD_PAGES)
def test_staff_without_view_individual_data_are_refused_every_record_page(
    client, records, name, key, action, record
):
    client.force_login(staff_with(*MODEL_PERMISSIONS))

    response = client.get(search_all(record_url(records, name, key), key))

    html = response.content.decode()
    assert response.status_code == 403
    assert PERSON["username"] not in html
    assert "lantern" not in html
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(("name", "key", "action", "record"), RECORD_PAGES)
def test_staff_with_view_individual_data_see_each_record_page_and_it_is_logged(
    client, records, name, key, action, record
):
    staff = staff_with("view_individual_data", *MODEL_PERMISSIONS)
    client.force_login(staff)

    response = client.get(search_all(record_url(records, name, key), key))

    entries = list(
        AccessLog.objects.values_list(
            "staff_username", "action", "record", "profile_public_id", "account_id"
        )
    )
    profile_id = records["profile"].public_id if key == "profile" else None
    account_id = records["person"].pk if key == "person" else None
    assert response.status_code == 200
    assert entries == [(staff.username, action, record, profile_id, account_id)]


def test_index_lists_no_people_records_for_staff_without_the_permission(client, records):
    client.force_login(staff_with(*MODEL_PERMISSIONS))

    html = client.get(reverse("admin:index")).content.decode()

    assert "Instrument versions" in html
    assert reverse("admin:auth_user_changelist") not in html
    assert reverse("admin:axes_accessattempt_changelist") not in html
    assert reverse("admin:profiles_profile_changelist") not in html


def view_on_site_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.mark.parametrize("permissions", [(), ("view_individual_data",)], ids=["without", "with"])
def test_view_on_site_never_turns_a_profile_pk_into_its_public_id(client, records, permissions):
    client.force_login(staff_with(*MODEL_PERMISSIONS, *permissions))

    response = client.get(view_on_site_url(records["profile"]))

    assert response.status_code == 404
    assert str(records["profile"].public_id) not in response.content.decode()
    assert "Location" not in response


def test_view_on_site_still_opens_records_that_offer_it_to_staff_who_may_view_them(client):
    instrument = published_instrument()
    editor = client
    editor.force_login(staff_with("view_instrumentversion"))

    allowed = editor.get(view_on_site_url(instrument))
    editor.force_login(staff_with("view_statistics"))
    refused = editor.get(view_on_site_url(instrument))

    assert allowed.status_code == 302
    assert allowed["Location"].endswith(instrument.get_absolute_url())
    assert refused.status_code == 404


def test_view_on_site_with_a_malformed_content_type_answers_404(client):
    client.force_login(staff_with(*MODEL_PERMISSIONS, "view_individual_data"))

    response = client.get(reverse("admin:view_on_site", args=["x", "1"]))

    assert response.status_code == 404


def export_csv(client) -> list[dict[str, str]]:
    url = reverse("admin:assessments_instrumentversion_export", args=[published_instrument().pk])
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_research_export_logs_every_exported_profile_for_its_owner_to_see(client):
    opted_in = [ProfileFactory(research_opt_in=True, submitted_at=timezone.now()) for _ in range(3)]
    ProfileFactory(research_opt_in=False, submitted_at=timezone.now())
    researcher = staff_with("view_statistics")
    client.force_login(researcher)

    rows = export_csv(client)

    logged = set(
        AccessLog.objects.filter(action="export", staff=researcher).values_list(
            "profile_public_id", flat=True
        )
    )
    assert len(rows) == 3
    assert logged == {p.public_id for p in opted_in}


def test_research_export_is_refused_without_view_statistics_and_logs_nothing(client):
    ProfileFactory(research_opt_in=True, submitted_at=timezone.now())
    client.force_login(staff_with(*MODEL_PERMISSIONS, "view_individual_data"))

    response = client.get(
        reverse("admin:assessments_instrumentversion_export", args=[published_instrument().pk])
    )

    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_a_deleted_account_leaves_staff_views_of_it_anonymous(client, records):
    client.force_login(staff_with("view_individual_data", *MODEL_PERMISSIONS))
    client.get(reverse("admin:auth_user_change", args=[records["person"].pk]))

    get_user_model().objects.filter(pk=records["person"].pk).delete()

    entry = AccessLog.objects.get()
    assert (entry.action, entry.record, entry.account_id) == ("view", "account", None)
    assert not Profile.objects.filter(pk=records["profile"].pk).exists()


def test_the_persons_own_export_lists_staff_views_of_their_account_and_profiles(client, records):
    records["profile"].research_opt_in = True
    records["profile"].save()
    client.force_login(staff_with("view_individual_data", "view_user", "view_statistics"))
    client.get(reverse("admin:auth_user_change", args=[records["person"].pk]))
    export_csv(client)

    data = privacy.export_user_data(user=records["person"])

    assert [v["what"] for v in data["staff_views_of_your_account"]] == ["Viewed one record"]
    assert [(v["profile"], v["what"]) for v in data["staff_views_of_your_profiles"]] == [
        (str(records["profile"].public_id), "Included a profile in a research export")
    ]
