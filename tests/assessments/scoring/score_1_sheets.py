"""Seeded sheets for the differential runs of the two score-1 engines (PEP 399).

`run(seed, count)` scores `count` generated sheets with score_1.reference and score_1.fast and
compares every field of `as_dict()` (and its JSON text, so key order too), then compares the
`compare()` of consecutive snapshots. Sheets cover every mode; random instrument layouts
(cell sizes 1-10, any keying, shuffled positions and pages, missing check items); skips;
answers landing exactly on 50 and 75, on gap 25, ASI ±25 and GASI ±15; QC and WB1 answers;
page times at and around the TOO_FAST floors; and invalid input, which both must refuse.
Used by tests/assessments/scoring/test_score_1_differential.py and tests/perf/bench_diff.py.
"""

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from assessments.scoring.score_1 import fast, reference
from assessments.scoring.spec import (
    CONTEXTS,
    DIMENSIONS,
    FACETS,
    MODE_CONTEXTS,
    MODES,
    InstrumentSpec,
    ItemSpec,
    ReliabilityParams,
)
from tests.assessments.scoring.worked_examples import blueprint_spec

PARAMS = (
    fast.P0,
    ReliabilityParams("EXACT", {d: (Fraction(1250, 49), Fraction(1, 2)) for d in DIMENSIONS}),
    ReliabilityParams("WIDE", {d: (Fraction(5000), Fraction(4, 5)) for d in DIMENSIONS}),
    ReliabilityParams("PERFECT", {d: (Fraction(15), Fraction(1)) for d in DIMENSIONS}),
    ReliabilityParams("ALPHA", {d: (Fraction(25, 2), Fraction(17, 20)) for d in DIMENSIONS}),
)
# Keyed cells of three that put scales exactly on the thresholds: 4s score 50; a cell of 5s
# beside a cell of 6s scores 75; 3-3-3 + 2-2-2 is 25, so gap and ASI land on exactly 25.
BOUNDARY_CELLS = ([4, 4, 4], [5, 5, 5], [6, 6, 6], [3, 3, 3], [2, 2, 2], [7, 7, 7], [1, 1, 1])
INVALID_ANSWERS = (0, 8, -1, 300, True, 4.5, "5", [4])
ANY = (None, 1, 2, 3, 4, 5, 6, 7)


@dataclass
class Tally:
    """What a run covered and where the engines disagreed."""

    sheets: int = 0
    comparisons: int = 0
    refused: int = 0
    mismatches: list[str] = field(default_factory=list)
    seen: Counter = field(default_factory=Counter)


def random_layout(rng: random.Random, version: str) -> InstrumentSpec:
    """Any cell sizes and keying, items spread over pages 1-7 with shuffled positions."""
    wide = rng.random() < 0.15  # cells of up to 10 items: fast.py reads them as slices
    items = []
    for d in DIMENSIONS:
        for f in FACETS:
            for c in CONTEXTS:
                for n in range(1, rng.randint(1, 10 if wide else 5) + 1):
                    reverse = rng.random() < 0.34
                    items.append(ItemSpec(f"{d}{f}-{c}{n}", "scored", d, f, c, reverse, 0, 0))
    checks = [ItemSpec(code, "qc", None, None, None, False, 0, 0) for code in ("QC1", "QC2", "QC3")]
    checks += [ItemSpec("WB1", "wb", None, None, None, False, 0, 0)]
    items += [i for i in checks if rng.random() < 0.9]
    pages = sorted((rng.randint(1, 7), rng.random(), item) for item in items)
    return InstrumentSpec(
        version,
        tuple(
            ItemSpec(**{**vars(item), "page": page, "position": k + 1})
            for k, (page, _, item) in enumerate(pages)
        ),
    )


def layouts(rng: random.Random) -> list[InstrumentSpec]:
    base = blueprint_spec()
    flipped = tuple(
        ItemSpec(**{**vars(i), "reverse": not i.reverse}) if i.kind == "scored" else i
        for i in base.items
    )
    smaller = tuple(i for i in base.items if not i.code.endswith("W2"))
    return [
        base,
        base,
        InstrumentSpec("1.0-flipped", flipped),
        InstrumentSpec("1.0-smaller", smaller),
        *(random_layout(rng, f"random-{k}") for k in range(6)),
    ]


def keyed_answer(keyed: int, item: ItemSpec) -> int:
    return 8 - keyed if item.reverse else keyed


