"""Reliability parameter sets (ASSESSMENT.md §6): P0, release from the statistics page at
n ≥ 200, immutability once released, and the set in force for a version."""

from datetime import timedelta
from fractions import Fraction

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from analysis import queries as analysis_queries
from analysis import services as analysis_services
from assessments import scoring, services
from assessments.models import ReadOnlyError, ReliabilityParameterSet
from assessments.queries import reliability_params_for
from tests.analysis.stats_helpers import build_profiles
from tests.factories import UserFactory, published_instrument

score_1 = scoring.get("score-1")  # the rules these tests exercise

pytestmark = pytest.mark.django_db


def statistics_url() -> str:
    return reverse(
        "admin:assessments_instrumentversion_statistics", args=[published_instrument().pk]
    )


def test_p0_from_the_migration_holds_sd_15_and_r_80_for_every_dimension():
    p0 = ReliabilityParameterSet.objects.get(name="P0")

    assert p0.values == {d: {"sd": "15", "r": "0.80"} for d in score_1.DIMENSIONS}
    assert p0.is_released and p0.instrument_version is None


def test_params_for_a_version_without_its_own_set_are_p0():
    params = reliability_params_for(published_instrument())

    assert params == score_1.P0


def test_params_for_a_version_are_its_newest_released_set():
    instrument = published_instrument()
    values = {d: {"sd": "12.50", "r": "0.8500"} for d in score_1.DIMENSIONS}
    for name in ("P1", "P2"):
        ReliabilityParameterSet.objects.create(
            name=name, instrument_version=instrument, values=values, n=250,
            source="alpha", released_at=timezone.now(),
        )  # fmt: skip

    params = reliability_params_for(instrument)

    assert params.id == "P2"
    assert params.per_dimension["MEN"] == (Fraction(25, 2), Fraction(17, 20))


def test_params_at_a_moment_ignore_sets_released_after_it():
    before = timezone.now()
    ReliabilityParameterSet.objects.create(
        name="P1", instrument_version=published_instrument(), values={}, n=250,
        source="alpha", released_at=timezone.now(),
    )  # fmt: skip

    assert reliability_params_for(published_instrument(), at=before).id == "P0"
    assert reliability_params_for(published_instrument()).id == "P1"


def test_params_at_a_moment_are_the_newest_set_released_by_then():
    instrument, now = published_instrument(), timezone.now()
    for name, days_ago in (("P1", 30), ("P2", 10), ("P3", 1)):
        ReliabilityParameterSet.objects.create(
            name=name, instrument_version=instrument, values={}, n=250,
            source="alpha", released_at=now - timedelta(days=days_ago),
        )  # fmt: skip

    found = reliability_params_for(instrument, at=now - timedelta(days=5))

    assert found.id == "P2"


def test_params_for_another_version_ignore_sets_released_for_1_0():
    ReliabilityParameterSet.objects.create(
        name="P1", instrument_version=published_instrument(), values={}, n=250,
        source="alpha", released_at=timezone.now(),
    )  # fmt: skip
    draft = services.create_draft_from(source=published_instrument(), version="1.1")

    assert reliability_params_for(draft).id == "P0"


def test_release_below_200_profiles_is_refused(admin_client):
    build_profiles(199)

    response = admin_client.post(statistics_url(), follow=True)

    assert "Not enough data" in response.content.decode()
    assert list(ReliabilityParameterSet.objects.values_list("name", flat=True)) == ["P0"]


def test_release_button_is_disabled_below_200_profiles(admin_client):
    build_profiles(60)

    html = admin_client.get(statistics_url()).content.decode()

    assert "disabled>Release new parameter set" in html


def test_release_at_200_profiles_creates_p1_from_the_statistics(admin_client):
    build_profiles(200)
    report = analysis_queries.item_statistics(published_instrument())

    admin_client.post(statistics_url())

    released = ReliabilityParameterSet.objects.get(name="P1")
    men = report.dimensions[0]
    assert released.instrument_version == published_instrument()
    assert released.source == "alpha" and released.n == 200 and released.is_released
    assert released.values["MEN"] == {
        "sd": f"{men.sd:.2f}", "r": f"{float(men.scale.alpha):.4f}",
    }  # fmt: skip
    assert reliability_params_for(published_instrument()).id == "P1"


def test_release_needs_the_add_parameter_set_permission(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_statistics"))
    client.force_login(user)

    response = client.post(statistics_url())

    assert response.status_code == 403
    assert ReliabilityParameterSet.objects.count() == 1


def test_release_service_refuses_a_thin_sample():
    build_profiles(10)
    report = analysis_queries.item_statistics(published_instrument())

    with pytest.raises(analysis_services.ReleaseRefused, match="needs 200"):
        analysis_services.release_parameter_set(instrument=published_instrument(), report=report)


def test_released_set_cannot_be_saved_again():
    p0 = ReliabilityParameterSet.objects.get(name="P0")
    p0.values = {d: {"sd": "10", "r": "0.90"} for d in score_1.DIMENSIONS}

    with pytest.raises(ReadOnlyError):
        p0.save()


def test_released_set_cannot_be_updated_or_deleted_in_bulk():
    released = ReliabilityParameterSet.objects.filter(name="P0")

    with pytest.raises(ReadOnlyError):
        released.update(n=5)
    with pytest.raises(ReadOnlyError):
        released.delete()
    with pytest.raises(ReadOnlyError):
        released.get().delete()
