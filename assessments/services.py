"""Writes to instrument content and report copy: copy-on-write drafts, publishing, retiring."""

import copy
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from assessments import checks, copy_edit, queries
from assessments.checks import copy_problems
from assessments.locales import INSTRUMENT_TEXT_KEYS, TARGET_LOCALES, fingerprint
from assessments.models import (
    Change,
    CopyLocaleRelease,
    CopyTranslation,
    InstrumentText,
    InstrumentVersion,
    ItemVersion,
    LocaleRelease,
    ReadOnlyError,
    ReportCopyVersion,
    Translation,
)

# Fields whose change alters what an answer means: such an edit is always substantive (§5.4).
MEANING_FIELDS = ("kind", "dimension", "facet", "context", "reverse")


class PublishError(Exception):
    """Publishing was refused; `problems` lists every reason in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def create_draft_from(*, source: InstrumentVersion, version: str) -> InstrumentVersion:
    """Copy-on-write: a new draft holding fresh copies of every item and questionnaire text of
    `source`, and of their approved translations (see `carry_translations`)."""
    draft = InstrumentVersion.objects.create(
        version=version, title=source.title, based_on=source, status=InstrumentVersion.Status.DRAFT
    )
    InstrumentText.objects.bulk_create(
        InstrumentText(instrument_version=draft, key=t.key, text=t.text)
        for t in InstrumentText.objects.filter(instrument_version=source).order_by("pk")
    )
    items = ItemVersion.objects.bulk_create(
        ItemVersion(
            instrument_version=draft,
            code=item.code,
            text=item.text,
            kind=item.kind,
            dimension=item.dimension,
            facet=item.facet,
            context=item.context,
            reverse=item.reverse,
            page=item.page,
            position=item.position,
            derived_from=item,
            change=Change.UNCHANGED,
        )
        for item in queries.items_in_order(source.pk)
    )
    carry_translations(source=source, draft=draft, items=items)
    return draft


def carry_translations(
    *, source: InstrumentVersion, draft: InstrumentVersion, items: list[ItemVersion]
) -> None:
    """Every approved translation of `source` becomes an approved translation of the same
    text in the new draft, keeping who approved it, when, and the fingerprint of the English
    it was made from (`derived_from` points back). While a statement's English stays as it
    was, its translation stays current; reword it in the draft and the translation shows as
    out of date until a translator approves a new one. Drafts of translations stay behind."""
    new_items = {item.derived_from_id: item for item in items}
    new_texts = {t.key: t for t in InstrumentText.objects.filter(instrument_version=draft)}
    rows = []
    for old in (
        Translation.objects.approved()
        .filter(instrument_version=source)
        .select_related("instrument_text")
    ):
        if old.item_id is not None:
            target = {"item": new_items.get(old.item_id)}
        else:
            target = {"instrument_text": new_texts.get(old.instrument_text.key)}
        if None in target.values():
            continue
        rows.append(
            Translation(
                instrument_version=draft,
                locale=old.locale,
                text=old.text,
                source_fingerprint=old.source_fingerprint,
                status=Translation.Status.APPROVED,
                created_by_id=old.created_by_id,
                approved_at=old.approved_at,
                approved_by_id=old.approved_by_id,
                approved_by_name=old.approved_by_name,
                derived_from=old,
                note=f"Carried over from version {source.version}.",
                **target,
            )  # fmt: skip
        )
    Translation.objects.bulk_create(rows)


def next_draft_version(source: InstrumentVersion) -> str:
    """Suggest an unused version number: 1.0 → 1.1, 1.9 → 1.10, anything else gets a suffix."""
    major, _, minor = source.version.partition(".")
    candidate = f"{major}.{int(minor) + 1}" if minor.isdigit() else f"{source.version}-draft"
    existing = set(InstrumentVersion.objects.values_list("version", flat=True))
    suffix = 2
    base = candidate
    while candidate in existing:
        candidate = f"{base}-{suffix}"
        suffix += 1
    return candidate


def reviewed_texts(items: list[ItemVersion]) -> tuple[list[tuple], list[tuple]]:
    """(to check, already reviewed): §2.3 is enforced at review, and a statement carried over
    with the very text of the published item it was copied from passed that review then. Its
    checks are shown as notes, never re-imposed: a change of measuring tool (textstat's reading
    grade, issue 15) must not block a bank the spec itself ships (three 1.0 statements)."""
    sources = dict(
        ItemVersion.objects.filter(
            pk__in={i.derived_from_id for i in items if i.derived_from_id}
        ).values_list("pk", "text")
    )
    fresh, kept = [], []
    for i in items:
        carried = i.derived_from_id is not None and sources.get(i.derived_from_id) == i.text
        (kept if carried else fresh).append((i.code, i.kind, i.text, i.context))
    return fresh, kept


def publish_problems(instrument: InstrumentVersion) -> list[str]:
    """Everything that blocks publishing, each naming its statement or cell: the blueprint,
    the page layout and the §2.3 item-writing checks of every new or reworded statement (the
    same ones saving enforces)."""
    items = list(queries.items_in_order(instrument.pk))
    specs = [queries.item_spec(i) for i in items]
    fresh, _kept = reviewed_texts(items)
    return (
        checks.blueprint_problems(specs)
        + checks.layout_problems(specs)
        + checks.writing_notes(fresh)
    )


def publish_notes(instrument: InstrumentVersion) -> list[str]:
    """Reported to the editor without blocking: two statements of one capacity in a row, and
    the §2.3 checks a statement carried over unchanged would fail if it were written today."""
    items = list(queries.items_in_order(instrument.pk))
    _fresh, kept = reviewed_texts(items)
    return checks.adjacency_notes([queries.item_spec(i) for i in items]) + checks.writing_notes(
        kept
    )


@transaction.atomic
def publish(*, instrument: InstrumentVersion) -> InstrumentVersion:
    """Publish a valid draft and retire the version that was published before it."""
    instrument = InstrumentVersion.objects.select_for_update().get(pk=instrument.pk)
    if not instrument.is_draft:
        raise PublishError([f"Version {instrument.version} is {instrument.status}, not a draft."])
    problems = publish_problems(instrument) + text_problems(instrument)
    if problems:
        raise PublishError(problems)
    now = timezone.now()
    for current in InstrumentVersion.objects.select_for_update().published():
        retire(instrument=current, when=now)
    instrument.status = InstrumentVersion.Status.PUBLISHED
    instrument.published_at = now
    instrument.save()
    return instrument


def text_problems(instrument: InstrumentVersion) -> list[str]:
    """Every questionnaire text the version must carry in English (a draft copies them from
    the version it was made from, so only a damaged draft lacks one)."""
    texts = dict(
        InstrumentText.objects.filter(instrument_version=instrument).values_list("key", "text")
    )
    return [
        f"The questionnaire text “{key}” is missing or empty."
        for key in INSTRUMENT_TEXT_KEYS
        if not texts.get(key, "").strip()
    ]


def retire(*, instrument: InstrumentVersion, when=None) -> InstrumentVersion:
    if instrument.status != InstrumentVersion.Status.PUBLISHED:
        raise ReadOnlyError(f"Only a published version can be retired; {instrument} is not.")
    instrument.status = InstrumentVersion.Status.RETIRED
    instrument.retired_at = when or timezone.now()
    instrument.save()
    return instrument


def required_change(item: ItemVersion) -> str | None:
    """The change class an edit must carry, judged against the item it was copied from.

    None when the item is new or matches its source; SUBSTANTIVE when its meaning fields
    changed; WORDING when only the text changed (the editor may still call it substantive).
    """
    source = item.derived_from
    if source is None:
        return None
    if any(getattr(item, f) != getattr(source, f) for f in MEANING_FIELDS):
        return Change.SUBSTANTIVE
    if item.text != source.text:
        return Change.WORDING
    return None


STATEMENT_FIELDS = ("code", "text", "kind", "dimension", "facet", "context", "reverse", "change")


def save_statement(*, item: ItemVersion) -> ItemVersion:
    """Store one edited statement of a draft (already validated by its form): one UPDATE of
    its own row, whatever the size of the instrument. The immutability guard refuses it when
    the version is no longer a draft or answers refer to the statement."""
    item.save(update_fields=STATEMENT_FIELDS)
    return item


@transaction.atomic
def add_statement(*, item: ItemVersion) -> ItemVersion:
    """Add a new statement (validated by its form) at the end of its draft: the next free
    position; the page is the editor's choice, and the order page moves it from there."""
    instrument = InstrumentVersion.objects.select_for_update().get(pk=item.instrument_version_id)
    if not instrument.is_draft:
        raise ReadOnlyError("A statement can only be added to a draft version.")
    last = queries.items_in_order(instrument.pk).last()
    item.position = (last.position if last else 0) + 1
    item.change = Change.NEW
    item.derived_from = None
    item.save()
    return item