def sheet(rng: random.Random, spec: InstrumentSpec) -> dict:
    """Raw answers by code in one of several styles; some items left out or None."""
    style = rng.randrange(8)
    level = {d: rng.randint(1, 7) for d in DIMENSIONS}
    cells = {
        (d, f, c): rng.choice(BOUNDARY_CELLS) for d in DIMENSIONS for f in FACETS for c in CONTEXTS
    }
    skip = rng.choice([0, 0, 0, 0, 0.03, 0.1, 0.25, 0.6, 1.0])
    answers: dict = {}
    position: Counter = Counter()
    for item in spec.items:
        if item.kind != "scored":
            passing = {"QC1": 2, "QC2": rng.randint(1, 4), "QC3": 5}.get(item.code)
            answers[item.code] = passing if passing and rng.random() < 0.8 else rng.choice(ANY)
            continue
        cell = (item.dimension, item.facet, item.context)
        k, position[cell] = position[cell], position[cell] + 1
        if rng.random() < skip:
            if rng.random() < 0.5:
                answers[item.code] = None
            continue
        if style == 0:
            value = rng.randint(1, 7)
        elif style == 1:
            value = 4
        elif style == 2:
            value = max(1, min(7, level[item.dimension] + rng.randint(-1, 1)))
        elif style == 3:
            value = rng.choice([1, 7])
        elif style in (4, 5):  # exact thresholds, keyed per cell
            value = keyed_answer(cells[cell][k % 3], item)
        elif style == 6:
            value = keyed_answer(rng.choice([6, 7]), item)
        else:
            value = level[item.dimension]
        answers[item.code] = value
    return answers


def gasi_15_sheet(rng: random.Random) -> dict:
    """On the 1.0 blueprint: C n = 5, S = 8 (10.00), W n = 6, S = 15 (25.00), so ASI = +15
    (or −15 flipped) in four to six dimensions: GASI lands on exactly ±15."""
    sign = rng.choice([1, -1])
    low, high = {"1": [None, 2, 2], "2": [1, 1, 2]}, {"1": [3, 3, 3], "2": [2, 2, 2]}
    close, work = (low, high) if sign > 0 else (high, low)
    answers = {}
    for item in blueprint_spec().items:
        if item.kind == "scored" and DIMENSIONS.index(item.dimension) < rng.choice([4, 6]):
            keyed = (close if item.context == "C" else work)[str(item.facet)]
            value = keyed[int(item.code[-1]) - 1]
            answers[item.code] = None if value is None else keyed_answer(value, item)
    return answers


