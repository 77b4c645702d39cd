"""The admin statistics page and preview: permissions, sample rules against the database,
minimum-sample states, constant query count, and versions in practice."""

from fractions import Fraction

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from analysis import queries, tasks
from assessments import services
from assessments.models import InstrumentVersion, ItemVersion
from profiles.models import Answer, Profile, ResultSnapshot
from tests.analysis.stats_helpers import build_profiles
from tests.factories import UserFactory, published_instrument
from tests.profiles.helpers import answer_all_pages, page_fields, start

pytestmark = pytest.mark.django_db

# First view of a version (its sums built from the answers, analysis.maintenance.rebuild):
# session, user, instrument, items, stored groups (none), then the rebuild (savepoint, items,
# profiles, snapshots, answers, delete, a create and a bulk insert per group), groups again,
# version names, parameter sets: 17 with the one group of a lone version, and on PostgreSQL
# the table lock that makes a rebuild and the incremental updates take turns.
PAGE_QUERIES = 18
# Built (analysis.tasks.rebuild_statistics ran): items and the stored sums, never a profile.
WARM_PAGE_QUERIES = 7


def statistics_url(instrument: InstrumentVersion) -> str:
    return reverse("admin:assessments_instrumentversion_statistics", args=[instrument.pk])


def preview_url(instrument: InstrumentVersion) -> str:
    return reverse("admin:assessments_instrumentversion_preview", args=[instrument.pk])


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_statistics_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get(statistics_url(published_instrument()))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_statistics_page_refuses_staff_without_the_permission(client):
    client.force_login(staff_with("view_instrumentversion"))

    response = client.get(statistics_url(published_instrument()))

    assert response.status_code == 403


def test_statistics_page_opens_for_staff_with_view_statistics(client):
    client.force_login(staff_with("view_statistics"))

    response = client.get(statistics_url(published_instrument()))

    assert response.status_code == 200