@transaction.atomic
def save_draft_items(
    *, instrument: InstrumentVersion, changed: Iterable[ItemVersion], deleted: Iterable[ItemVersion]
) -> None:
    """Save a draft's edited and added statements and delete the removed ones (the admin's
    inline). Added statements go after the last one, in the order given."""
    if not instrument.is_draft:
        raise ReadOnlyError("Only the statements of a draft can be edited.")
    top = queries.items_in_order(instrument.pk).last()
    next_position = (top.position if top else 0) + 1
    for item in changed:
        if item.pk is None:
            item.position = next_position
            next_position += 1
        item.save()
    for item in deleted:
        item.delete()


@transaction.atomic
def move_item(*, item: ItemVersion, offset: int) -> ItemVersion | None:
    """Swap an item's slot (page and position) with its neighbour `offset` places away."""
    if not item.instrument_version.is_draft:
        raise ReadOnlyError("Only items of a draft can be reordered.")
    siblings = list(queries.items_in_order(item.instrument_version_id).select_for_update())
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return None
    other = siblings[target]
    mine = siblings[index]
    slot_mine, slot_other = (mine.page, mine.position), (other.page, other.position)
    # The (version, position) pair is unique, so park one item on a free position first.
    mine.position = siblings[-1].position + 1
    mine.save(update_fields=["position"])
    other.page, other.position = slot_mine
    other.save(update_fields=["page", "position"])
    mine.page, mine.position = slot_other
    mine.save(update_fields=["page", "position"])
    return mine


