"""Writes to instrument content and report copy: copy-on-write drafts, publishing, retiring."""

import copy
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from assessments import checks, copy_edit, queries
from assessments.checks import copy_problems
from assessments.models import (
    Change,
    InstrumentVersion,
    ItemVersion,
    ReadOnlyError,
    ReportCopyVersion,
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
    """Copy-on-write: a new draft holding fresh copies of every item of `source`."""
    draft = InstrumentVersion.objects.create(
        version=version, title=source.title, based_on=source, status=InstrumentVersion.Status.DRAFT
    )
    ItemVersion.objects.bulk_create(
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
    return draft


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
    problems = publish_problems(instrument)
    if problems:
        raise PublishError(problems)
    now = timezone.now()
    for current in InstrumentVersion.objects.select_for_update().published():
        retire(instrument=current, when=now)
    instrument.status = InstrumentVersion.Status.PUBLISHED
    instrument.published_at = now
    instrument.save()
    return instrument


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
    return ReportCopyVersion.objects.create(
        version=version, based_on=source, texts=texts, status=ReportCopyVersion.Status.DRAFT
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
