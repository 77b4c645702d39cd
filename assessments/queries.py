"""Reads of instrument content, returning model rows or the scoring engine's frozen specs."""

from django.db.models import Count, Q, QuerySet

from assessments.models import InstrumentVersion, ItemVersion
from assessments.scoring.score_1 import InstrumentSpec, ItemSpec

# Published and retired versions never change, so their specs are cached per process.
_frozen_specs: dict[int, InstrumentSpec] = {}


def published_instrument() -> InstrumentVersion | None:
    return InstrumentVersion.objects.published().first()


def items_in_order(instrument_version_id: int) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(instrument_version_id=instrument_version_id).order_by(
        "position"
    )


def item_spec(item: ItemVersion) -> ItemSpec:
    return ItemSpec(
        code=item.code,
        kind=item.kind,
        dimension=item.dimension or None,
        facet=item.facet,
        context=item.context or None,
        reverse=item.reverse,
        page=item.page,
        position=item.position,
    )


def instrument_spec(instrument_version_id: int) -> InstrumentSpec:
    if instrument_version_id in _frozen_specs:
        return _frozen_specs[instrument_version_id]
    instrument = InstrumentVersion.objects.get(pk=instrument_version_id)
    items = tuple(item_spec(i) for i in items_in_order(instrument_version_id))
    spec = InstrumentSpec(version=instrument.version, items=items)
    if not instrument.is_draft:
        _frozen_specs[instrument_version_id] = spec
    return spec


def versions_with_usage() -> QuerySet[InstrumentVersion]:
    """Instrument versions annotated with item, attempt and submitted-profile counts."""
    return InstrumentVersion.objects.annotate(
        item_count=Count("items", distinct=True),
        attempt_count=Count("profiles", distinct=True),
        profile_count=Count(
            "profiles", filter=Q(profiles__submitted_at__isnull=False), distinct=True
        ),
    )