# ----------------------------------------------------------------------------- report copy
# Versioned like instruments (§5.4): a draft is a copy-on-write of another version, checked
# against the shape of the newest released copy before it is published, and publishing
# retires the old copy.
def next_copy_version(source: ReportCopyVersion) -> str:
    """Suggest an unused copy version: copy-1 → copy-2, anything else gets a suffix."""
    prefix, _, number = source.version.rpartition("-")
    candidate = f"{prefix}-{int(number) + 1}" if number.isdigit() else f"{source.version}-2"
    existing = set(ReportCopyVersion.objects.values_list("version", flat=True))
    base, suffix = candidate, 2
    while candidate in existing:
        candidate = f"{base}-{suffix}"
        suffix += 1
    return candidate


def create_copy_draft_from(*, source: ReportCopyVersion, version: str) -> ReportCopyVersion:
    """Copy-on-write: a new draft holding a deep copy of every text of `source`."""
    texts = copy.deepcopy(source.texts)
    if isinstance(texts, dict):
        texts["version"] = version
    draft = ReportCopyVersion.objects.create(
        version=version, based_on=source, texts=texts, status=ReportCopyVersion.Status.DRAFT
    )
    carry_copy_translations(source=source, draft=draft)
    return draft


def carry_copy_translations(*, source: ReportCopyVersion, draft: ReportCopyVersion) -> None:
    """Every approved translation of `source` becomes an approved translation of the same key
    in the new draft, with its approver, date and the fingerprint of the English it was made
    from (`derived_from` points back), as `carry_translations` does for the instrument: it
    stays current while the English text is unchanged and shows as out of date once the
    draft rewords it. Drafts of translations stay behind. One read and one insert."""
    CopyTranslation.objects.bulk_create(
        CopyTranslation(
            copy_version=draft,
            locale=old.locale,
            key=old.key,
            text=old.text,
            source_fingerprint=old.source_fingerprint,
            status=CopyTranslation.Status.APPROVED,
            created_by_id=old.created_by_id,
            approved_at=old.approved_at,
            approved_by_id=old.approved_by_id,
            approved_by_name=old.approved_by_name,
            derived_from=old,
            note=f"Carried over from {source.version}.",
        )
        for old in CopyTranslation.objects.approved().filter(copy_version=source)
    )


