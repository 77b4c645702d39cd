"""Comparing two profiles (ASSESSMENT.md §6): labels, suppression, notes and ownership."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services as instrument_services
from assessments.models import Change, ReliabilityParameterSet
from assessments.queries import copy_texts, reliability_params_for
from profiles.comparison import (
    build_comparison,
    changed_dimensions,
    changes_since_last,
    compare_profiles,
)
from profiles.models import Profile, ResultSnapshot
from profiles.report_queries import LineageRow
from tests.factories import UserFactory, published_instrument
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

pytestmark = pytest.mark.django_db

REG_54 = "3 2 6 4 3 5 6 5 3 6 6 2"  # §3.9 Example 1: REG 54.17
REG_75 = "6 5 3 6 5 2 6 5 3 6 5 2"  # keyed sum 66 of 12: 75.00
TRU_62 = EXAMPLE_3["TRU"]  # 62.50
TRU_75 = REG_75
NOT_COMPARABLE = "Not directly comparable"


def pair(person, earlier_rows: dict, later_rows: dict, *, days: int = 60, **later_options):
    now = timezone.now()
    earlier = submitted(
        raw_answers(dict(EXAMPLE_3, **earlier_rows)), user=person, when=now - timedelta(days)
    )
    later = submitted(raw_answers(dict(EXAMPLE_3, **later_rows)), user=person, **later_options)
    return earlier, later


def compare_url(first, second) -> str:
    return reverse("profiles:compare") + f"?a={first.public_id}&b={second.public_id}"


def row_text(content: str, name: str) -> str:
    row_header = rf'<th scope="row" id="change-[A-Z]+">{name}</th>'
    match = re.search(rf"{row_header}(.*?)</tbody>", content, re.S)
    assert match, name
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_compare_labels_a_change_beyond_noise_as_a_reliable_increase(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})

    response = signed_in.get(compare_url(earlier, later))

    regulation = row_text(response.content.decode(), "Regulation")
    assert regulation.startswith("54 75 +21 Clear increase")


def test_compare_labels_a_drop_beyond_noise_as_a_reliable_decrease(signed_in, person):
    earlier, later = pair(person, {"REG": REG_75}, {"REG": REG_54})

    response = signed_in.get(compare_url(earlier, later))

    regulation = row_text(response.content.decode(), "Regulation")
    assert regulation.startswith("75 54 −21 Clear decrease")


def test_compare_labels_a_change_within_noise_as_about_the_same(signed_in, person):
    earlier, later = pair(person, {"TRU": TRU_62}, {"TRU": TRU_75})

    response = signed_in.get(compare_url(earlier, later))

    content = response.content.decode()
    assert row_text(content, "Trust").startswith(
        "63 75 +13 About the same (within the range of measurement noise)"
    )
    assert row_text(content, "Mentalizing").startswith("71 71 0 About the same")


def test_compare_shows_facet_and_context_changes_as_descriptive_only(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})

    response = signed_in.get(compare_url(earlier, later))

    regulation = row_text(response.content.decode(), "Regulation")
    assert "Descriptive only: Alarm threshold" in regulation
    assert "Close relationships" in regulation


def test_compare_orders_the_pair_earlier_first_whatever_the_query(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})

    response = signed_in.get(compare_url(later, earlier))

    assert row_text(response.content.decode(), "Regulation").startswith("54 75 +21")


def test_compare_names_the_reliability_parameter_set(signed_in, person):
    earlier, later = pair(person, {}, {})

    response = signed_in.get(compare_url(earlier, later))

    assert "Reliability parameter set used: P0." in response.content.decode()


def test_compare_suppresses_labels_when_either_profile_is_low_quality(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75}, page_ms=1000)

    response = signed_in.get(compare_url(earlier, later))

    regulation = row_text(response.content.decode(), "Regulation")
    assert regulation.startswith("54 75 +21 Not directly comparable: one of these two results")
    assert "Clear increase" not in response.content.decode()


def test_compare_suppresses_labels_when_context_modes_differ(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75}, mode="close_only")

    response = signed_in.get(compare_url(earlier, later))

    regulation = row_text(response.content.decode(), "Regulation")
    assert "Not directly comparable: the two questionnaires covered different parts" in regulation


def test_compare_suppresses_labels_where_an_item_changed_substantively(signed_in, person):
    draft = instrument_services.create_draft_from(source=published_instrument(), version="1.1")
    edited = draft.items.get(code="REG1-C1")
    edited.text = "I stay calm when someone close to me is briefly short with me."
    edited.change = Change.SUBSTANTIVE
    edited.save()
    reworded = draft.items.get(code="MEN1-C1")
    reworded.text = reworded.text.replace("wonder", "ask myself")
    reworded.change = Change.WORDING
    reworded.save()
    instrument_services.publish(instrument=draft)
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75}, instrument=draft)

    response = signed_in.get(compare_url(earlier, later))

    content = response.content.decode()
    assert "some of the statements about this capacity have changed" in row_text(
        content, "Regulation"
    )
    assert row_text(content, "Mentalizing").startswith("71 71 0 About the same")


def test_compare_marks_dimensions_not_scored_in_either_profile(signed_in, person):
    earlier, later = pair(person, {"REP": "5 - 3 - 6 2 4 - 4 5 - 3"}, {})

    response = signed_in.get(compare_url(earlier, later))

    repair = row_text(response.content.decode(), "Repair")
    assert repair.startswith("not enough answers 63 — Not compared")


def test_compare_lists_new_and_resolved_patterns_with_the_threshold_note(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {})  # REG 54 cannot contain BON; 79 can

    response = signed_in.get(compare_url(earlier, later))

    content = response.content.decode()
    assert "<strong>New:</strong> Steady, but warmth feels muted (Bonding)" in content
    assert "<strong>No longer present:</strong> Quick alarm, good steering (Regulation)" in content
    assert "Scores near a threshold can cross it by chance" in content


def test_compare_notes_memory_effects_under_28_days(signed_in, person):
    earlier, later = pair(person, {}, {}, days=10)

    response = signed_in.get(compare_url(earlier, later))

    content = response.content.decode()
    assert "less than 28 days apart" in content
    assert "retake after 6 to 12 weeks of practice" in content


def test_compare_leaves_out_the_memory_note_at_28_days_or_more(signed_in, person):
    earlier, later = pair(person, {}, {}, days=28)

    response = signed_in.get(compare_url(earlier, later))

    assert "less than 28 days apart" not in response.content.decode()


def test_compare_with_someone_elses_profile_answers_404(signed_in, person):
    mine = submitted(raw_answers(EXAMPLE_3), user=person)
    theirs = submitted(raw_answers(EXAMPLE_3), user=UserFactory())

    response = signed_in.get(compare_url(mine, theirs))

    assert response.status_code == 404


def test_compare_of_two_profiles_by_someone_else_answers_404(client, person):
    earlier, later = pair(person, {}, {})
    client.force_login(UserFactory())

    response = client.get(compare_url(earlier, later))

    assert response.status_code == 404


def test_compare_without_two_different_profiles_returns_to_my_profiles(signed_in, person):
    profile = submitted(raw_answers(EXAMPLE_3), user=person)

    response = signed_in.get(compare_url(profile, profile))

    assert response.status_code == 302
    assert response.url == reverse("profiles:mine")


def test_compare_query_count_is_fixed(signed_in, person, django_assert_max_num_queries):
    earlier, later = pair(person, {}, {})
    signed_in.get(compare_url(earlier, later))  # warms the per-process copy cache

    with django_assert_max_num_queries(6):
        response = signed_in.get(compare_url(earlier, later))

    assert response.status_code == 200


# changed_dimensions is plain Python over item-version rows: versions 1 → 2 → 3.
def item(id_: int, version: int, dimension: str, parent: int | None, change: str) -> LineageRow:
    return LineageRow(id_, version, dimension, parent, change)


LINEAGE = [
    item(1, 1, "REG", None, "new"),
    item(2, 1, "MEN", None, "new"),
    item(3, 1, "BON", None, "new"),
    item(11, 2, "REG", 1, "substantive"),
    item(12, 2, "MEN", 2, "wording"),
    item(13, 2, "BON", 3, "unchanged"),
    item(21, 3, "REG", 11, "unchanged"),
    item(22, 3, "MEN", 12, "unchanged"),
    item(23, 3, "BON", 13, "unchanged"),
]


def test_changed_dimensions_of_one_version_is_empty():
    assert changed_dimensions(LINEAGE, 2, 2) == set()


def test_changed_dimensions_follow_substantive_edits_through_versions():
    assert changed_dimensions(LINEAGE, 1, 3) == {"REG"}


def test_changed_dimensions_ignore_wording_edits_after_the_earlier_version():
    assert changed_dimensions(LINEAGE, 2, 3) == set()


def test_changed_dimensions_work_when_the_later_profile_used_the_older_version():
    assert changed_dimensions(LINEAGE, 3, 1) == {"REG"}


def test_changed_dimensions_count_new_and_missing_items():
    rows = [r for r in LINEAGE if r.id != 23] + [item(24, 3, "TRU", None, "new")]

    assert changed_dimensions(rows, 2, 3) == {"BON", "TRU"}


def test_changed_dimensions_of_unrelated_versions_are_all_changed():
    rows = [item(1, 1, "REG", None, "new"), item(2, 2, "REG", None, "new")]

    assert len(changed_dimensions(rows, 1, 2)) == 6


def test_compare_uses_the_parameter_set_released_for_the_earlier_version(signed_in, person):
    values = {d: {"sd": "5", "r": "0.80"} for d in ("MEN", "EMP", "REG", "TRU", "REP", "BON")}
    ReliabilityParameterSet.objects.create(
        name="P1",
        instrument_version=published_instrument(),
        values=values,
        n=200,
        source="alpha",
        released_at=timezone.now(),
    )
    earlier, later = pair(person, {"TRU": TRU_62}, {"TRU": TRU_75})

    content = signed_in.get(compare_url(earlier, later)).content.decode()

    assert "Reliability parameter set used: P1." in content
    # With SD 5 the 12.5-point change exceeds 1.96 x 3.16: reliable, unlike under P0.
    assert "increase" in row_text(content, "Trust").lower()


# §6.1 "Pinned parameters": the set in force when the later profile was submitted.
TIGHT = {d: {"sd": "5", "r": "0.95"} for d in ("MEN", "EMP", "REG", "TRU", "REP", "BON")}


def release(name: str = "P1", values: dict = TIGHT) -> ReliabilityParameterSet:
    return ReliabilityParameterSet.objects.create(
        name=name, instrument_version=published_instrument(), values=values, n=250,
        source="alpha", released_at=timezone.now(),
    )  # fmt: skip


def page(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


def history_of(person, days_ago: list[int]) -> list:
    """Profiles alternating between lower and higher trust and regulation, oldest first."""
    rows = [{"TRU": TRU_62, "REG": REG_54}, {"TRU": TRU_75, "REG": REG_75}]
    now = timezone.now()
    return [
        submitted(
            raw_answers(dict(EXAMPLE_3, **rows[k % 2])), user=person, when=now - timedelta(days)
        )
        for k, days in enumerate(days_ago)
    ]


def pairs_of(profiles: list) -> list[tuple]:
    return [(a, b) for k, a in enumerate(profiles) for b in profiles[k + 1 :]]


def loaded_pair(first, second) -> list:
    snapshots = Prefetch(
        "snapshots",
        queryset=ResultSnapshot.objects.order_by("-created_at", "-pk"),
        to_attr="snapshots_newest_first",
    )
    rows = Profile.objects.filter(pk__in=[first.pk, second.pk]).prefetch_related(snapshots)
    return list(rows.select_related("instrument_version").order_by("submitted_at"))


def test_releasing_a_parameter_set_leaves_every_existing_comparison_unchanged(signed_in, person):
    profiles = history_of(person, [150, 120, 90, 60])
    urls = [compare_url(a, b) for a, b in pairs_of(profiles)]
    views = [compare_profiles(*loaded_pair(a, b)) for a, b in pairs_of(profiles)]
    pages = [page(signed_in, url) for url in urls]

    release("P1")

    assert [page(signed_in, url) for url in urls] == pages
    assert [compare_profiles(*loaded_pair(a, b)) for a, b in pairs_of(profiles)] == views
    assert {view.params_id for view in views} == {"P0"}


def test_the_released_set_would_have_changed_those_labels(person):
    profiles = history_of(person, [150, 120])
    earlier, later = loaded_pair(*profiles)
    pinned = compare_profiles(earlier, later)

    release("P1")
    current = build_comparison(
        earlier,
        later,
        earlier.snapshots_newest_first[0],
        later.snapshots_newest_first[0],
        substantive=set(),
        copy=copy_texts(later.snapshots_newest_first[0].copy_version),
        params=reliability_params_for(earlier.instrument_version),
    )

    assert [r.label for r in pinned.rows] != [r.label for r in current.rows]
    assert {r.code: r.label for r in current.rows}["TRU"] == "reliable_increase"


def test_a_profile_submitted_after_a_release_is_compared_with_the_new_set(signed_in, person):
    (earlier,) = history_of(person, [150])
    release("P1")
    later = submitted(raw_answers(dict(EXAMPLE_3, TRU=TRU_75, REG=REG_75)), user=person)

    content = signed_in.get(compare_url(earlier, later)).content.decode()

    assert "Reliability parameter set used: P1." in content
    assert row_text(content, "Trust").startswith("63 75 +13 Clear increase")


def test_a_set_released_between_two_profiles_applies_only_to_pairs_ending_after_it(
    signed_in, person
):
    first, second = history_of(person, [150, 120])
    release("P1")
    third = submitted(raw_answers(dict(EXAMPLE_3, TRU=TRU_62, REG=REG_54)), user=person)

    old_pair = signed_in.get(compare_url(first, second)).content.decode()
    new_pair = signed_in.get(compare_url(first, third)).content.decode()

    assert "Reliability parameter set used: P0." in old_pair
    assert "Reliability parameter set used: P1." in new_pair


# §6.1 "Scope of a comparison": numbers only for a dimension scored in both profiles.
REP_FACET_1_ONLY = "4 4 4 6 6 2 3 - - - - 2"  # 8 of 12: not scored; Offering repair is


def test_a_dimension_scored_in_one_profile_shows_no_facet_or_context_difference(signed_in, person):
    earlier, later = pair(person, {"REP": REP_FACET_1_ONLY}, {})

    repair = row_text(signed_in.get(compare_url(earlier, later)).content.decode(), "Repair")

    assert repair.startswith("not enough answers 63 — Not compared")
    assert "Descriptive only" not in repair and "Offering repair" not in repair


def test_a_dimension_scored_in_neither_profile_shows_no_number_at_all(signed_in, person):
    earlier, later = pair(person, {"REP": REP_FACET_1_ONLY}, {"REP": REP_FACET_1_ONLY})

    repair = row_text(signed_in.get(compare_url(earlier, later)).content.decode(), "Repair")

    assert repair.startswith("not enough answers not enough answers — Not compared")
    assert not re.search(r"\d", repair)


def test_ctx_patterns_are_not_listed_when_either_profile_is_single_context(signed_in, person):
    earlier, later = pair(person, {}, {}, mode="close_only")  # Example 3 has CTX-CLOSE twice
    ctx_close = copy_texts("copy-1")["patterns"]["CTX-CLOSE"]["title"]

    content = signed_in.get(compare_url(earlier, later)).content.decode()

    assert ctx_close in signed_in.get(earlier.get_absolute_url()).content.decode()
    assert ctx_close not in content


def test_patterns_of_a_dimension_not_scored_later_are_not_listed_as_gone(signed_in, person):
    skipped = " ".join(["-"] * 12)
    earlier, later = pair(person, {}, {"EMP": skipped})  # Example 3 fires EMP-COLD
    emp_cold = copy_texts("copy-1")["patterns"]["EMP-COLD"]["title"]

    content = signed_in.get(compare_url(earlier, later)).content.decode()

    assert emp_cold not in content


# ----------------------------------------------------------------------------- issue 14 line 10
def changes_part(content: str) -> str:
    match = re.search(r'<section class="report-changes".*?</section>', content, re.S)
    return match.group(0) if match else ""


def test_a_retakes_report_says_what_changed_near_the_top_with_the_comparisons_labels(
    signed_in, person
):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})

    content = signed_in.get(later.get_absolute_url()).content.decode()

    part = changes_part(content)
    assert "What changed since last time" in part
    assert content.index('class="report-changes"') < content.index('id="headline-heading"')
    assert "<strong>Regulation</strong>: clear increase (+21)" in part
    assert "<strong>Trust</strong>: about the same (0)" in part
    assert f"?a={earlier.public_id}&amp;b={later.public_id}" in part
    full = row_text(page(signed_in, compare_url(earlier, later)).decode(), "Regulation")
    assert "+21 Clear increase" in full


def test_a_retakes_changes_use_the_pinned_parameters_like_the_comparison(signed_in, person):
    earlier, later = history_of(person, [150, 120])
    release("P1")  # would call trust a clear increase, but came after the later profile

    part = changes_part(signed_in.get(later.get_absolute_url()).content.decode())

    pinned = {r.code: r.label for r in compare_profiles(*loaded_pair(earlier, later)).rows}
    assert pinned["TRU"] == "about_the_same"
    assert "<strong>Trust</strong>: about the same" in part


def test_a_first_profile_and_an_earlier_profile_show_no_changes(signed_in, person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})

    assert changes_part(signed_in.get(earlier.get_absolute_url()).content.decode()) == ""
    other = submitted(raw_answers(EXAMPLE_3), user=UserFactory())
    signed_in.force_login(other.user)
    assert changes_part(signed_in.get(other.get_absolute_url()).content.decode()) == ""


def test_a_retake_worded_by_copy_1_has_no_changes_part(person):
    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})
    snapshot = later.snapshots.get()

    assert changes_since_last(later, snapshot, copy_texts("copy-1")) is None
    assert changes_since_last(later, snapshot, copy_texts("copy-2")) is not None


def test_a_retakes_report_query_count_does_not_grow_with_history(signed_in, person):
    def count(profile) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(profile.get_absolute_url()).status_code == 200
        return len(queries)

    earlier, later = pair(person, {"REG": REG_54}, {"REG": REG_75})
    count(later)  # warms the per-process copy cache
    two = count(later)
    newest = submitted(raw_answers(EXAMPLE_3), user=person)
    for days in (200, 300):
        submitted(raw_answers(EXAMPLE_3), user=person, when=timezone.now() - timedelta(days))

    assert count(newest) == two
