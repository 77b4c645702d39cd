"""Item statistics kept warm: computed once per state of the data and read from the cache.

The statistics page reads what `refresh_statistics` (a task, also run every 15 minutes by
celery beat) stored, as long as the data it was computed from is unchanged; otherwise the page
computes the figures itself and stores them. "Unchanged" is a fingerprint of cheap aggregates:
submitted answers and snapshots never change, so a new or deleted profile, a new snapshot, an
account taking over a profile or an edited item always changes it.
"""

import hashlib
from datetime import datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from analysis import queries, statistics
from assessments.models import InstrumentVersion
from profiles.models import ResultSnapshot


class Cached(NamedTuple):
    fingerprint: str
    computed_at: datetime
    report: statistics.Report


def cache_key(instrument_id: int) -> str:
    return f"relcap-item-statistics:{instrument_id}"


def fingerprint(instrument: InstrumentVersion) -> str:
    items = queries.scored_item_rows()
    lineage = statistics.lineage(instrument.pk, items)
    profiles = queries.submitted_profiles(lineage.layouts)
    counts = profiles.aggregate(n=Count("id"), changed=Max("updated_at"))
    snapshots = ResultSnapshot.objects.filter(profile__in=profiles).aggregate(
        n=Count("id"), last=Max("id")
    )
    state = (sorted(items), sorted(counts.items()), sorted(snapshots.items()))
    return hashlib.sha256(repr(state).encode()).hexdigest()


def item_statistics(instrument: InstrumentVersion) -> Cached:
    """The stored figures when they are still those of today's data; else computed now."""
    current = fingerprint(instrument)
    stored = cache.get(cache_key(instrument.pk))
    if isinstance(stored, Cached) and stored.fingerprint == current:
        return stored
    return store(instrument, current)


def refresh_statistics(instrument: InstrumentVersion) -> bool:
    """Compute and store the figures unless the stored ones are current; True if computed."""
    current = fingerprint(instrument)
    stored = cache.get(cache_key(instrument.pk))
    if isinstance(stored, Cached) and stored.fingerprint == current:
        return False
    store(instrument, current)
    return True


def store(instrument: InstrumentVersion, current: str) -> Cached:
    entry = Cached(current, timezone.now(), queries.item_statistics(instrument))
    cache.set(cache_key(instrument.pk), entry, timeout=None)
    return entry