@transaction.atomic
def publish_copy(*, report_copy: ReportCopyVersion) -> ReportCopyVersion:
    """Publish a complete draft and retire the copy that was published before it.

    Reports keep rendering with the copy version their snapshot names, so retiring never
    changes an existing report; only new submissions use the newly published copy.
    """
    draft = ReportCopyVersion.objects.select_for_update().get(pk=report_copy.pk)
    if draft.status != ReportCopyVersion.Status.DRAFT:
        raise PublishError([f"Report copy {draft.version} is {draft.status}, not a draft."])
    problems = copy_problems(draft.texts)
    if problems:
        raise PublishError(problems)
    published = ReportCopyVersion.Status.PUBLISHED
    for current in ReportCopyVersion.objects.select_for_update().filter(status=published):
        current.status = ReportCopyVersion.Status.RETIRED
        current.save()
    draft.status = published
    draft.published_at = timezone.now()
    draft.save()
    return draft


# ----------------------------------------------------------------------------- translations
# Issue 16 lines 2 and 5. A translation is new, reviewed content attached to a statement or
# questionnaire text of a version: writing or approving one never touches the version's
# English rows, so it may be done for a published version too, until the locale is released
# for it (docs/translation.md).
class TranslationError(Exception):
    """A translation was refused; `problems` lists every reason in plain words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def translation_problems(source: ItemVersion | InstrumentText, locale: str, text: str) -> list[str]:
    """Why `text` cannot stand for `source` in `locale`: empty, or (for a statement) failing
    the locale's §2.3 item-writing checks."""
    if locale not in TARGET_LOCALES:
        return [f"relcap has no locale “{locale}” to translate into."]
    if not text.strip():
        return ["A translation cannot be empty."]
    if isinstance(source, ItemVersion):
        return checks.writing_problems(text, source.kind, source.context, locale)
    return []


def _released(instrument_version_id: int, locale: str) -> bool:
    return LocaleRelease.objects.filter(
        instrument_version_id=instrument_version_id, locale=locale
    ).exists()


@transaction.atomic
def save_translation(
    *, source: ItemVersion | InstrumentText, locale: str, text: str, user=None
) -> Translation:
    """Store `text` as the draft translation of `source` in `locale` (one draft per text and
    locale: a second save updates it), fingerprinted with the English it was made from now.
    The current approved text itself, sent again, stores nothing and returns the approved row.
    Refused when the text fails its checks or the locale is released for the version."""
    version_id = source.instrument_version_id
    InstrumentVersion.objects.select_for_update().get(pk=version_id)
    if _released(version_id, locale):
        raise TranslationError([f"{locale} is released for this version: it cannot change."])
    problems = translation_problems(source, locale, text)
    if problems:
        raise TranslationError(problems)
    target = {"item": source} if isinstance(source, ItemVersion) else {"instrument_text": source}
    approved = Translation.objects.approved().filter(locale=locale, **target).first()
    current = approved is not None and approved.source_fingerprint == fingerprint(source.text)
    if current and approved.text == text:
        return approved  # already the approved text (a resent form): nothing new
    draft = Translation.objects.filter(
        locale=locale, status=Translation.Status.DRAFT, **target
    ).first()
    if draft is None:
        draft = Translation(
            instrument_version_id=version_id, locale=locale, created_by=user, **target
        )
    draft.text = text
    draft.source_fingerprint = fingerprint(source.text)
    draft.save()
    return draft