def page_times(rng: random.Random, spec: InstrumentSpec, answers: dict, mode: str) -> dict | None:
    """None, or per page a time at, just under or far from 2 s × its answered items."""
    if rng.random() < 0.15:
        return None
    answered = Counter(
        i.page for i in fast.active_items(spec, mode) if answers.get(i.code) is not None
    )
    generous = rng.random() < 0.5  # then only the total rule can be near its floor
    times = {}
    for page in sorted({i.page for i in spec.items}):
        floor = fast.MS_PER_ANSWER * answered[page]
        near = [floor, floor - 1, floor + 1, 0, 60_000, floor // 2]
        times[page] = max(0, floor + 1 if generous else rng.choice(near))
    if rng.random() < 0.2:
        times.pop(rng.choice(list(times)))
    if rng.random() < 0.1:
        times[99] = rng.randint(0, 50_000)  # a page the spec does not have
    return times


def spoiled(rng: random.Random, spec: InstrumentSpec, answers: dict, pages: dict | None):
    """A copy with one invalid answer to a shown item or one invalid page time."""
    if pages and rng.random() < 0.3:
        return answers, pages | {next(iter(pages)): rng.choice([-1, 1.5, True])}
    code = rng.choice([i.code for i in spec.items if i.kind != "scored"] or ["none"])
    return answers | {code: rng.choice(INVALID_ANSWERS)}, pages


def both_refuse(spec: InstrumentSpec, answers: dict, mode: str, pages: dict | None) -> bool:
    refused = 0
    for engine in (reference, fast):
        try:
            engine.score(spec, answers, mode=mode, page_ms=pages)
        except ValueError:
            refused += 1
    return refused == 2


def note(tally: Tally, snapshot: dict) -> None:
    """Count what a snapshot shows, thresholds landed on exactly included, so that a run can
    prove its breadth."""
    seen, scales = tally.seen, named_scales(snapshot)
    for d in snapshot["dimensions"].values():
        seen[f"band {d['band']}"] += 1
        if d["score"] in ("50.00", "75.00"):
            seen[f"D exactly {d['score']}"] += 1
        if d["asi"] in ("25.00", "-25.00"):
            seen[f"ASI exactly {d['asi']}"] += 1
    if snapshot["gasi"] in ("15.00", "-15.00"):
        seen[f"GASI exactly {snapshot['gasi']}"] += 1
    patterns = {code: (high, low) for code, _, high, low in fast.PATTERNS if "CTX" not in code}
    for hit in snapshot["patterns"]:
        seen[f"pattern {hit['code']}"] += 1
        dimension = hit["dimension"]
        high, low = patterns.get(hit["code"], (f"{dimension}.W", f"{dimension}.C"))
        if hit["code"] == "CTX-WORK":
            high, low = low, high
        gap = reference.stored_score(scales[high]) - reference.stored_score(scales[low])
        if gap == 25:
            seen["gap exactly 25"] += 1
    seen.update(f"flag {flag}" for flag in snapshot["quality"]["flags"])
    focus = snapshot["focus"]
    seen.update(f"focus {f['kind']}" for f in (focus["primary"], focus["secondary"]) if f)
    if focus["reason"]:
        seen[f"focus {focus['reason']}"] += 1
    seen[f"support {snapshot['support']}"] += 1
    seen[f"mode {snapshot['mode']}"] += 1


def named_scales(snapshot: dict) -> dict[str, dict]:
    """Every scale of a snapshot by name: "REG", "REG1", "REG.C"."""
    scales = {}
    for code, d in snapshot["dimensions"].items():
        scales[code] = d
        scales |= {f"{code}{f}": scale for f, scale in d["facets"].items()}
        scales |= {f"{code}.{c}": scale for c, scale in (d["contexts"] or {}).items()}
    return scales


def check_sheet(tally: Tally, spec, answers, mode, pages, label: str) -> dict | None:
    """Both engines' snapshots of one sheet (the reference gets the answers in another
    order); a mismatch is recorded. Returns the fast snapshot."""
    shuffled = list(answers.items())
    random.Random(label).shuffle(shuffled)
    ours = fast.score(spec, answers, mode=mode, page_ms=pages).as_dict()
    theirs = reference.score(spec, dict(shuffled), mode=mode, page_ms=pages).as_dict()
    tally.sheets += 1
    if json.dumps(ours) != json.dumps(theirs):
        keys = [k for k in ours if ours[k] != theirs.get(k)] or ["key order"]
        tally.mismatches.append(f"{label}: snapshot differs in {keys}")
    for scale in named_scales(theirs).values():
        if scale["score"] is not None and not 0 <= float(scale["score"]) <= 100:
            tally.mismatches.append(f"{label}: score out of range {scale}")
    note(tally, theirs)
    return ours


def check_comparison(tally: Tally, rng: random.Random, earlier: dict, later: dict, label: str):
    params = rng.choice(PARAMS)
    changed = {d for d in DIMENSIONS if rng.random() < 0.1}
    days = rng.choice([None, 0, 1, 27, 28, 29, 90])
    results = [
        engine.compare(
            earlier, later, params=params, substantive_dimensions=changed, days_apart=days
        ).as_dict()
        for engine in (reference, fast)
    ]
    tally.comparisons += 1
    if json.dumps(results[0]) != json.dumps(results[1]):
        tally.mismatches.append(f"{label}: compare() differs")
    for change in results[0]["dimensions"].values():
        tally.seen[f"change {change['label']}"] += 1
        if change["label"] == "not_scored" and any(change["facets"].values()):
            tally.seen["facet change beside a dimension not scored in both"] += 1


def run(seed: int, count: int) -> Tally:
    """Score `count` valid sheets with both engines (and compare them pairwise)."""
    rng, tally = random.Random(seed), Tally()
    specs = layouts(rng)
    previous: dict[str, dict] = {}  # the last snapshot per mode
    while tally.sheets < count:
        label = f"seed {seed} sheet {tally.sheets}"
        if rng.random() < 0.05:
            spec, mode, answers = specs[0], "both", gasi_15_sheet(rng)
        else:
            spec, mode = rng.choice(specs), rng.choice(MODES)
            answers = sheet(rng, spec)
        if rng.random() < 0.05:  # answers to items the mode hides, and unknown codes
            shown = MODE_CONTEXTS[mode]
            hidden = [i.code for i in spec.items if i.kind == "scored" and i.context not in shown]
            answers |= {code: 99 for code in hidden[:3]} | {"XYZ": "junk"}
        pages = page_times(rng, spec, answers, mode)
        if rng.random() < 0.02:
            bad_answers, bad_pages = spoiled(rng, spec, answers, pages)
            if both_refuse(spec, bad_answers, mode, bad_pages):
                tally.refused += 1
            else:
                tally.mismatches.append(f"{label}: invalid input not refused by both engines")
            continue
        snapshot = check_sheet(tally, spec, answers, mode, pages, label)
        earlier = previous.get(mode if rng.random() < 0.8 else rng.choice(MODES))
        if earlier is not None and rng.random() < 0.5:
            check_comparison(tally, rng, earlier, snapshot, label)
        previous[mode] = snapshot
        if rng.random() < 0.01:
            specs[rng.randrange(4, len(specs))] = random_layout(rng, f"random-{tally.sheets}")
    return tally
