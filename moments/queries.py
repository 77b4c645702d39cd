"""Reads of live moments: consent, the current focus, this week's moments, due follow-ups."""

import zoneinfo
from datetime import datetime, time, timedelta

from django.db.models import QuerySet

from moments.models import Moment, MomentsSettings
from profiles.models import ResultSnapshot
from profiles.queries import account_profiles


def settings_of(person) -> MomentsSettings | None:
    return MomentsSettings.objects.filter(person=person).first()


def has_consented(found: MomentsSettings | None) -> bool:
    return found is not None and found.consented_at is not None


def zone_of(found: MomentsSettings | None):
    try:
        return zoneinfo.ZoneInfo(found.time_zone if found else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def latest_snapshot(person) -> ResultSnapshot | None:
    """The newest snapshot of the person's latest submitted profile (one query)."""
    submitted = account_profiles(person).filter(submitted_at__isnull=False)
    return (
        ResultSnapshot.objects.filter(profile__in=submitted)
        .order_by("-profile__submitted_at", "-created_at", "-pk")
        .only("data", "copy_version")
        .first()
    )


def own_moments(person) -> QuerySet[Moment]:
    return Moment.objects.filter(person=person)


def own_moment(person, client_id) -> Moment | None:
    return own_moments(person).filter(client_id=client_id).first()


def week_start(now: datetime, zone) -> datetime:
    """Monday 00:00 of this week in the person's time zone."""
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0, 0), tzinfo=zone)


def this_week(person, now: datetime, zone) -> list[Moment]:
    return list(
        own_moments(person).filter(occurred_at__gte=week_start(now, zone), occurred_at__lte=now)
    )


def due_follow_ups(person, now: datetime, after: timedelta, within: timedelta) -> list[Moment]:
    """Open moments to ask about on this visit: not answered, never asked, at least `after`
    since they happened and were noted, and no older than `within`."""
    return list(
        own_moments(person).filter(
            follow_up="",
            follow_up_asked_at__isnull=True,
            occurred_at__lte=now - after,
            entered_at__lte=now - after,
            occurred_at__gte=now - within,
        )
    )
