"""Version-free inputs of every scoring-rules version: the blueprint's vocabulary and the specs.

ASSESSMENT.md §1-§2 (dimensions, facets, contexts, context modes) and the frozen dataclasses
the engines take. Nothing here is a threshold: numbers of the rules live in each version's
`rules.py`. Standard library only.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

DIMENSIONS = ("MEN", "EMP", "REG", "TRU", "REP", "BON")  # §1, display order
FACETS = (1, 2)
CONTEXTS = ("C", "W")  # close relationships, work
MODES = ("both", "close_only", "work_only")  # §2.6 context mode
MODE_CONTEXTS = {"both": ("C", "W"), "close_only": ("C",), "work_only": ("W",)}
ITEM_KINDS = ("scored", "qc", "wb")


class ShownItem(Protocol):
    kind: str
    context: str | None


def contexts_shown(mode: str) -> tuple[str, ...]:
    """The contexts whose scored statements a context mode shows (§2.6); ValueError naming
    the modes for an unknown one. The one home of this rule: the engines, the questionnaire
    pages and the statistics ask here."""
    try:
        return MODE_CONTEXTS[mode]
    except KeyError:
        raise ValueError(f"unknown context mode {mode!r}; expected one of {MODES}") from None


def contexts_hidden(mode: str) -> tuple[str, ...]:
    """The contexts whose scored statements `mode` leaves out (§2.6)."""
    shown = contexts_shown(mode)
    return tuple(c for c in CONTEXTS if c not in shown)


def is_shown(item: ShownItem, mode: str) -> bool:
    """Whether a person answering in `mode` sees `item` (an ItemSpec, or anything with `kind`
    and `context`): check and wellbeing items always, scored ones in the mode's contexts."""
    return item.kind != "scored" or item.context in contexts_shown(mode)


@dataclass(frozen=True)
class ItemSpec:
    code: str  # "REG1-W3", "QC1", "WB1"
    kind: str  # "scored" | "qc" | "wb"
    dimension: str | None
    facet: int | None
    context: str | None
    reverse: bool  # stored attribute: never inferred from the code
    page: int
    position: int


@dataclass(frozen=True)
class InstrumentSpec:
    version: str
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True)
class ReliabilityParams:
    """A versioned reliability parameter set (§6): dimension → (SD, r)."""

    id: str
    per_dimension: Mapping[str, tuple[Fraction, Fraction]]