def test_statistics_page_opens_for_a_superuser(admin_client):
    response = admin_client.get(statistics_url(published_instrument()))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_statistics_page_query_count_does_not_grow_with_profiles(
    admin_client, django_assert_max_num_queries, count
):
    build_profiles(count, users=[UserFactory() for _ in range(count // 2)] + [None] * (count // 2))
    url = statistics_url(published_instrument())

    with django_assert_max_num_queries(PAGE_QUERIES):
        response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_statistics_page_warmed_by_the_task_reads_no_answers(
    admin_client, django_assert_num_queries, count
):
    build_profiles(count)
    instrument = published_instrument()
    built = tasks.rebuild_statistics.apply(kwargs={"instrument_version_id": instrument.pk})

    with django_assert_num_queries(WARM_PAGE_QUERIES) as queries:
        response = admin_client.get(statistics_url(instrument))

    assert built.result >= 1
    assert response.status_code == 200
    assert f"n = {count}" in response.content.decode()
    assert not any("profiles_answer" in q["sql"] for q in queries.captured_queries)
    assert not any("profiles_profile" in q["sql"] for q in queries.captured_queries)


def test_statistics_page_of_a_draft_without_statements_opens(admin_client):
    empty = InstrumentVersion.objects.create(version="9.9")

    response = admin_client.get(statistics_url(empty))

    assert response.status_code == 200
    assert "collecting data: 0 of 50" in response.content.decode()


def test_statistics_page_with_49_profiles_is_hidden_while_collecting_data(admin_client):
    build_profiles(49)

    html = admin_client.get(statistics_url(published_instrument())).content.decode()

    assert "collecting data: 49 of 50" in html
    assert "Provisional" not in html
    assert "α if deleted" not in html


def test_statistics_page_with_50_profiles_is_shown_as_provisional(admin_client):
    build_profiles(50)

    html = admin_client.get(statistics_url(published_instrument())).content.decode()

    assert "collecting data" not in html
    assert "Provisional" in html
    assert "α if deleted" in html


def test_statistics_page_with_200_profiles_is_shown_normally(admin_client):
    build_profiles(200)

    html = admin_client.get(statistics_url(published_instrument())).content.decode()

    assert "collecting data" not in html
    assert "Provisional" not in html and "(provisional)" not in html
    assert "α if deleted" in html


def test_statistics_page_gates_each_pair_and_waits_for_500_before_omega(admin_client):
    build_profiles(60)
    # 20 people skipped one EMP statement: EMP and every pair with it have n = 40.
    for profile in Profile.objects.order_by("pk")[:20]:
        Answer.objects.filter(profile=profile, item_version__code="EMP1-C1").update(value=None)

    html = admin_client.get(statistics_url(published_instrument())).content.decode()

    assert "hidden: n = 40, under 50" in html  # the MEN–EMP cell (and the other EMP pairs)
    assert "(provisional, n = 60)" in html  # MEN–REG
    assert "shown from n = 500 on" in html  # no dimension reaches 500 here
    assert "among the 60 profiles that answered both contexts" in html


def test_statistics_page_shows_flags_as_text_labels(admin_client):
    build_profiles(60)
    Answer.objects.filter(item_version__code="MEN1-C1").update(value=7)

    html = admin_client.get(statistics_url(published_instrument())).content.decode()

    assert 'class="flag flag-amber">amber: one extreme</span>' in html
    assert 'style="' not in html and "<style" not in html and "<script>" not in html


def test_statistics_leave_out_low_quality_and_later_profiles_of_an_account():
    people = [UserFactory() for _ in range(3)]
    build_profiles(3, users=people, low_quality=True)  # earliest, but low quality
    kept = build_profiles(3, users=people, seed=8)
    build_profiles(3, users=people, seed=9)  # later retakes
    scales = [ResultSnapshot.objects.get(profile=p).data["dimensions"]["MEN"] for p in kept]

    report = queries.item_statistics(published_instrument())

    assert report.n == 3
    assert (
        report.dimensions[0].mean
        == sum(Fraction(100 * (s["s"] - s["n"]), 6 * s["n"]) for s in scales) / 3
    )


def test_statistics_mean_of_dimension_scores_comes_from_the_snapshots():
    profiles = build_profiles(4)
    scores = [ResultSnapshot.objects.get(profile=p).data["dimensions"]["REG"] for p in profiles]

    report = queries.item_statistics(published_instrument())

    expected = sum(100 * (s["s"] - s["n"]) / (6 * s["n"]) for s in scores) / 4
    assert float(report.dimensions[2].mean) == pytest.approx(expected)


def test_statistics_pool_a_wording_equivalent_earlier_version():
    build_profiles(5)
    draft = services.create_draft_from(source=published_instrument(), version="1.1")

    report = queries.item_statistics(draft)

    assert report.n == 5
    assert report.dimensions[0].scale.n == 5


def test_statistics_do_not_pool_a_dimension_with_a_substantive_change():
    build_profiles(5)
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    ItemVersion.objects.filter(instrument_version=draft, code="REG1-C1").update(
        text="A reworded statement about calming down.", change="substantive"
    )

    report = queries.item_statistics(draft)

    regulation = report.dimensions[2]
    assert (report.n, regulation.scale.n, regulation.n) == (0, 0, 0)
    assert report.dimensions[0].scale.n == 5
    assert {s.key: s.n for s in regulation.subscales} == {
        "REG1": 0, "REG2": 5, "REG.C": 0, "REG.W": 5,
    }  # fmt: skip


def test_change_page_links_to_statistics_preview_and_export(admin_client):
    instrument = published_instrument()

    html = admin_client.get(
        reverse("admin:assessments_instrumentversion_change", args=[instrument.pk])
    ).content.decode()

    assert statistics_url(instrument) in html
    assert preview_url(instrument) in html
    assert reverse("admin:assessments_instrumentversion_export", args=[instrument.pk]) in html
    export = reverse("admin:assessments_instrumentversion_export", args=[instrument.pk])
    order = [html.index(preview_url(instrument)), html.index(statistics_url(instrument))]
    assert order == sorted(order) and order[-1] < html.index(export)  # as before the move


def test_change_page_offers_only_the_preview_without_view_statistics(client):
    """The analysis app adds its links to the version's page, only for those who may use them."""
    client.force_login(staff_with("view_instrumentversion"))
    instrument = published_instrument()

    html = client.get(
        reverse("admin:assessments_instrumentversion_change", args=[instrument.pk])
    ).content.decode()

    assert preview_url(instrument) in html
    assert statistics_url(instrument) not in html
    assert reverse("admin:assessments_instrumentversion_export", args=[instrument.pk]) not in html


# ----------------------------------------------------------------------------- preview
def test_preview_shows_every_page_of_a_draft_with_its_statements(admin_client):
    draft = services.create_draft_from(source=published_instrument(), version="1.1")

    html = admin_client.get(preview_url(draft)).content.decode()

    assert "Page 7 of 7" in html
    assert all(escape(item.text) in html for item in draft.items.all())
    assert "<form" not in html.split('id="content"')[-1].split("</main>")[0]


def test_preview_in_close_only_mode_hides_work_statements(admin_client):
    instrument = published_instrument()
    work = instrument.items.filter(context="W").first()
    close = instrument.items.filter(context="C").first()

    html = admin_client.get(preview_url(instrument) + "?mode=close_only").content.decode()

    assert escape(close.text) in html
    assert escape(work.text) not in html


def test_preview_never_stores_answers(admin_client):
    instrument = published_instrument()
    before = (Profile.objects.count(), Answer.objects.count())

    response = admin_client.post(preview_url(instrument), {"preview-1": "5"})

    assert response.status_code == 405
    assert (Profile.objects.count(), Answer.objects.count()) == before


def test_preview_refuses_staff_without_view_permission(client):
    client.force_login(staff_with("view_statistics"))

    response = client.get(preview_url(published_instrument()))

    assert response.status_code == 403


def test_preview_opens_for_staff_who_may_view_instrument_versions(client):
    client.force_login(staff_with("view_instrumentversion"))

    response = client.get(preview_url(published_instrument()))

    assert response.status_code == 200


# ----------------------------------------------------------------------------- versions
def test_profile_started_on_1_0_keeps_its_items_and_scoring_after_1_1_is_published(client):
    old = published_instrument()
    profile = start(client)
    draft = services.create_draft_from(source=old, version="1.1")
    services.publish(instrument=draft)
    old_fields = {f"q{pk}" for pk in old.items.values_list("pk", flat=True)}

    names, _ = page_fields(client, profile, 1)
    answer_all_pages(client, profile)
    client.post(reverse("profiles:review", args=[profile.public_id]))

    profile.refresh_from_db()
    snapshot = ResultSnapshot.objects.get(profile=profile)
    assert names and set(names) <= old_fields
    assert profile.instrument_version == old and profile.is_submitted
    assert snapshot.data["instrument"] == "1.0"
    assert not Answer.objects.filter(profile=profile).exclude(item_version__instrument_version=old)
    assert start(client).instrument_version == draft
