"""The descriptive views' numbers (moments/summary.py) on hand-made moments, exactly."""

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from moments import summary
from moments.models import Moment
from tests.factories import UserFactory
from tests.moments.helpers_views import NOW, moment

pytestmark = pytest.mark.django_db
REPAIRED, NO_NEED = Moment.FollowUp.REPAIRED, Moment.FollowUp.NO_NEED


def test_median_is_exact_and_halves_for_an_even_count():
    assert summary.median([7, 3, 5]) == 5
    assert summary.median([2, 3, 4, 10]) == Fraction(7, 2)
    assert summary.median([]) is None
    assert summary.median_text(Fraction(13, 2)) == "6.5"
    assert summary.median_text(Fraction(6)) == "6"


def test_percent_rounds_half_up_without_floats():
    assert summary.percent(Fraction(1, 8)) == 13  # 12.5 → 13
    assert summary.percent(Fraction(1, 3)) == 33
    assert summary.percent(Fraction(2, 3)) == 67
    assert summary.percent(Fraction(5, 1000)) == 1  # 0.5 → 1
    assert summary.percent(None) is None


@pytest.mark.parametrize(
    ("responses", "expected"),
    [
        (["paused", "snapped"], True),
        (["snapped", "paused"], False),
        (["wondered"], True),  # nothing reactive came before it
        (["withdrew"], False),
        (["unknown_code", "gave_in", "reached_out"], False),
        ([], None),
        (["unknown_code"], None),
    ],
)
def test_steering_first_reads_the_tap_order(responses, expected):
    assert summary.steering_first(responses) is expected


def test_hand_made_four_weeks_close_and_work_side_by_side():
    person, other = UserFactory(), UserFactory()
    # close: intensities 2, 6, 9 → median 6; steering first in 2 of 3 with responses
    moment(
        person,
        hours_ago=30,
        context="close",
        intensity=2,
        responses=["paused", "snapped"],
        follow_up=REPAIRED,
        follow_up_at=NOW - timedelta(hours=10),
    )  # repaired after 20 h
    moment(
        person,
        hours_ago=50,
        context="close",
        intensity=6,
        responses=["snapped", "paused"],
        follow_up=REPAIRED,
        follow_up_at=NOW - timedelta(hours=20),
    )  # after 30 h: not counted
    moment(
        person,
        hours_ago=60,
        context="close",
        intensity=9,
        responses=["felt_with"],
        follow_up=NO_NEED,
        follow_up_at=NOW - timedelta(hours=40),
    )  # left out of repair
    moment(person, hours_ago=2, context="close", responses=[])  # its day is not over yet
    # work: one moment with intensity 4, reactive only
    moment(person, hours_ago=100, context="work", intensity=4, responses=["withdrew"])
    # no context: in "all" only
    moment(person, hours_ago=200, intensity=5, responses=["benefit_of_doubt"])
    # outside the window, and another person's: never counted
    moment(person, hours_ago=24 * 28 + 1, context="close", intensity=10)
    moment(other, hours_ago=3, context="close", intensity=0)

    found = summary.summary_for(person.pk, 4, NOW)

    assert found.n == 6
    assert (found.close.n, found.work.n) == (4, 1)
    assert found.close.median_intensity == 6 and found.close.intensity_n == 3
    assert found.all.median_intensity == 5  # 2, 4, 5, 6, 9
    assert (found.close.steering_first_n, found.close.responded_n) == (2, 3)
    assert found.close.steering_first_share == Fraction(2, 3)
    assert (found.work.steering_first_n, found.work.responded_n) == (0, 1)
    assert (found.all.steering_first_n, found.all.responded_n) == (3, 5)
    # repair: close moments ≥ 24 h old and not "no need": the 30 h and 50 h ones; 1 repaired in time
    assert (found.close.repaired_n, found.close.repair_n) == (1, 2)
    assert (found.all.repaired_n, found.all.repair_n) == (1, 4)
    assert found.work.median_intensity == 4
    assert [w.total for w in found.per_week] == [0, 0, 1, 5]  # the 200 h one is last week
    assert found.per_week[-1].close == 4 and found.per_week[-1].work == 1


def test_weeks_are_counted_back_from_now_and_twelve_weeks_reach_further():
    person = UserFactory()
    moment(person, hours_ago=24 * 7 + 1, context="work")  # the week before the latest
    moment(person, hours_ago=24 * 40, context="close")  # only in 12 weeks

    four = summary.summary_for(person.pk, 4, NOW)
    twelve = summary.summary_for(person.pk, 12, NOW)

    assert [w.work for w in four.per_week] == [0, 0, 1, 0]
    assert four.n == 1 and twelve.n == 2
    assert len(twelve.per_week) == 12 and twelve.per_week[6].close == 1


