"""Sample profiles for previewing report copy in the admin (issue 19 lines 3-4).

Each sample is an answer sheet generated from a plan of keyed levels per cell (capacity ×
facet × context), scored by the real scoring engine on the published instrument's spec, so its
numbers, statuses, patterns, focus and quality are exactly what a person with those answers
would get. Together they cover every status, every pattern, every focus key and every quality
level (tests/profiles/test_copy_editor.py holds that), so every copy text a report shows has
a sample that shows it. Nothing here is stored: the samples are built in memory, once per
process and instrument version.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from assessments import queries as instrument_queries
from assessments import scoring
from assessments.scoring.spec import DIMENSIONS, InstrumentSpec

RULES = scoring.get(scoring.CURRENT)
Cell = tuple[str, int, str]  # (dimension, facet, context)
FACETS = (1, 2)
CONTEXTS = ("C", "W")
BASE_LEVEL = 5  # keyed level of every cell a plan does not name: "developing", no pattern
OFFSETS = (0, 1, -1)  # answers vary around a cell's level (no long identical runs)
CHECKS_PASSED = {"QC1": RULES.QC1_ANSWER, "QC2": 1, "QC3": RULES.QC3_ANSWER, "WB1": 2}
PAGE_MS = 90_000  # a calm minute and a half per page
# The date a sample report says it was submitted on (the report prints it).
SAMPLE_DATE = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.get_fixed_timezone(0))
FACET_PATTERNS = {  # pattern: (the facet held high, the facet held low)
    "MEN-STRAIN": ("MEN", 1, 2),
    "REG-TRIGGER": ("REG", 2, 1),
    "TRU-GUARDED": ("TRU", 2, 1),
    "TRU-UNCHECKED": ("TRU", 1, 2),
    "REP-RECEIVE": ("REP", 1, 2),
    "REP-OFFER": ("REP", 2, 1),
    "BON-LONGING": ("BON", 2, 1),
}
CONTEXT_WORDS = {"C": "close relationships", "W": "work"}


@dataclass(frozen=True)
class Plan:
    """How to answer: keyed levels per cell (1-7, None = every statement of the cell
    skipped), the check items' answers, the context mode and the time spent per page."""

    key: str
    label: str
    levels: Mapping[Cell, int | None] = field(default_factory=dict)
    checks: Mapping[str, int] = field(default_factory=dict)
    mode: str = "both"
    page_ms: int = PAGE_MS
    raw: Callable[[int], int | None] | None = None  # raw answer by statement number, in order


@dataclass(frozen=True)
class Sample:
    """A scored sample: its snapshot data exactly as a submission would store it."""

    key: str
    label: str
    data: dict[str, Any]
    mode: str
    submitted_at: datetime = SAMPLE_DATE

    @property
    def summary(self) -> str:
        """Statuses, patterns, focus and quality in a line (admin-facing)."""
        dims = self.data["dimensions"]
        statuses = ", ".join(f"{c} {dims[c]['status']}" for c in DIMENSIONS)
        patterns = ", ".join(p["code"] for p in self.data["patterns"]) or "none"
        primary = self.data["focus"]["primary"]
        focus = primary["target"] if primary else "none"
        level = self.data["quality"]["level"]
        return f"{statuses}; patterns: {patterns}; focus: {focus}; quality: {level}"


def _every(level: int | None, dimension: str | None = None) -> dict[Cell, int | None]:
    dims = [dimension] if dimension else DIMENSIONS
    return {(d, f, c): level for d in dims for f in FACETS for c in CONTEXTS}


