"""Which capacities an edit makes "not directly comparable" (ASSESSMENT.md §6): item versions
are followed back through `derived_from`, and a new or substantive step on the way marks the
capacities it touches. One home for the rule: comparisons (profiles.comparison) and the
admin's publish confirmation (assessments.version_diff) both use it."""

from collections.abc import Iterable

from assessments.models import Change, ItemKind, ItemVersion
from assessments.scoring.spec import DIMENSIONS

CHANGED_ITEM = frozenset({Change.SUBSTANTIVE, Change.NEW})


def scored_item_lineage() -> list[dict]:
    """Scored item versions with the fields needed to follow edits back through drafts:
    id, instrument_version_id, dimension, derived_from_id and change.

    Every version is read (72 rows each), because the chain from a later version back to an
    earlier one can pass through versions that neither profile used."""
    return list(
        ItemVersion.objects.filter(kind=ItemKind.SCORED).values(
            "id", "instrument_version_id", "dimension", "derived_from_id", "change"
        )
    )


def changed_dimensions(items: Iterable[dict], earlier_id: int, later_id: int) -> set[str]:
    """Dimensions with an item that is new, missing or substantively changed on the way from
    the earlier instrument version to the later one (§6 "not directly comparable").

    `items` are scored item versions (id, instrument_version_id, dimension, derived_from_id,
    change) of every version; a later item is followed back through `derived_from` until it
    reaches the earlier version. When the later version does not descend from the earlier
    one (a profile started on an older version), the walk runs the other way.
    """
    if earlier_id == later_id:
        return set()
    rows = {row["id"]: row for row in items}
    for source, target in ((earlier_id, later_id), (later_id, earlier_id)):
        changed, reached = _walk(rows, source=source, target=target)
        if reached:
            missing = {
                row["dimension"]
                for row in rows.values()
                if row["instrument_version_id"] == source and row["id"] not in reached
            }
            return changed | missing
    return set(DIMENSIONS)  # unrelated versions: no item can be matched


def _walk(rows: dict[int, dict], *, source: int, target: int) -> tuple[set[str], set[int]]:
    """Follow every item of `target` back towards `source`: the dimensions touched by a new or
    substantive step, and the ids of the `source` items reached without one."""
    changed, reached = set(), set()
    for row in rows.values():
        if row["instrument_version_id"] != target:
            continue
        dimensions, current = {row["dimension"]}, row
        while current is not None and current["instrument_version_id"] != source:
            if current["change"] in CHANGED_ITEM:
                current = None
                break
            current = rows.get(current["derived_from_id"])
            if current is not None:
                dimensions.add(current["dimension"])
        if current is None:
            changed |= dimensions
        else:
            reached.add(current["id"])
    return changed, reached