def test_a_repair_exactly_24_hours_later_counts_and_one_second_more_does_not():
    person = UserFactory()
    at = NOW - timedelta(hours=48)
    moment(person, occurred_at=at, follow_up=REPAIRED, follow_up_at=at + timedelta(hours=24))
    moment(
        person, occurred_at=at, follow_up=REPAIRED, follow_up_at=at + timedelta(hours=24, seconds=1)
    )

    found = summary.summary_for(person.pk, 4, NOW)

    assert (found.all.repaired_n, found.all.repair_n) == (1, 2)


def test_week_labels_use_the_persons_local_dates():
    person = UserFactory()
    late = NOW.replace(hour=23, minute=30)  # 23:30 UTC is the next day in Tokyo

    found = summary.summary_for(person.pk, 4, late, ZoneInfo("Asia/Tokyo"))
    in_utc = summary.summary_for(person.pk, 4, late, UTC)

    assert found.per_week[-1].last_day == in_utc.per_week[-1].last_day + timedelta(days=1)


def test_an_empty_summary_has_no_shares_and_says_so():
    found = summary.summary_for(UserFactory().pk, 4, NOW)
    words = {k: k for k in (
        "row_count", "row_intensity", "row_steering", "row_repaired", "nothing_to_show",
        "n_label", "of", "summary_heading_4",
    )}  # fmt: skip

    shown = summary.present(found, words)

    assert found.n == 0 and found.all.steering_first_share is None
    assert [c.text for c in shown.rows[2].cells] == ["nothing_to_show"] * 3
    assert all(bar.height == 0 for bar in shown.chart.bars)


def test_summary_is_frozen_and_rejects_other_week_counts():
    found = summary.summary_for(UserFactory().pk, 4, NOW)
    with pytest.raises(AttributeError):
        found.weeks = 12  # type: ignore[misc]
    with pytest.raises(ValueError):
        summary.summary_for(1, 6, NOW)


@pytest.mark.parametrize("entries", [10, 5000])
def test_twelve_week_view_takes_the_same_queries_at_10_and_5000_entries(
    entries, client, django_assert_num_queries
):
    person = UserFactory()
    now = timezone.now()
    Moment.objects.bulk_create(
        Moment(
            person=person,
            occurred_at=now - timedelta(minutes=23 * (i + 1)),
            context=("close", "work", "")[i % 3],
            intensity=i % 11,
            responses=[["paused", "snapped"], ["snapped"], []][i % 3],
            copy_version="copy-3",
        )
        for i in range(entries)
    )
    client.force_login(person)
    client.get("/moments/views/?weeks=12")  # warm the copy cache and the session

    # session + user, the published copy's name, the time zone, the moments: 5 at any size
    with django_assert_num_queries(5):
        response = client.get("/moments/views/?weeks=12")
    assert response.status_code == 200
    shown = min(entries, 12 * 7 * 24 * 60 // 23)  # 5,000 entries reach back 80 days: all in
    assert response.context["moments_summary"].summary.n == shown == entries


def test_the_window_is_whole_local_days_ending_today():
    person, berlin = UserFactory(), ZoneInfo("Europe/Berlin")
    # NOW is 14:00 on 10 June in Berlin; 4 weeks are 14 May 00:00 to now, Berlin time.
    first_day = datetime(2026, 5, 14, 0, 30, tzinfo=berlin)
    moment(person, occurred_at=first_day, context="close")
    moment(person, occurred_at=first_day - timedelta(hours=1), context="close")  # 13 May: out
    moment(person, occurred_at=datetime(2026, 6, 4, 0, 10, tzinfo=berlin), context="work")
    moment(person, occurred_at=datetime(2026, 6, 3, 23, 50, tzinfo=berlin), context="work")

    found = summary.summary_for(person.pk, 4, NOW, berlin)

    assert found.n == 3 and found.start == datetime(2026, 5, 14, tzinfo=berlin)
    weeks = [(w.first_day.isoformat(), w.last_day.isoformat(), w.total) for w in found.per_week]
    assert weeks == [
        ("2026-05-14", "2026-05-20", 1),
        ("2026-05-21", "2026-05-27", 0),
        ("2026-05-28", "2026-06-03", 1),  # 3 June 23:50
        ("2026-06-04", "2026-06-10", 1),  # 4 June 00:10
    ]
