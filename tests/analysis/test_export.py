"""The pseudonymous CSV export of one version's responses: content, privacy and permissions."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from analysis import queries
from assessments import scoring
from profiles.models import Answer, ResultSnapshot
from tests.analysis.stats_helpers import build_profiles
from tests.factories import ProfileFactory, UserFactory, answer_all, published_instrument

score_1 = scoring.get("score-1")  # the rules these tests exercise

pytestmark = pytest.mark.django_db


def export_url() -> str:
    return reverse("admin:assessments_instrumentversion_export", args=[published_instrument().pk])


def read_export(client) -> list[dict[str, str]]:
    response = client.get(export_url())
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_export_round_trip_gives_back_the_stored_answers_and_scores(admin_client):
    profiles = build_profiles(3, users=[UserFactory(), None, UserFactory()])

    rows = read_export(admin_client)

    assert len(rows) == 3
    for profile, row in zip(profiles, rows, strict=True):
        for answer in Answer.objects.filter(profile=profile).select_related("item_version"):
            item = answer.item_version
            keyed = 8 - answer.value if item.reverse else answer.value
            assert row[f"{item.code}_raw"] == str(answer.value)
            assert row[f"{item.code}_keyed"] == str(keyed)
        data = ResultSnapshot.objects.get(profile=profile).data
        for code in score_1.DIMENSIONS:
            assert row[f"{code}_score"] == data["dimensions"][code]["score"]
        assert row["quality_level"] == data["quality"]["level"]
        assert row["instrument_version"] == "1.0"
        assert row["context_mode"] == "both"
        assert row["submitted_on"] == timezone.localdate(profile.submitted_at).isoformat()


def test_export_leaves_skipped_and_unshown_statements_empty(admin_client):
    profile = build_profiles(1, mode="close_only")[0]
    Answer.objects.filter(profile=profile, item_version__code="MEN1-C1").update(value=None)

    row = read_export(admin_client)[0]

    assert row["MEN1-C1_raw"] == row["MEN1-C1_keyed"] == ""
    assert row["MEN1-W1_raw"] == row["MEN1-W1_keyed"] == ""


def test_export_contains_no_names_emails_usernames_or_public_ids(admin_client):
    person = UserFactory(username="ada.lovelace", email="ada@example.org", first_name="Ada")
    profile = build_profiles(1, users=[person])[0]

    response = admin_client.get(export_url())
    text = b"".join(response.streaming_content).decode()

    for secret in ("ada", "Ada", "example.org", str(profile.public_id), profile.public_id.hex):
        assert secret not in text
    assert str(person.pk) not in csv.DictReader(io.StringIO(text)).fieldnames


def test_export_pseudonym_is_stable_and_differs_between_profiles(admin_client):
    build_profiles(2)

    first = [row["respondent"] for row in read_export(admin_client)]
    second = [row["respondent"] for row in read_export(admin_client)]

    assert first == second
    assert len(set(first)) == 2 and all(len(p) == 16 for p in first)


def test_export_leaves_out_drafts_and_profiles_without_research_consent(admin_client):
    build_profiles(2, research_opt_in=False)
    answer_all(ProfileFactory(research_opt_in=True))  # a draft: never submitted
    build_profiles(1)

    rows = read_export(admin_client)

    assert len(rows) == 1


def test_export_reads_profiles_in_batches_of_the_chunk_size():
    build_profiles(5)

    rows = list(queries.export_rows(published_instrument(), chunk_size=2))

    assert len(rows) == 1 + 5
    assert len({row[0] for row in rows[1:]}) == 5


def test_export_sends_anonymous_visitors_to_the_login(client):
    response = client.get(export_url())

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_export_refuses_staff_without_the_permission(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_instrumentversion"))
    client.force_login(user)

    response = client.get(export_url())

    assert response.status_code == 403


def test_export_opens_for_staff_with_view_statistics(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    client.force_login(user)

    response = client.get(export_url())

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="relcap-1.0-responses.csv"'
