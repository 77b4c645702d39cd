"""Background work of the analysis pages: keep the statistics' sums current (issue 20 line 6)."""

from celery import shared_task

from analysis import maintenance
from assessments.models import InstrumentVersion
from profiles.models import Profile
from relcap.jobs.engine import RelcapTask


@shared_task(base=RelcapTask)
def update_statistics(*, profile_ids: list[int] = (), units: list[str] = ()) -> int:
    """Bring the sample units of these profiles (their account, and each profile as an
    anonymous unit it may have been) and these units up to date. Idempotent: the state is
    read, not carried in the message, so a retry or a redelivery finds nothing to change."""
    found = set(units)
    for pk, user_id in Profile.objects.filter(pk__in=list(profile_ids)).values_list(
        "pk", "user_id"
    ):
        found.add(maintenance.unit_of(user_id, pk))
    found.update(maintenance.unit_of(None, pk) for pk in profile_ids)
    return maintenance.reconcile(found)


@shared_task(base=RelcapTask)
def rebuild_statistics(*, instrument_version_id: int) -> int:
    instrument = InstrumentVersion.objects.filter(pk=instrument_version_id).first()
    return 0 if instrument is None else maintenance.rebuild(instrument)


@shared_task(base=RelcapTask)
def refresh_all_statistics() -> int:
    """Build the groups of every published or retired version that has none yet, or stale
    ones (celery beat, every 15 minutes: a newly published version); the others are kept
    current by `update_statistics`. Returns the number of versions built."""
    return maintenance.ensure_all()