@transaction.atomic
def approve_translation(*, translation: Translation, user) -> Translation:
    """Approve a draft: it becomes the locale's one approved text for its source, and the text
    approved before it (if any) is kept as superseded. Refused when the draft was written for
    an English text that has changed since, fails its checks, or the locale is released."""
    InstrumentVersion.objects.select_for_update().get(pk=translation.instrument_version_id)
    draft = Translation.objects.select_related("item", "instrument_text").get(pk=translation.pk)
    if draft.status != Translation.Status.DRAFT:
        raise TranslationError(["Only a draft translation can be approved; this one is "
                                f"{draft.get_status_display().lower()}."])  # fmt: skip
    if _released(draft.instrument_version_id, draft.locale):
        raise TranslationError([f"{draft.locale} is released for this version: it cannot change."])
    source = draft.source
    problems = translation_problems(source, draft.locale, draft.text)
    if draft.source_fingerprint != fingerprint(source.text):
        problems.insert(0, "The English text changed after this draft was written; check it "
                        "against the English as it is now and save it again.")  # fmt: skip
    if problems:
        raise TranslationError(problems)
    for current in Translation.objects.approved().filter(
        locale=draft.locale, item_id=draft.item_id, instrument_text_id=draft.instrument_text_id
    ):
        current.status = Translation.Status.SUPERSEDED
        current.save(update_fields=["status"])
    draft.status = Translation.Status.APPROVED
    draft.approved_by = user
    draft.approved_by_name = user.get_username() if user is not None else ""
    draft.approved_at = timezone.now()
    draft.save()
    return draft


@transaction.atomic
def release_locale(*, instrument: InstrumentVersion, locale: str, user) -> LocaleRelease:
    """Offer `locale` of a published version to respondents. Refused, with every text that is
    missing or out of date, unless the locale is complete; releasing twice makes one release.
    From then on the locale's translations of this version never change."""
    instrument = InstrumentVersion.objects.select_for_update().get(pk=instrument.pk)
    if locale not in TARGET_LOCALES:
        raise TranslationError([f"relcap has no locale “{locale}”."])
    existing = LocaleRelease.objects.filter(instrument_version=instrument, locale=locale).first()
    if existing is not None:
        return existing
    if instrument.status != InstrumentVersion.Status.PUBLISHED:
        raise TranslationError([
            f"Version {instrument.version} is {instrument.get_status_display().lower()}: only "
            "the published version can be offered in a new locale."
        ])  # fmt: skip
    status = queries.locale_status(instrument, locale)
    if not status.is_complete:
        raise TranslationError(status.incomplete)
    return LocaleRelease.objects.create(
        instrument_version=instrument,
        locale=locale,
        released_at=timezone.now(),
        released_by=user,
        released_by_name=user.get_username() if user is not None else "",
    )


class CopyEditError(Exception):
    """Saving texts was refused; `problems` maps each refused path to its reasons."""

    def __init__(self, problems: dict[tuple[str, ...], list[str]]) -> None:
        super().__init__("; ".join(p for found in problems.values() for p in found))
        self.problems = problems


@transaction.atomic
def save_copy_texts(
    *, report_copy: ReportCopyVersion, changes: Mapping[tuple[str, ...], str]
) -> ReportCopyVersion:
    """Store the changed texts of a draft (the copy editor, issue 19 line 3): all or none.

    Every change is checked first (a text where the draft has one, non-empty, placeholders the
    report can fill); one refused text refuses them all and nothing is written. One locking
    read and one UPDATE of the draft's row, whatever the number of texts or changes."""
    draft = ReportCopyVersion.objects.select_for_update().get(pk=report_copy.pk)
    if draft.status != ReportCopyVersion.Status.DRAFT:
        raise ReadOnlyError(f"Report copy {draft.version} is {draft.status}, not a draft.")
    problems: dict[tuple[str, ...], list[str]] = {}
    for path, text in changes.items():
        if copy_edit.text_at(draft.texts, path) is None:
            problems[path] = [f"“{copy_edit.dotted(path)}” is not a text of this draft."]
        elif found := copy_edit.text_problems(path, text):
            problems[path] = found
    if problems:
        raise CopyEditError(problems)
    if changes:
        draft.texts = copy_edit.with_changes(draft.texts, changes)
        draft.save(update_fields=["texts"])
    return draft


