"""What publishing a draft would change (issue 19 line 2): every statement that differs from
the version the draft was copied from, which existing profiles a later one could no longer be
directly compared with, and the checks that block publishing, each next to its statement.

Reads only; a handful of queries whatever the size of the instrument.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments import lineage, queries, services
from assessments.models import Change, Dimension, InstrumentVersion, ItemVersion
from assessments.scoring.spec import DIMENSIONS

# The fields compared besides the text, in the order the confirmation lists them.
COMPARED_FIELDS = ("code", "kind", "dimension", "facet", "context", "reverse")


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class StatementChange:
    code: str
    status: str  # "new", "removed" or "changed"
    item_id: int | None  # the draft's statement (None when removed)
    text_before: str
    text_after: str
    classification: str
    fields: tuple[FieldChange, ...] = ()
    moved_from: str = ""  # "page 1, place 3" when the statement moved
    moved_to: str = ""
    problems: tuple[str, ...] = ()

    @property
    def text_changed(self) -> bool:
        return self.status == "changed" and self.text_before != self.text_after


@dataclass(frozen=True)
class DimensionImpact:
    code: str
    name: str
    profiles: int


@dataclass
class PublishPreview:
    draft: InstrumentVersion
    base: InstrumentVersion | None
    live: InstrumentVersion | None
    changes: list[StatementChange] = field(default_factory=list)
    unchanged: int = 0
    impacts: list[DimensionImpact] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # block publishing
    notes: list[str] = field(default_factory=list)  # reported, do not block

    @property
    def replaces_another_version(self) -> bool:
        """Whether the live version, retired by publishing, is not the one the draft was
        copied from (a draft made before a later version was published): the changes are
        listed against its source, and the page says so."""
        return self.live is not None and (self.base is None or self.base.pk != self.live.pk)

    @property
    def can_publish(self) -> bool:
        return self.draft.is_draft and not self.problems


def _shown(item: ItemVersion, name: str) -> str:
    if name == "reverse":
        return _("reverse-keyed") if item.reverse else _("forward-keyed")
    value = getattr(item, name)
    if name in ("kind", "dimension", "context") and value:
        return str(getattr(item, f"get_{name}_display")())
    return "—" if value in ("", None) else str(value)


def _place(item: ItemVersion) -> str:
    return _("page %(page)d, place %(position)d") % {"page": item.page, "position": item.position}


def _mentions(problem: str, code: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", problem) is not None


def preview(draft: InstrumentVersion) -> PublishPreview:
    """The confirmation page's content for `draft`, against the version it was copied from."""
    items = list(queries.items_in_order(draft.pk).select_related("derived_from"))
    base = draft.based_on
    base_items = list(queries.items_in_order(base.pk)) if base is not None else []
    live = queries.published_instrument()
    result = PublishPreview(draft=draft, base=base, live=live)
    result.problems = services.publish_problems(draft)
    result.notes = services.publish_notes(draft)
    reached = set()
    for item in items:
        source = item.derived_from if item.derived_from_id else None
        if source is not None and source.instrument_version_id == (base.pk if base else None):
            reached.add(source.pk)
        else:
            source = None
        problems = tuple(p for p in result.problems if _mentions(p, item.code))
        change = _statement_change(item, source, problems)
        if change is None:
            result.unchanged += 1
        else:
            result.changes.append(change)
    for gone in base_items:
        if gone.pk not in reached:
            result.changes.append(
                StatementChange(
                    code=gone.code,
                    status="removed",
                    item_id=None,
                    text_before=gone.text,
                    text_after="",
                    classification=_("Removed"),
                )
            )
    result.impacts = impacts(draft)
    return result


def _statement_change(
    item: ItemVersion, source: ItemVersion | None, problems: tuple[str, ...]
) -> StatementChange | None:
    if source is None:
        return StatementChange(
            code=item.code,
            status="new",
            item_id=item.pk,
            text_before="",
            text_after=item.text,
            classification=Change.NEW.label,
            problems=problems,
        )
    fields = tuple(
        FieldChange(str(ItemVersion._meta.get_field(name).verbose_name), _shown(source, name),
                    _shown(item, name))
        for name in COMPARED_FIELDS
        if getattr(source, name) != getattr(item, name)
    )  # fmt: skip
    moved = (source.page, source.position) != (item.page, item.position)
    if not fields and not moved and source.text == item.text and not problems:
        return None
    return StatementChange(
        code=item.code,
        status="changed",
        item_id=item.pk,
        text_before=source.text,
        text_after=item.text,
        classification=item.get_change_display(),
        fields=fields,
        moved_from=_place(source) if moved else "",
        moved_to=_place(item) if moved else "",
        problems=problems,
    )


def impacts(draft: InstrumentVersion) -> list[DimensionImpact]:
    """Per capacity, how many submitted profiles (on any published or retired version) a
    later profile on `draft` could not be directly compared with (§6)."""
    rows = queries.scored_item_lineage()
    counts = dict.fromkeys(DIMENSIONS, 0)
    used = queries.versions_with_usage().exclude(status=InstrumentVersion.Status.DRAFT)
    for version in used.filter(profile_count__gt=0):
        for dimension in lineage.changed_dimensions(rows, version.pk, draft.pk):
            counts[dimension] += version.profile_count
    return [
        DimensionImpact(code, Dimension(code).label, count)
        for code, count in counts.items()
        if count
    ]
