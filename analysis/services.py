"""Writes of the analysis pages: releasing a reliability parameter set (ASSESSMENT.md §6)."""

from django.db import transaction
from django.utils import timezone

from analysis import statistics
from assessments.locales import SOURCE_LOCALE
from assessments.models import InstrumentVersion, ReliabilityParameterSet


class ReleaseRefused(Exception):
    """The sample cannot support a parameter set yet; the message says why in plain words."""


@transaction.atomic
def release_parameter_set(
    *, instrument: InstrumentVersion, report: statistics.Report, locale: str = SOURCE_LOCALE
) -> ReliabilityParameterSet:
    """Release the next set (P1, P2 …) for `instrument` in `locale`: SD of D and r = α per
    dimension, from `report`, the statistics of that locale's respondents; it applies to
    profiles taken in that locale only (issue 16 line 4).

    Refused unless every dimension has n ≥ 200 in the §5.1 sample with α and SD defined.
    """
    try:
        values, n = statistics.release_values(report)
    except ValueError as problem:
        raise ReleaseRefused(f"Not enough data to release a parameter set: {problem}.") from None
    # Releases are rare: locking P0 makes them take turns, so two never get the same name.
    ReliabilityParameterSet.objects.select_for_update().filter(name="P0").first()
    names = ReliabilityParameterSet.objects.values_list("name", flat=True)
    number = max((int(name[1:]) for name in names if name[1:].isdigit()), default=0) + 1
    return ReliabilityParameterSet.objects.create(
        name=f"P{number}",
        instrument_version=instrument,
        locale=locale,
        values=values,
        n=n,
        source=ReliabilityParameterSet.Source.ALPHA,
        released_at=timezone.now(),
    )