@transaction.atomic
def rename_copy_draft(*, report_copy: ReportCopyVersion, version: str) -> ReportCopyVersion:
    """Give a draft another version name, in its row and in its texts' own "version"."""
    draft = ReportCopyVersion.objects.select_for_update().get(pk=report_copy.pk)
    if draft.status != ReportCopyVersion.Status.DRAFT:
        raise ReadOnlyError(f"Report copy {draft.version} is {draft.status}, not a draft.")
    draft.version = version
    if isinstance(draft.texts, dict) and "version" in draft.texts:
        draft.texts = {**draft.texts, "version": version}
    draft.save(update_fields=["version", "texts"])
    return draft


# ----------------------------------------------------------------------------- copy per locale
# Issue 16 line 3: report copy per locale under the rules of the instrument's translations. A
# translation of a copy text is a new row attached to the copy version; it never changes the
# copy's English, so it may be written for a published or retired copy too, until the locale
# is released for that copy (docs/translation.md, "Report copy per locale").
def _copy_released(copy_version_id: int, locale: str) -> bool:
    return CopyLocaleRelease.objects.filter(copy_version_id=copy_version_id, locale=locale).exists()


def copy_source_text(report_copy: ReportCopyVersion, key: str) -> str | None:
    """The English text of `report_copy` at dotted `key`, or None when it has none."""
    return next((t.value for t in queries.copy_source_texts(report_copy) if t.dotted == key), None)


def copy_translation_problems(
    report_copy: ReportCopyVersion, key: str, locale: str, text: str
) -> list[str]:
    """Why `text` cannot stand for the copy's text `key` in `locale` (checks.py)."""
    if locale not in TARGET_LOCALES:
        return [f"relcap has no locale “{locale}” to translate into."]
    english = copy_source_text(report_copy, key)
    if english is None:
        return [f"“{key}” is not a text of report copy {report_copy.version}."]
    return checks.copy_translation_problems(key, english, text, locale)


@transaction.atomic
def save_copy_translation(
    *, report_copy: ReportCopyVersion, key: str, locale: str, text: str, user=None
) -> CopyTranslation:
    """Store `text` as the draft translation of the copy's text `key` in `locale` (one draft
    per key and locale: a second save updates it), fingerprinted with its English now. The
    current approved text itself, sent again, stores nothing and returns the approved row.
    Refused when the text fails its checks or the locale is released for the copy."""
    report_copy = ReportCopyVersion.objects.select_for_update().get(pk=report_copy.pk)
    if _copy_released(report_copy.pk, locale):
        raise TranslationError(
            [f"{locale} is released for {report_copy.version}: it cannot change."]
        )
    problems = copy_translation_problems(report_copy, key, locale, text)
    if problems:
        raise TranslationError(problems)
    english = fingerprint(copy_source_text(report_copy, key))
    rows = CopyTranslation.objects.filter(copy_version=report_copy, locale=locale, key=key)
    approved = rows.approved().first()
    if approved is not None and approved.source_fingerprint == english and approved.text == text:
        return approved  # already the approved text (a resent form): nothing new
    draft = rows.filter(status=CopyTranslation.Status.DRAFT).first()
    if draft is None:
        draft = CopyTranslation(copy_version=report_copy, locale=locale, key=key, created_by=user)
    draft.text = text
    draft.source_fingerprint = english
    draft.save()
    return draft


