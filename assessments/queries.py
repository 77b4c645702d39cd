"""Reads of instrument content, returning model rows or the scoring engine's frozen specs."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import NamedTuple

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When

from assessments import copy_edit, scoring
from assessments.copy_text import with_released_wording
from assessments.lineage import keeps_meaning
from assessments.locales import (
    INSTRUMENT_TEXT_KEYS,
    NOT_VALIDATED,
    SOURCE_LOCALE,
    TARGET_LOCALES,
    fingerprint,
)
from assessments.models import (
    CopyLocaleRelease,
    CopyTranslation,
    InstrumentText,
    InstrumentVersion,
    ItemKind,
    ItemVersion,
    LocaleRelease,
    ReliabilityParameterSet,
    ReportCopyVersion,
    SupportResource,
    Translation,
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
    _frozen_texts.clear()
    _complete_releases.clear()
    _frozen_locale_copies.clear()
    _complete_copy_releases.clear()


def published_instrument() -> InstrumentVersion | None:
    return InstrumentVersion.objects.published().first()


def items_in_order(instrument_version_id: int) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(instrument_version_id=instrument_version_id).order_by(
        "position"
    )


@dataclass(frozen=True)
class HistoryStep:
    """One version of a statement in its lineage: the item, the version it was copied from
    (its `derived_from`), and whether that step kept it the same statement (§5.4)."""

    item: ItemVersion
    source_version: str  # "" for a statement written in this version
    is_current: bool

    @property
    def keeps_meaning(self) -> bool:
        return self.item.derived_from_id is not None and keeps_meaning(self.item.change)


def statement_history(item: ItemVersion) -> list[HistoryStep]:
    """The statement's lineage across versions (issue 19 line 5), oldest version first: each
    version it was copied from (through `derived_from`), the statement itself, and every later
    item copied from it, in any later version or draft, each with the classification of the
    step into it. One query per version walked back and per generation walked forward."""
    related = ItemVersion.objects.select_related(
        "instrument_version", "derived_from__instrument_version"
    )
    steps = {item.pk: item}
    current = item.derived_from_id
    while current is not None and current not in steps:
        earlier = related.filter(pk=current).first()
        if earlier is None:
            break
        steps[earlier.pk] = earlier
        current = earlier.derived_from_id
    frontier = [item.pk]
    while frontier:
        later = [i for i in related.filter(derived_from_id__in=frontier) if i.pk not in steps]
        steps.update((i.pk, i) for i in later)
        frontier = [i.pk for i in later]
    ordered = sorted(
        steps.values(), key=lambda i: (i.instrument_version.created_at, i.instrument_version_id)
    )
    return [
        HistoryStep(
            item=step,
            source_version=(
                step.derived_from.instrument_version.version if step.derived_from_id else ""
            ),
            is_current=step.pk == item.pk,
        )
        for step in ordered
    ]


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


def copy_texts(version: str, locale: str = SOURCE_LOCALE) -> dict:
    """Texts of a report-copy version in `locale`; non-draft versions never change, so they
    are cached. English is the copy's own texts. Another locale gives the same tree with
    every text in that locale, only when the locale is released for the version and every
    text is approved and current in it; else `CopyLocaleUnavailable`, never an English text
    in its place (issue 16 line 3)."""
    if locale != SOURCE_LOCALE:
        return copy_locale_texts(version, locale)
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
    `scoring.spec.is_shown` as a filter (tests/assessments/scoring/test_mode_contexts.py holds
    the two equal).

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


@dataclass(frozen=True)
class ShownResource:
    """A support resource as a page in one language shows it: its texts in that language, or
    in English with `lang` "en" when it has no translation in it (a help line is never left
    out for want of one: ASSESSMENT.md §7.3)."""

    name: str
    region: str
    description: str
    phone: str
    url: str
    is_emergency: bool
    lang: str


def support_resources_in(locale: str) -> list[ShownResource]:
    shown = []
    for resource in support_resources():
        texts = resource.translated(locale)
        lang = ""
        if texts is None:
            texts, lang = resource.translated(SOURCE_LOCALE), SOURCE_LOCALE
        shown.append(
            ShownResource(
                **texts,
                phone=resource.phone,
                url=resource.url,
                is_emergency=resource.is_emergency,
                lang=lang,
            )
        )
    return shown


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
    instrument_version: InstrumentVersion,
    *,
    at: datetime | None = None,
    locale: str = SOURCE_LOCALE,
) -> ReliabilityParams:
    """The set in force for the version in `locale` at `at` (default: now): its newest set
    released by then from that locale's sample, else P0 (from the database, else built in). A
    set of another locale never applies (issue 16 line 4). A comparison passes the later
    profile's submission time, so a set released afterwards never changes it (§6.1)."""
    released = ReliabilityParameterSet.objects.released().filter(
        Q(instrument_version=instrument_version, locale=locale) | Q(name="P0")
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


# ----------------------------------------------------------------------------- locales
# Issue 16 lines 2 and 5: a locale is offered only when every text of the version is approved
# and current in it, and never falls back to English inside a questionnaire.
class TextState:
    CURRENT = "current"  # approved, made from the English text the version has now
    OUT_OF_DATE = "out_of_date"  # approved, but the English text changed since
    MISSING = "missing"  # no approved translation (perhaps a draft)


@dataclass(frozen=True)
class TextStatus:
    """One source text of a version in one locale: a statement (`item`) or another
    questionnaire text (`text`), its English, and its approved and draft translations."""

    kind: str  # "item" or "text"
    key: str  # the statement's code or the text's key
    source_id: int  # ItemVersion or InstrumentText id
    english: str
    approved: Translation | None
    draft: Translation | None
    item_kind: str = ""  # for statements: scored, qc or wb
    context: str = ""

    @property
    def state(self) -> str:
        if self.approved is None:
            return TextState.MISSING
        if self.approved.source_fingerprint != fingerprint(self.english):
            return TextState.OUT_OF_DATE
        return TextState.CURRENT

    @property
    def label(self) -> str:
        return self.key if self.kind == "item" else f"text “{self.key}”"


@dataclass(frozen=True)
class LocaleStatus:
    """Every source text of a version in one locale, in questionnaire order (the statements,
    then the other texts in `INSTRUMENT_TEXT_KEYS` order), and whether it is released."""

    instrument: InstrumentVersion
    locale: str
    rows: tuple[TextStatus, ...]
    release: LocaleRelease | None
    missing_keys: tuple[str, ...]  # required text keys the version itself lacks (in English)

    def by_state(self, state: str) -> list[TextStatus]:
        return [r for r in self.rows if r.state == state]

    @property
    def incomplete(self) -> list[str]:
        """Every reason the locale is not complete, in plain words (empty when complete)."""
        problems = [
            f"{row.label}: {'out of date' if row.state == TextState.OUT_OF_DATE else 'missing'}"
            for row in self.rows
            if row.state != TextState.CURRENT
        ]
        problems += [f"text “{key}”: the version has no English text" for key in self.missing_keys]
        return problems

    @property
    def is_complete(self) -> bool:
        return not self.incomplete

    @property
    def not_validated(self) -> str:
        return NOT_VALIDATED.get(self.locale, "")


def locale_status(instrument: InstrumentVersion, locale: str) -> LocaleStatus:
    """The status of `locale` for a version: three queries (statements, texts, translations)
    and one for its release, whatever the number of statements."""
    items = list(items_in_order(instrument.pk).values_list("pk", "code", "text", "kind", "context"))
    texts = dict(
        (key, (pk, text))
        for pk, key, text in InstrumentText.objects.filter(
            instrument_version=instrument
        ).values_list("pk", "key", "text")
    )
    approved: dict[tuple[str, int], Translation] = {}
    drafts: dict[tuple[str, int], Translation] = {}
    for row in Translation.objects.filter(
        instrument_version=instrument,
        locale=locale,
        status__in=[Translation.Status.DRAFT, Translation.Status.APPROVED],
    ):
        key = ("item", row.item_id) if row.item_id else ("text", row.instrument_text_id)
        (approved if row.status == Translation.Status.APPROVED else drafts)[key] = row
    rows = [
        TextStatus(
            "item",
            code,
            pk,
            text,
            approved.get(("item", pk)),
            drafts.get(("item", pk)),
            kind,
            context,
        )  # fmt: skip
        for pk, code, text, kind, context in items
    ]
    ordered_keys = [k for k in INSTRUMENT_TEXT_KEYS if k in texts]
    ordered_keys += sorted(k for k in texts if k not in INSTRUMENT_TEXT_KEYS)
    for key in ordered_keys:
        pk, text = texts[key]
        rows.append(
            TextStatus("text", key, pk, text, approved.get(("text", pk)), drafts.get(("text", pk)))
        )
    release = LocaleRelease.objects.filter(instrument_version=instrument, locale=locale).first()
    missing = tuple(k for k in INSTRUMENT_TEXT_KEYS if k not in texts)
    return LocaleStatus(instrument, locale, tuple(rows), release, missing)


def released_locale_flags() -> dict[str, Exists]:
    """Annotations `released_<locale>` (one per target locale) that say, inside a query of
    instrument versions, whether the locale is released for each: `offered_locales` then
    needs no query of its own (`released_locales_of`)."""
    return {
        f"released_{locale}": Exists(
            LocaleRelease.objects.filter(instrument_version=OuterRef("pk"), locale=locale)
        )
        for locale in TARGET_LOCALES
    }


def released_locales_of(instrument: InstrumentVersion) -> list[str] | None:
    """The released locales an instrument read with `released_locale_flags` carries; None
    when it was read without them."""
    flags = [(locale, getattr(instrument, f"released_{locale}", None)) for locale in TARGET_LOCALES]
    if any(flag is None for _, flag in flags):
        return None
    return [locale for locale, flag in flags if flag]


def offered_locales(
    instrument: InstrumentVersion, *, released: Iterable[str] | None = None
) -> list[str]:
    """The locales a respondent may take this version in: English (the source) first, then
    every locale released for it whose every statement, instruction, response label, check
    item and consent text is approved and current. A draft offers English only. `released`
    (the version's released locales, read by the caller) saves the query for them."""
    offered = [SOURCE_LOCALE]
    if instrument.is_draft:
        return offered
    if released is None:
        released = released_locales_of(instrument)
    if released is None:
        released = LocaleRelease.objects.filter(instrument_version=instrument).values_list(
            "locale", flat=True
        )
    for locale in sorted(released):
        key = (instrument.pk, locale)
        if key in _complete_releases or locale_status(instrument, locale).is_complete:
            _complete_releases.add(key)  # a released locale never changes again
            offered.append(locale)
    return offered


class LocaleUnavailable(Exception):
    """The questionnaire cannot be shown in this locale; `missing` says why, in plain words."""

    def __init__(self, locale: str, missing: list[str]) -> None:
        super().__init__(f"{locale}: " + "; ".join(missing))
        self.locale = locale
        self.missing = missing


@dataclass(frozen=True)
class QuestionnaireTexts:
    """Every text a respondent reads in one version's questionnaire, in one locale: the
    statements by item version id, the other texts by key (`INSTRUMENT_TEXT_KEYS`), and the
    locale's validation note ("" for English)."""

    locale: str
    items: dict[int, str]
    texts: dict[str, str]
    not_validated: str

    def scale(self) -> tuple[tuple[int, str], ...]:
        """The seven response labels, as `assessments.models.RESPONSE_SCALE` is shaped."""
        return tuple((value, self.texts[f"scale.{value}"]) for value in range(1, 8))


_frozen_texts: dict[tuple[int, str], QuestionnaireTexts] = {}
# (version id, locale) found released and complete: frozen from then on, so one query (the
# version's releases) answers `offered_locales` afterwards.
_complete_releases: set[tuple[int, str]] = set()


def questionnaire_texts(
    instrument: InstrumentVersion, locale: str, *, released_only: bool = True
) -> QuestionnaireTexts:
    """All texts of the version in `locale`, or LocaleUnavailable naming every one missing or
    out of date; never an English text inside another locale. `released_only=False` is for
    the admin's preview of a locale not released yet. A released locale of a published or
    retired version never changes, so its texts are cached per process."""
    key = (instrument.pk, locale)
    if key in _frozen_texts:
        return _frozen_texts[key]
    if locale == SOURCE_LOCALE:
        return _source_texts(instrument.pk, is_draft=instrument.is_draft)
    if locale not in TARGET_LOCALES:
        raise LocaleUnavailable(locale, [f"relcap has no locale “{locale}”"])
    status = locale_status(instrument, locale)
    problems = list(status.incomplete)
    if released_only and status.release is None:
        problems.insert(0, f"{locale} is not released for version {instrument.version}")
    if problems:
        raise LocaleUnavailable(locale, problems)
    result = QuestionnaireTexts(
        locale,
        {r.source_id: r.approved.text for r in status.rows if r.kind == "item"},
        {r.key: r.approved.text for r in status.rows if r.kind == "text"},
        status.not_validated,
    )
    if status.release is not None and not instrument.is_draft:
        _frozen_texts[key] = result
    return result


def _source_texts(instrument_version_id: int, *, is_draft: bool) -> QuestionnaireTexts:
    """The version's own (English) texts: two queries, cached unless it is a draft."""
    texts = dict(
        InstrumentText.objects.filter(instrument_version_id=instrument_version_id).values_list(
            "key", "text"
        )
    )
    missing = [f"text “{k}”: the version has no English text" for k in INSTRUMENT_TEXT_KEYS
               if k not in texts]  # fmt: skip
    if missing:
        raise LocaleUnavailable(SOURCE_LOCALE, missing)
    items = dict(items_in_order(instrument_version_id).values_list("pk", "text"))
    result = QuestionnaireTexts(SOURCE_LOCALE, items, texts, "")
    if not is_draft:
        _frozen_texts[(instrument_version_id, SOURCE_LOCALE)] = result
    return result


def texts_of_version(instrument_version_id: int, locale: str) -> QuestionnaireTexts:
    """`questionnaire_texts` by the version's id: no query once the texts are cached (a
    profile's pages need only its `instrument_version_id`), and no read of the version for
    English when this process knows it is frozen."""
    cached = _frozen_texts.get((instrument_version_id, locale))
    if cached is not None:
        return cached
    if locale == SOURCE_LOCALE and is_frozen(instrument_version_id):
        return _source_texts(instrument_version_id, is_draft=False)
    return questionnaire_texts(InstrumentVersion.objects.get(pk=instrument_version_id), locale)


# ----------------------------------------------------------------------------- copy per locale
# Issue 16 line 3: report copy per locale under the same rules. The source of a copy version's
# translations is its English texts (`copy_texts(version)`, with the wording copy-1 took from
# code), each named by its dotted key; the copy's own "version" name is not translated.
COPY_NAME_KEY = ("version",)


@dataclass(frozen=True)
class CopyTextStatus:
    """One text of a copy version in one locale: its key, English, approved and draft text."""

    path: tuple[str, ...]
    english: str
    approved: CopyTranslation | None
    draft: CopyTranslation | None

    @property
    def key(self) -> str:
        return copy_edit.dotted(self.path)

    @property
    def group(self) -> str:
        return self.path[0]

    @property
    def state(self) -> str:
        if self.approved is None:
            return TextState.MISSING
        if self.approved.source_fingerprint != fingerprint(self.english):
            return TextState.OUT_OF_DATE
        return TextState.CURRENT


@dataclass(frozen=True)
class CopyLocaleStatus:
    """Every text of a copy version in one locale, in the copy's order, and its release."""

    copy: ReportCopyVersion
    locale: str
    rows: tuple[CopyTextStatus, ...]
    release: CopyLocaleRelease | None
    clashes: tuple[str, ...] = ()  # dotted keys two texts of the copy share (never in copy-3)

    def by_state(self, state: str) -> list[CopyTextStatus]:
        return [r for r in self.rows if r.state == state]

    def counts(self) -> dict[str, int]:
        found = {TextState.CURRENT: 0, TextState.OUT_OF_DATE: 0, TextState.MISSING: 0}
        for row in self.rows:
            found[row.state] += 1
        return found

    @property
    def incomplete(self) -> list[str]:
        """Every key that is missing or out of date, in plain words (empty when complete)."""
        problems = [
            f"“{row.key}”: {'out of date' if row.state == TextState.OUT_OF_DATE else 'missing'}"
            for row in self.rows
            if row.state != TextState.CURRENT
        ]
        problems += [f"“{key}” names two texts of the copy" for key in self.clashes]
        return problems

    @property
    def is_complete(self) -> bool:
        return not self.incomplete

    @property
    def not_validated(self) -> str:
        return NOT_VALIDATED.get(self.locale, "")


def copy_source_texts(copy: ReportCopyVersion) -> list[copy_edit.Text]:
    """The English texts of a copy version that a locale translates, in the copy's order."""
    return [t for t in copy_edit.texts_of(copy_texts(copy.version)) if t.path != COPY_NAME_KEY]


def copy_locale_status(copy: ReportCopyVersion, locale: str) -> CopyLocaleStatus:
    """The status of `locale` for a copy version: its translations and its release, two
    queries (and one for the English texts of a draft), whatever the number of texts."""
    approved: dict[str, CopyTranslation] = {}
    drafts: dict[str, CopyTranslation] = {}
    for row in CopyTranslation.objects.filter(
        copy_version=copy,
        locale=locale,
        status__in=[CopyTranslation.Status.DRAFT, CopyTranslation.Status.APPROVED],
    ):
        (approved if row.status == CopyTranslation.Status.APPROVED else drafts)[row.key] = row
    sources = copy_source_texts(copy)
    seen: set[str] = set()
    clashes = []
    for text in sources:
        if text.dotted in seen:
            clashes.append(text.dotted)
        seen.add(text.dotted)
    rows = tuple(
        CopyTextStatus(t.path, t.value, approved.get(t.dotted), drafts.get(t.dotted))
        for t in sources
    )
    release = CopyLocaleRelease.objects.filter(copy_version=copy, locale=locale).first()
    return CopyLocaleStatus(copy, locale, rows, release, tuple(clashes))


class CopyLocaleUnavailable(LookupError):
    """A report copy cannot be read in this locale; `missing` says why, in plain words."""

    def __init__(self, version: str, locale: str, missing: list[str]) -> None:
        super().__init__(f"{version} in {locale}: " + "; ".join(missing))
        self.version = version
        self.locale = locale
        self.missing = missing


# (copy version, locale) released and found complete: frozen from then on.
_frozen_locale_copies: dict[tuple[str, str], dict] = {}
_complete_copy_releases: set[tuple[str, str]] = set()


def copy_locale_texts(version: str, locale: str, *, released_only: bool = True) -> dict:
    """The texts of copy `version` in `locale`, shaped exactly as `copy_texts(version)` (its
    "version" name kept), or CopyLocaleUnavailable naming every key missing or out of date;
    never an English text inside another locale. `released_only=False` is for the admin's
    preview of a locale not released yet. A released locale never changes: cached."""
    key = (version, locale)
    if key in _frozen_locale_copies:
        return _frozen_locale_copies[key]
    if locale not in TARGET_LOCALES:
        raise CopyLocaleUnavailable(version, locale, [f"relcap has no locale “{locale}”"])
    copy = ReportCopyVersion.objects.filter(version=version).first()
    if copy is None:
        raise CopyLocaleUnavailable(version, locale, [f"there is no report copy “{version}”"])
    status = copy_locale_status(copy, locale)
    problems = list(status.incomplete)
    if released_only and status.release is None:
        problems.insert(0, f"{locale} is not released for report copy {version}")
    if problems:
        raise CopyLocaleUnavailable(version, locale, problems)
    texts = copy_edit.with_changes(
        copy_texts(version), {row.path: row.approved.text for row in status.rows}
    )
    if status.release is not None:  # a release needs a published or retired copy
        _frozen_locale_copies[key] = texts
        _complete_copy_releases.add(key)
    return texts


def copy_locales(version: str, *, released: Iterable[str] | None = None) -> frozenset[str]:
    """The locales reports pinned to copy `version` can be read in: English, and every locale
    released for it whose every text is approved and current. One query once known, none
    when the caller read the released locales (`released`, see `respondent_locale_flags`)."""
    found = {SOURCE_LOCALE}
    if released is None:
        released = CopyLocaleRelease.objects.filter(copy_version__version=version).values_list(
            "locale", flat=True
        )
    for locale in released:
        if (version, locale) in _complete_copy_releases:
            found.add(locale)
            continue
        try:
            copy_locale_texts(version, locale)
        except CopyLocaleUnavailable:
            continue
        found.add(locale)
    return frozenset(found)


def interface_copy(locale: str) -> dict:
    """The live copy's texts for a page's interface in `locale` (issue 16): in English the
    published copy's; in another locale those of the newest published-or-retired copy that is
    released and complete in it (the published one when it is), so a German page reads German
    copy only. With no copy readable in the locale, the published copy's English (a locale is
    offered to respondents only once the published copy is released in it, so a person who took
    a profile in it never meets this). One query, as `copy_texts(published_copy().version)`."""
    if locale == SOURCE_LOCALE or locale not in TARGET_LOCALES:
        return copy_texts(published_copy().version)
    live = (
        ReportCopyVersion.Status.PUBLISHED,
        ReportCopyVersion.Status.RETIRED,
    )
    found = ReportCopyVersion.objects.filter(status__in=live, locale_releases__locale=locale)
    newest_first = found.annotate(
        live_now=Case(
            When(status=ReportCopyVersion.Status.PUBLISHED, then=Value(0)), default=Value(1)
        )
    ).order_by("live_now", F("published_at").desc(nulls_last=True), "-created_at")
    names = list(newest_first.values_list("version", flat=True))
    for name in names:
        try:
            return copy_locale_texts(name, locale)
        except CopyLocaleUnavailable:
            continue
    return copy_texts(published_copy().version)


# ----------------------------------------------------------------------------- respondents
# Issue 16 line 4: a locale is offered to respondents only when the instrument version offers
# it and the report copy published now is released in it, so the report a person gets is in
# the language they answered in.
def respondent_locale_flags() -> dict:
    """Annotations for a query of instrument versions: each version's released locales
    (`released_locale_flags`), the published copy's name and its released locales, so that
    `respondent_locales_of` needs no query of its own."""
    published = ReportCopyVersion.objects.filter(status=ReportCopyVersion.Status.PUBLISHED)
    return {
        **released_locale_flags(),
        "live_copy_version": Subquery(published.values("version")[:1]),
        **{
            f"copy_released_{locale}": Exists(
                CopyLocaleRelease.objects.filter(
                    copy_version__status=ReportCopyVersion.Status.PUBLISHED, locale=locale
                )
            )
            for locale in TARGET_LOCALES
        },
    }


def respondent_locales_of(instrument: InstrumentVersion) -> list[str]:
    """The locales a person may take `instrument` in: offered by the version
    (`offered_locales`) and readable in the published report copy (`copy_locales`). Without
    the annotations of `respondent_locale_flags` it reads them (three queries)."""
    offered = offered_locales(instrument)
    if len(offered) == 1:
        return offered
    if hasattr(instrument, "live_copy_version"):
        copy = instrument.live_copy_version
        released = [loc for loc in TARGET_LOCALES if getattr(instrument, f"copy_released_{loc}")]
    else:
        live = live_copy()
        copy, released = (live.version if live else None), None
    if copy is None:
        return [SOURCE_LOCALE]
    readable = copy_locales(copy, released=released)
    return [locale for locale in offered if locale in readable]
