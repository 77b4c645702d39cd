"""Background work on instruments: keep the item statistics of every version warm."""

from celery import shared_task

from analysis import cache
from assessments.models import InstrumentVersion
from relcap.jobs.engine import RelcapTask


@shared_task(base=RelcapTask)
def refresh_statistics(*, instrument_version_id: int) -> bool:
    instrument = InstrumentVersion.objects.filter(pk=instrument_version_id).first()
    return instrument is not None and cache.refresh_statistics(instrument)


@shared_task(base=RelcapTask)
def refresh_all_statistics() -> int:
    """Every published or retired version (celery beat, every 15 minutes); drafts have none."""
    versions = InstrumentVersion.objects.exclude(status=InstrumentVersion.Status.DRAFT)
    return sum(cache.refresh_statistics(version) for version in versions)