@transaction.atomic
def approve_copy_translation(*, translation: CopyTranslation, user) -> CopyTranslation:
    """Approve a draft: it becomes the locale's one approved text for its key, and the text
    approved before it (if any) is kept as superseded. Refused when the English changed after
    the draft was written, the draft fails its checks, or the locale is released."""
    report_copy = ReportCopyVersion.objects.select_for_update().get(pk=translation.copy_version_id)
    draft = CopyTranslation.objects.get(pk=translation.pk)
    if draft.status != CopyTranslation.Status.DRAFT:
        raise TranslationError(["Only a draft translation can be approved; this one is "
                                f"{draft.get_status_display().lower()}."])  # fmt: skip
    if _copy_released(report_copy.pk, draft.locale):
        raise TranslationError([f"{draft.locale} is released for {report_copy.version}: it "
                                "cannot change."])  # fmt: skip
    problems = copy_translation_problems(report_copy, draft.key, draft.locale, draft.text)
    english = copy_source_text(report_copy, draft.key)
    if english is not None and draft.source_fingerprint != fingerprint(english):
        problems.insert(0, "The English text changed after this draft was written; check it "
                        "against the English as it is now and save it again.")  # fmt: skip
    if problems:
        raise TranslationError(problems)
    for current in CopyTranslation.objects.approved().filter(
        copy_version=report_copy, locale=draft.locale, key=draft.key
    ):
        current.status = CopyTranslation.Status.SUPERSEDED
        current.save(update_fields=["status"])
    draft.status = CopyTranslation.Status.APPROVED
    draft.approved_by = user
    draft.approved_by_name = user.get_username() if user is not None else ""
    draft.approved_at = timezone.now()
    draft.save()
    return draft


def copy_release_problems(status: queries.CopyLocaleStatus) -> list[str]:
    """Every reason `status`'s locale cannot be released: each key missing or out of date,
    and each approved text that fails the checks of its locale (placeholders, words)."""
    problems = list(status.incomplete)
    for row in status.rows:
        if row.state == queries.TextState.CURRENT:
            problems += checks.copy_translation_problems(
                row.key, row.english, row.approved.text, status.locale
            )
    return problems


@transaction.atomic
def release_copy_locale(*, report_copy: ReportCopyVersion, locale: str, user) -> CopyLocaleRelease:
    """Let reports pinned to a published or retired copy be read in `locale`. Refused, with
    every key missing or out of date (and every text failing its checks), unless the locale is
    complete; releasing twice makes one release. From then on the locale's translations of
    this copy never change."""
    report_copy = ReportCopyVersion.objects.select_for_update().get(pk=report_copy.pk)
    if locale not in TARGET_LOCALES:
        raise TranslationError([f"relcap has no locale “{locale}”."])
    existing = CopyLocaleRelease.objects.filter(copy_version=report_copy, locale=locale).first()
    if existing is not None:
        return existing
    if report_copy.is_draft:
        raise TranslationError([
            f"Report copy {report_copy.version} is a draft: only a published or retired copy "
            "can be released in a locale, since a draft's English can still change."
        ])  # fmt: skip
    problems = copy_release_problems(queries.copy_locale_status(report_copy, locale))
    if problems:
        raise TranslationError(problems)
    return CopyLocaleRelease.objects.create(
        copy_version=report_copy,
        locale=locale,
        released_at=timezone.now(),
        released_by=user,
        released_by_name=user.get_username() if user is not None else "",
    )


def load_copy_translations(
    *, report_copy: ReportCopyVersion, locale: str, groups: Mapping, note: str, release=True
) -> dict:
    """Load a shipped translation of `report_copy` (a dict of its top-level groups, see
    `assessments.copy_locale_data`): every text that passes its checks as approved, every other
    one as a draft, and release the locale (`release_copy_locale`, which checks every stored
    text again) when the translation covers every key of the copy. Returns what it did, with
    the keys `missing` and the `refused` texts' reasons."""
    from assessments import copy_locale_data

    if locale not in TARGET_LOCALES:
        raise TranslationError([f"relcap has no locale “{locale}”."])
    plan = copy_locale_data.plan_load(queries.copy_texts(report_copy.version), groups, locale)
    with transaction.atomic():
        done = copy_locale_data.apply_load(
            plan,
            copy_row=report_copy,
            locale=locale,
            translation_model=CopyTranslation,
            release_model=CopyLocaleRelease,
            note=note,
            release=False,
        )
        if release and plan.is_complete and not report_copy.is_draft:
            try:
                release_copy_locale(report_copy=report_copy, locale=locale, user=None)
            except TranslationError as refused:
                done["release_problems"] = refused.problems
            else:
                done["released"] = True
    done["missing"] = plan.missing
    done["refused"] = {key: reasons for key, (_, _, reasons) in plan.refused.items()}
    done["extra"] = plan.extra
    return done
