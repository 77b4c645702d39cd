"""Version-free inputs of every scoring-rules version: the blueprint's vocabulary and the specs.

ASSESSMENT.md §1-§2 (dimensions, facets, contexts, context modes) and the frozen dataclasses
the engines take. Nothing here is a threshold: numbers of the rules live in each version's
`rules.py`. Standard library only.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

DIMENSIONS = ("MEN", "EMP", "REG", "TRU", "REP", "BON")  # §1, display order
FACETS = (1, 2)
CONTEXTS = ("C", "W")  # close relationships, work
MODES = ("both", "close_only", "work_only")  # §2.6 context mode
MODE_CONTEXTS = {"both": ("C", "W"), "close_only": ("C",), "work_only": ("W",)}
ITEM_KINDS = ("scored", "qc", "wb")


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
