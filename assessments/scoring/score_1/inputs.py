"""What score-1 accepts (ASSESSMENT.md §2): a readable instrument spec and raw answers.

Both engines refuse the same inputs with ValueError; the reference checks them here, before
any rule of §3 runs.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from ..spec import CONTEXTS, DIMENSIONS, FACETS, ITEM_KINDS, ItemSpec
from .rules import HIGH, LOW, QC_FAILS


def check_spec(items: Sequence[ItemSpec]) -> None:
    """`items` in presentation order: unique codes and positions, pages in order, and only
    items score-1 has a rule for (blueprint cells, QC1-QC3, check-ins)."""
    if len({i.position for i in items}) < len(items) or len({i.code for i in items}) < len(items):
        raise ValueError("item codes and positions must be unique")
    if [i.page for i in items] != sorted(i.page for i in items):
        raise ValueError("pages must follow presentation positions")
    for i in items:
        cell = i.dimension in DIMENSIONS and i.facet in FACETS and i.context in CONTEXTS
        if i.kind not in ITEM_KINDS or (i.kind == "qc" and i.code not in QC_FAILS):
            raise ValueError(f"{i.code}: score-1 has no rule for this item")
        if i.kind == "scored" and not cell:
            raise ValueError(f"{i.code}: not a cell of the blueprint")


def read_answers(items: Sequence[ItemSpec], answers: Mapping[str, Any]) -> dict[str, int | None]:
    """Raw answers 1..7 by code of the shown items, None = skipped; other codes are ignored."""
    raw = {i.code: answers.get(i.code) for i in items}
    for value in raw.values():
        if value is not None and (type(value) is not int or not LOW <= value <= HIGH):
            raise ValueError(f"answers must be integers {LOW}..{HIGH} or None: {value!r}")
    return raw
