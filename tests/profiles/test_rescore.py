"""Re-scoring stored answers with the stored rules reproduces the snapshot exactly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from profiles import services
from profiles.models import Answer, ResultSnapshot
from tests.profiles.helpers import answer_all_pages, answer_page, start

pytestmark = pytest.mark.django_db


def submitted_profile(client: Client, value: int = 5):
    profile = start(client)
    answer_all_pages(client, profile, value=value)
    answer_page(client, profile, 3, value=2)
    client.post(reverse("profiles:review", args=[profile.public_id]))
    profile.refresh_from_db()
    return profile


def test_recompute_with_stored_rules_reproduces_the_snapshot_exactly(client):
    profile = submitted_profile(client)
    snapshot = ResultSnapshot.objects.get(profile=profile)

    assert services.recompute(snapshot=snapshot) == snapshot.data


def test_rescore_command_reports_no_mismatch_for_untouched_profiles(client):
    submitted_profile(client)
    submitted_profile(Client(), value=3)
    out = StringIO()

    call_command("rescore", stdout=out)

    assert out.getvalue().strip().endswith("Verified 2 profiles (2 snapshots): 0 mismatches")


def test_rescore_command_verifies_every_snapshot_not_only_the_newest(client, monkeypatch):
    profile = submitted_profile(client)
    call_command("rescore", "--write", "score-1", stdout=StringIO())
    recompute, verified = services.recompute, []

    def recording(*, snapshot):
        verified.append(snapshot.pk)
        return recompute(snapshot=snapshot)

    monkeypatch.setattr(services, "recompute", recording)
    out = StringIO()

    call_command("rescore", stdout=out)

    assert sorted(verified) == sorted(
        ResultSnapshot.objects.filter(profile=profile).values_list("pk", flat=True)
    )
    assert len(verified) == 2
    assert out.getvalue().strip().endswith("Verified 1 profiles (2 snapshots): 0 mismatches")


def test_rescore_command_reports_a_snapshot_that_no_longer_matches(client):
    profile = submitted_profile(client)
    # Simulate corruption below the application: answers changed behind its back.
    Answer.objects.filter(profile=profile).update(value=1)
    out = StringIO()

    with pytest.raises(CommandError, match="1 snapshots differ"):
        call_command("rescore", stdout=out)

    assert f"MISMATCH {profile.public_id}" in out.getvalue()


def test_rescore_write_adds_a_snapshot_and_keeps_the_old_one(client):
    profile = submitted_profile(client)
    original = ResultSnapshot.objects.get(profile=profile)
    out = StringIO()

    call_command("rescore", "--write", "score-1", stdout=out)

    snapshots = list(ResultSnapshot.objects.filter(profile=profile).order_by("created_at", "pk"))
    assert [s.reason for s in snapshots] == ["submission", "rescore"]
    assert snapshots[0].data == original.data
    assert snapshots[1].copy_version == original.copy_version
    assert "Rescored 1 profiles with score-1" in out.getvalue()


def test_rescore_write_refuses_unknown_rules(client):
    with pytest.raises(CommandError, match="Unknown scoring rules"):
        call_command("rescore", "--write", "score-99")


def test_snapshot_cannot_be_edited(client):
    snapshot = ResultSnapshot.objects.get(profile=submitted_profile(client))
    snapshot.data = {"tampered": True}

    with pytest.raises(Exception, match="immutable"):
        snapshot.save()
