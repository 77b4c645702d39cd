"""Item lineage through `derived_from` (ASSESSMENT.md §5.4): the one definition.

Each item version of a draft is copied from an item of an earlier version (`derived_from`),
and its `change` says what the editor did on that one step: `unchanged`, `wording` (the same
statement, better worded) or `substantive`; an item written from scratch is `new` and has no
source. So `change` belongs to the step *into* the item, never to the steps out of it.

Two items are the same statement when the later one reaches the earlier one through
`derived_from` and every step on the way keeps the meaning. Statistics pool such items
(§5.1, §5.4) and comparisons treat their dimensions as directly comparable (§6.1).

Plain Python over rows that have `id`, `derived_from_id` and `change` (model instances,
`values_list(named=True)` rows, named tuples), so it is tested without a database.
"""

from collections.abc import Iterator, Mapping
from typing import Protocol, TypeVar

# The `change` values of a step that keeps the statement's meaning (assessments.models.Change).
MEANING_KEPT = frozenset({"unchanged", "wording"})


class LinkedItem(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def derived_from_id(self) -> int | None: ...
    @property
    def change(self) -> str: ...


Item = TypeVar("Item", bound=LinkedItem)


def keeps_meaning(change: str) -> bool:
    """Whether the step into an item with this `change` leaves it the same statement."""
    return change in MEANING_KEPT


def same_statement_chain(item: Item, by_id: Mapping[int, Item]) -> Iterator[Item]:
    """`item`, then each item it was derived from, for as long as the step into the item just
    yielded kept its meaning: every item yielded is the same statement as `item`.

    The chain ends at an item that is new or was changed substantively (that item is still
    yielded: it is where the statement began) and at a source missing from `by_id`."""
    current: Item | None = item
    while current is not None:
        yield current
        if not keeps_meaning(current.change) or current.derived_from_id is None:
            return
        current = by_id.get(current.derived_from_id)
