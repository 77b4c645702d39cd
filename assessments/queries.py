"""Reads of instrument content, returning model rows or the scoring engine's frozen specs."""

from collections import defaultdict
from datetime import datetime
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet

from assessments import scoring
from assessments.copy_text import with_released_wording
from assessments.models import (
    InstrumentVersion,
    ItemKind,
    ItemVersion,
    ReliabilityParameterSet,
    ReportCopyVersion,
    SupportResource,
)
from assessments.scoring.spec import (
    InstrumentSpec,
    ItemSpec,
    ReliabilityParams,
    contexts_hidden,
    is_shown,
)

score_1 = scoring.get("score-1")  # the rules whose P0 these reads use

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


def statement_history(item: ItemVersion) -> list[ItemVersion]:
    """The statement's lineage, oldest first: each version it was copied from (through
    `derived_from`), with its instrument version loaded; one query per earlier version."""
    steps = [item]
    seen = {item.pk}
    current = item.derived_from_id
    while current is not None and current not in seen:
        earlier = (
            ItemVersion.objects.select_related("instrument_version").filter(pk=current).first()
        )
        if earlier is None:
            break
        steps.append(earlier)
        seen.add(earlier.pk)
        current = earlier.derived_from_id
    return steps[::-1]


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


def live_copy() -> ReportCopyVersion | None:
    """The published copy, or None while none is."""
    return ReportCopyVersion.objects.filter(status=ReportCopyVersion.Status.PUBLISHED).first()


def copy_version(version: str) -> ReportCopyVersion | None:
    return ReportCopyVersion.objects.filter(version=version).first()


def copy_version_names() -> list[str]:
    """Every copy version's name, oldest first."""
    return list(ReportCopyVersion.objects.order_by("created_at").values_list("version", flat=True))


def copy_texts(version: str) -> dict:
    """Texts of a report-copy version; non-draft versions never change, so they are cached."""
    if version in _frozen_copies:
        return _frozen_copies[version]
    copy = ReportCopyVersion.objects.get(version=version)
    texts = with_released_wording(copy.texts)
    if copy.status != ReportCopyVersion.Status.DRAFT:
        _frozen_copies[version] = texts
    return texts


def is_frozen(instrument_version_id: int) -> bool:
    """True for a published or retired version (whose content never changes), as far as this
    process has read it; False for a draft, or a version not read yet."""
    return instrument_version_id in _frozen_specs


def page_items(instrument_version_id: int, page: int, mode: str) -> tuple[ItemVersion, ...]:
    """The statements shown on one page in a context mode (§2.6), in presentation order:
    `scoring.spec.is_shown` as a filter (tests/assessments/test_mode_contexts.py holds the two
    equal).

    Cached per process for a published or retired version (its spec is cached, which says
    it is not a draft); a draft's page is read from the database on every call."""
    key = (instrument_version_id, page, mode)
    if key in _frozen_pages:
        return _frozen_pages[key]
    items = tuple(
        items_in_order(instrument_version_id)
        .filter(page=page)
        .exclude(kind=ItemKind.SCORED, context__in=contexts_hidden(mode))
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


def preview_pages(instrument_version_id: int, mode: str) -> list[tuple[int, list[ItemVersion]]]:
    """Each page's statements as a respondent in `mode` sees them (§2.6), in order."""
    pages: dict[int, list[ItemVersion]] = defaultdict(list)
    for item in items_in_order(instrument_version_id):
        if is_shown(item, mode):
            pages[item.page].append(item)
    return sorted(pages.items())


def reliability_params_for(
    instrument_version: InstrumentVersion, *, at: datetime | None = None
) -> ReliabilityParams:
    """The set in force for the version at `at` (default: now): its newest set released by
    then, else P0 (from the database, else built in). A comparison passes the later profile's
    submission time, so a set released afterwards never changes it (ASSESSMENT.md §6.1)."""
    released = ReliabilityParameterSet.objects.released().filter(
        Q(instrument_version=instrument_version) | Q(name="P0")
    )
    if at is not None:
        released = released.filter(released_at__lte=at)
    chosen = released.order_by(
        F("instrument_version").asc(nulls_last=True), "-released_at", "-pk"
    ).first()
    if chosen is None:
        return score_1.P0
    return ReliabilityParams(
        chosen.name,
        {d: (Fraction(v["sd"]), Fraction(v["r"])) for d, v in chosen.values.items()},
    )


class LineageRow(NamedTuple):
    """A scored item version as `assessments.lineage` follows it."""

    id: int
    instrument_version_id: int
    dimension: str
    derived_from_id: int | None
    change: str


def scored_item_lineage() -> list[LineageRow]:
    """Scored item versions with the fields needed to follow edits back through drafts.

    Every version is read (72 rows each), because the chain from a later version back to an
    earlier one can pass through versions that neither profile used."""
    rows = ItemVersion.objects.filter(kind=ItemKind.SCORED).values_list(*LineageRow._fields)
    return [LineageRow(*row) for row in rows]
