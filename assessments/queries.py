"""Reads of instrument content, returning model rows or the scoring engine's frozen specs."""

from django.db.models import Count, Q, QuerySet

from assessments.models import InstrumentVersion, ItemVersion, ReportCopyVersion, SupportResource
from assessments.scoring.spec import InstrumentSpec, ItemSpec

# Published and retired versions never change (relcap/immutability.py refuses it), so their
# specs, page items and copy texts are cached per process, keyed by what identifies them, and
# never need invalidating. A draft is editable: it is never cached and is read on every call.
_frozen_specs: dict[int, InstrumentSpec] = {}
_frozen_copies: dict[str, dict] = {}
_frozen_pages: dict[tuple[int, int, str], tuple[ItemVersion, ...]] = {}


def clear_caches() -> None:
    """Forget every cached spec, page and copy (tests reuse ids across rolled-back data)."""
    _frozen_specs.clear()
    _frozen_copies.clear()
    _frozen_pages.clear()


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


def published_copy() -> ReportCopyVersion:
    return ReportCopyVersion.objects.get(status=ReportCopyVersion.Status.PUBLISHED)


def copy_texts(version: str) -> dict:
    """Texts of a report-copy version; non-draft versions never change, so they are cached."""
    if version in _frozen_copies:
        return _frozen_copies[version]
    copy = ReportCopyVersion.objects.get(version=version)
    if copy.status != ReportCopyVersion.Status.DRAFT:
        _frozen_copies[version] = copy.texts
    return copy.texts


def is_frozen(instrument_version_id: int) -> bool:
    """True for a published or retired version (whose content never changes), as far as this
    process has read it; False for a draft, or a version not read yet."""
    return instrument_version_id in _frozen_specs


def page_items(instrument_version_id: int, page: int, mode: str) -> tuple[ItemVersion, ...]:
    """The statements shown on one page in a context mode (§2.6), in presentation order.

    Cached per process for a published or retired version (its spec is cached, which says
    it is not a draft); a draft's page is read from the database on every call."""
    key = (instrument_version_id, page, mode)
    if key in _frozen_pages:
        return _frozen_pages[key]
    hidden = {"both": [], "close_only": ["W"], "work_only": ["C"]}[mode]
    items = tuple(
        items_in_order(instrument_version_id)
        .filter(page=page)
        .exclude(kind="scored", context__in=hidden)
    )
    instrument_spec(instrument_version_id)  # caches the spec only when the version is frozen
    if instrument_version_id in _frozen_specs:
        _frozen_pages[key] = items
    return items


def support_resources() -> QuerySet[SupportResource]:
    return SupportResource.objects.filter(is_active=True)


def lacks_regional_support() -> bool:
    """True while only the shipped worldwide resources are active (ASSESSMENT.md §7.3 asks for
    the resources of the person's region)."""
    return not support_resources().filter(is_worldwide=False).exists()