def plans() -> tuple[Plan, ...]:
    """Every sample's plan, in the order the admin lists them."""
    found = [
        Plan("developing", "Every capacity developing, no uneven pattern (next step)"),
        Plan("well", "Every capacity well-developed (keep practising)", _every(6)),
        Plan("all-low", "Every capacity less developed so far", _every(3)),
    ]
    for d in DIMENSIONS:
        for low in FACETS:
            other = 3 - low
            levels = {(d, low, c): 2 for c in CONTEXTS} | {(d, other, c): 3 for c in CONTEXTS}
            found.append(Plan(f"{d}{low}-low", f"{d} less developed, facet {low} lowest", levels))
    for d in DIMENSIONS:
        for low in CONTEXTS:
            high = "W" if low == "C" else "C"
            levels = {(d, f, low): 3 for f in FACETS} | {(d, f, high): 6 for f in FACETS}
            label = f"{d} uneven: much lower in {CONTEXT_WORDS[low]}"
            found.append(Plan(f"{d}.{low}-low", label, levels))
    for code, (d, high, low) in FACET_PATTERNS.items():
        levels = {(d, high, c): 6 for c in CONTEXTS} | {(d, low, c): 3 for c in CONTEXTS}
        found.append(Plan(code, f"Pattern {code}", levels))
    found += [
        Plan(
            "work-higher",
            "Every capacity shows more at work",
            {(d, f, c): 6 if c == "W" else 4 for d, f, c in _every(0)},
        ),
        Plan(
            "close-higher",
            "Every capacity shows more in close relationships",
            {(d, f, c): 6 if c == "C" else 4 for d, f, c in _every(0)},
        ),
        Plan("REP-not-scored", "Repair not scored (its statements skipped)", _every(None, "REP")),
        Plan(
            "too-few-scored",
            "Only three capacities scored (no focus)",
            _every(None, "TRU") | _every(None, "REP") | _every(None, "BON"),
        ),
        Plan("caution", "Quality: caution (one check question missed)", checks={"QC1": 4}),
        Plan("low-fast", "Quality: low (answered very quickly)", page_ms=3_000),
        Plan("low-attention", "Quality: low (check questions missed)", checks={"QC1": 4, "QC3": 1}),
        Plan("support-urgent", "Support panel (wellbeing answer 6)", checks={"WB1": 6}),
        Plan("support-gentle", "Support link (wellbeing answer 5)", checks={"WB1": 5}),
        Plan("close-only", "Close relationships only (no work/close split)", mode="close_only"),
        Plan("work-only", "Work only (no work/close split)", mode="work_only"),
        Plan(
            "REG-low-close",
            "Regulation less developed, stronger at work",
            {("REG", f, c): 2 if c == "C" else 5 for f in FACETS for c in CONTEXTS},
        ),
        Plan("same-answers", "Quality: low (the same answer throughout)", raw=lambda n: 6),
        Plan("opposites", "Quality: caution (agreeing with opposites)", raw=lambda n: 5 + n % 3),
        Plan(
            "little-variation",
            "Quality: caution (answers varied very little)",
            raw=lambda n: (4, 4, 5)[n % 3],
        ),
        Plan("one-long-run", "Quality: caution (a long run of one answer)", raw=_one_run),
        Plan(
            "many-skipped",
            "Quality: low (many statements skipped, a check question missed)",
            _every(None, "TRU") | _every(None, "REP") | _every(None, "BON"),
            checks={"QC1": 4},
        ),
    ]
    return tuple(found)


def _one_run(number: int) -> int | None:
    """Thirteen identical answers first, then the base plan (None: answer by the levels)."""
    return 4 if number < 13 else None


def answer_sheet(spec: InstrumentSpec, plan: Plan) -> dict[str, int | None]:
    """Raw answers (1-7 or None) by item code for `plan` on the instrument `spec`."""
    answers: dict[str, int | None] = {}
    scored = 0
    for number, item in enumerate(spec.items):
        if item.kind != "scored":
            answers[item.code] = plan.checks.get(item.code, CHECKS_PASSED.get(item.code, 4))
            continue
        scored += 1
        raw = plan.raw(scored - 1) if plan.raw else None
        if raw is not None:
            answers[item.code] = raw
            continue
        cell = (item.dimension, item.facet, item.context)
        level = plan.levels.get(cell, BASE_LEVEL)
        if level is None:
            answers[item.code] = None
            continue
        keyed = max(1, min(7, level + OFFSETS[(number + cell[1]) % len(OFFSETS)]))
        answers[item.code] = 8 - keyed if item.reverse else keyed
    return answers


def score_plan(spec: InstrumentSpec, plan: Plan) -> Sample:
    pages = {item.page for item in spec.items}
    result = RULES.score(
        spec,
        answer_sheet(spec, plan),
        mode=plan.mode,
        page_ms={page: plan.page_ms for page in pages},
    )
    return Sample(plan.key, plan.label, result.as_dict(), plan.mode)


_cache: dict[int, tuple[Sample, ...]] = {}


def clear_cache() -> None:
    """Forget the scored samples (tests reuse instrument ids across rolled-back data)."""
    _cache.clear()


def samples(instrument_version_id: int | None = None) -> tuple[Sample, ...]:
    """Every sample scored on the instrument (default: the published one). Cached per process
    for a published or retired version, whose statements never change."""
    if instrument_version_id is None:
        instrument_version_id = instrument_queries.published_instrument().pk
    if instrument_version_id in _cache:
        return _cache[instrument_version_id]
    spec = instrument_queries.instrument_spec(instrument_version_id)
    scored = tuple(score_plan(spec, plan) for plan in plans())
    if instrument_queries.is_frozen(instrument_version_id):
        _cache[instrument_version_id] = scored
    return scored


def cached(key: str) -> Sample | None:
    """A sample already scored in this process, by key, without any query (None if none is):
    for a preview renderer that shows a second sample beside the one it is given."""
    for scored in _cache.values():
        found = next((s for s in scored if s.key == key), None)
        if found is not None:
            return found
    return None


def sample(key: str, instrument_version_id: int | None = None) -> Sample | None:
    return next((s for s in samples(instrument_version_id) if s.key == key), None)
