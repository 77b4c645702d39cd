"""The worked examples of ASSESSMENT.md §3.9 as data, plus the 1.0 blueprint spec in code."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assessments.scoring.score_1 import DIMENSIONS, InstrumentSpec, ItemSpec

# Canonical order within a dimension (§2.2): (facet, context, item number).
CANONICAL = tuple((f, c, i) for f in (1, 2) for c in ("C", "W") for i in (1, 2, 3))
FACET_ORDER = tuple((d, f) for f in (1, 2) for d in DIMENSIONS)  # no two dims adjacent
QC_PAGES = {2: "QC1", 4: "QC2", 6: "QC3"}


def canonical_codes(dimension: str) -> tuple[str, ...]:
    return tuple(f"{dimension}{f}-{c}{i}" for f, c, i in CANONICAL)


def blueprint_spec(version: str = "1.0") -> InstrumentSpec:
    """6 pages x 12 facets by a simple rotation, QC1-3 mid-page on pages 2/4/6, WB1 on page 7."""
    items: list[ItemSpec] = []
    for page in range(1, 7):
        for slot, (dimension, facet) in enumerate(FACET_ORDER):
            if slot == 6 and page in QC_PAGES:
                items.append(_check(QC_PAGES[page], "qc", page, len(items) + 1))
            _, context, number = CANONICAL[(page - 1 + slot) % 6]
            code = f"{dimension}{facet}-{context}{number}"
            item = ItemSpec(
                code, "scored", dimension, facet, context, number == 3, page, len(items) + 1
            )
            items.append(item)
    items.append(_check("WB1", "wb", 7, len(items) + 1))
    return InstrumentSpec(version=version, items=tuple(items))


def _check(code: str, kind: str, page: int, position: int) -> ItemSpec:
    return ItemSpec(code, kind, None, None, None, False, page, position)


def sheet(**raw_by_dimension: str) -> dict[str, int | None]:
    """Answers from canonical-order strings like "3 2 6 4 3 5 6 5 3 6 6 2" ('-' = skipped)."""
    answers: dict[str, int | None] = {}
    for dimension, raw in raw_by_dimension.items():
        values = [None if v == "-" else int(v) for v in raw.split()]
        answers.update(zip(canonical_codes(dimension), values, strict=True))
    return answers


def scale(n: int, s: int, score: str | None, display: int | None, items: int = 6) -> dict:
    needed = {12: 9, 6: 5, 3: 3}[items]
    return {"n": n, "s": s, "items": items, "needed": needed, "score": score, "display": display}


@dataclass(frozen=True)
class WorkedExample:
    name: str
    answers: Mapping[str, int | None]
    dimensions: Mapping[str, Mapping[str, Any]]  # expected sub-dicts of as_dict()["dimensions"]
    top: Mapping[str, Any] = field(default_factory=dict)  # expected top-level keys
    mode: str = "both"


def dim(d, f1, f2, c, w, *, band, status, asi=None, asi_display=None, notable=False, patterns=()):
    return d | {
        "band": band,
        "status": status,
        "facets": {"1": f1, "2": f2},
        "contexts": {"C": c, "W": w},
        "asi": asi,
        "asi_display": asi_display,
        "asi_notable": notable,
        "patterns": list(patterns),
    }


EXAMPLE_1 = WorkedExample(
    name="example_1_reg_trigger",
    answers=sheet(REG="3 2 6 4 3 5 6 5 3 6 6 2"),
    dimensions={
        "REG": dim(
            scale(12, 51, "54.17", 54, items=12),
            scale(6, 17, "30.56", 31),
            scale(6, 34, "77.78", 78),
            scale(6, 23, "47.22", 47),
            scale(6, 28, "61.11", 61),
            band="developing",
            status="miscalibrated",
            asi="13.89",
            asi_display=14,
            patterns=["REG-TRIGGER"],
        ),
    },
    top={
        "patterns": [{"code": "REG-TRIGGER", "dimension": "REG", "v": "30.56", "target": "REG1"}],
        "gasi": None,
        "focus": {"primary": None, "secondary": None, "reason": "too_few_scored"},
    },
)

EXAMPLE_2 = WorkedExample(
    name="example_2_proration_and_not_scored",
    answers=sheet(TRU="5 - 2 5 6 3 - 6 3 6 5 2", REP="5 - 3 - 6 2 4 - 4 5 - 3"),
    dimensions={
        "TRU": dim(
            scale(10, 55, "75.00", 75, items=12),
            scale(5, 27, "73.33", 73),
            scale(5, 28, "76.67", 77),
            scale(4, 22, None, None),
            scale(6, 33, "75.00", 75),
            band="well_developed",
            status="well_developed",
        ),
        "REP": dim(
            scale(8, 40, None, None, items=12),
            scale(4, 22, None, None),
            scale(4, 18, None, None),
            scale(4, 18, None, None),
            scale(4, 22, None, None),
            band="not_scored",
            status="not_scored",
        ),
    },
    top={"patterns": [], "gasi": None},
)

_EXAMPLE_3_RAW = {
    "MEN": "6 5 3 6 6 2 4 4 4 6 5 2",
    "EMP": "3 3 5 4 4 4 3 2 6 3 3 5",
    "REG": "5 5 3 6 6 2 5 6 3 7 6 1",
    "TRU": "4 3 5 5 5 3 5 5 4 6 6 2",
    "REP": "4 4 4 6 6 2 3 4 5 6 5 2",
    "BON": "3 3 5 5 5 3 3 4 5 4 5 4",
}


def _full(s, d, f1, f2, c, w, **kwargs):
    """Example 3 row: (S, text) pairs per scale; all items answered."""
    return dim(
        scale(12, s, d[0], d[1], items=12),
        scale(6, f1[0], f1[1], f1[2]),
        scale(6, f2[0], f2[1], f2[2]),
        scale(6, c[0], c[1], c[2]),
        scale(6, w[0], w[1], w[2]),
        **kwargs,
    )


EXAMPLE_3 = WorkedExample(
    name="example_3_full_profile",
    answers=sheet(**_EXAMPLE_3_RAW),
    dimensions={
        "MEN": _full(
            63,
            ("70.83", 71),
            (34, "77.78", 78),
            (29, "63.89", 64),
            (28, "61.11", 61),
            (35, "80.56", 81),
            band="developing",
            status="developing",
            asi="19.44",
            asi_display=19,
        ),
        "EMP": _full(
            37,
            ("34.72", 35),
            (21, "41.67", 42),
            (16, "27.78", 28),
            (16, "27.78", 28),
            (21, "41.67", 42),
            band="underdeveloped",
            status="miscalibrated",
            asi="13.89",
            asi_display=14,
            patterns=["EMP-COLD"],
        ),
        "REG": _full(
            69,
            ("79.17", 79),
            (33, "75.00", 75),
            (36, "83.33", 83),
            (31, "69.44", 69),
            (38, "88.89", 89),
            band="well_developed",
            status="well_developed",
            asi="19.44",
            asi_display=19,
        ),
        "TRU": _full(
            57,
            ("62.50", 63),
            (25, "52.78", 53),
            (32, "72.22", 72),
            (24, "50.00", 50),
            (33, "75.00", 75),
            band="developing",
            status="developing",
            asi="25.00",
            asi_display=25,
            notable=True,
        ),
        "REP": _full(
            57,
            ("62.50", 63),
            (30, "66.67", 67),
            (27, "58.33", 58),
            (22, "44.44", 44),
            (35, "80.56", 81),
            band="developing",
            status="miscalibrated",
            asi="36.11",
            asi_display=36,
            notable=True,
            patterns=["CTX-CLOSE"],
        ),
        "BON": _full(
            47,
            ("48.61", 49),
            (24, "50.00", 50),
            (23, "47.22", 47),
            (19, "36.11", 36),
            (28, "61.11", 61),
            band="underdeveloped",
            status="miscalibrated",
            asi="25.00",
            asi_display=25,
            notable=True,
            patterns=["CTX-CLOSE", "BON-CONTAINED"],
        ),
    },  # fmt: skip
    top={
        "gasi": "23.15",
        "gasi_display": 23,
        "gasi_notable": True,
        "gasi_direction": "work",
        "patterns": [
            {"code": "CTX-CLOSE", "dimension": "REP", "v": "44.44", "target": "REP.C"},
            {"code": "CTX-CLOSE", "dimension": "BON", "v": "36.11", "target": "BON.C"},
            {"code": "EMP-COLD", "dimension": "EMP", "v": "34.72", "target": "EMP2"},
            {"code": "BON-CONTAINED", "dimension": "BON", "v": "48.61", "target": "BON2"},
        ],
        "focus": {
            "primary": {
                "kind": "pattern",
                "code": "EMP-COLD",
                "dimension": "EMP",
                "target": "EMP2",
                "target_dimension": "EMP",
                "v": "34.72",
            },
            "secondary": {
                "kind": "pattern",
                "code": "CTX-CLOSE",
                "dimension": "BON",
                "target": "BON.C",
                "target_dimension": "BON",
                "v": "36.11",
            },
            "reason": None,
        },  # fmt: skip
        "underdeveloped_count": 2,
        "company_note": False,
        "support": "none",
    },
)

WORKED_EXAMPLES = (EXAMPLE_1, EXAMPLE_2, EXAMPLE_3)
SPEC = blueprint_spec()


REVERSE_SLOTS = frozenset(k for k, (_, _, i) in enumerate(CANONICAL) if i == 3)


def keyed_sheet(**keyed_by_dimension: list[int | None]) -> dict[str, int | None]:
    """Answers from keyed values in canonical order (reverse slots are turned back to raw)."""
    answers: dict[str, int | None] = {}
    for dimension, keyed in keyed_by_dimension.items():
        for k, (code, value) in enumerate(zip(canonical_codes(dimension), keyed, strict=True)):
            answers[code] = value if value is None or k not in REVERSE_SLOTS else 8 - value
    return answers


def uniform(value: int | None) -> list[int | None]:
    return [value] * 12


def cells_keyed(f1c: list, f1w: list, f2c: list, f2w: list) -> list[int | None]:
    """Keyed values cell by cell (3 each) in canonical order."""
    return [*f1c, *f1w, *f2c, *f2w]
