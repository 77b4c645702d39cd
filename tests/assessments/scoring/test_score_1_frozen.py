"""score-1 is frozen: any later edit that changes a single number of any snapshot fails here.

Thousands of seeded, varied sheets (three specs, all modes, skips, uniform and patterned
answers, fast and missing page times) are scored and their JSON snapshots hashed together.
The digest was recorded from the engine as first released; an optimisation must keep it, and
the reference engine (score_1/reference.py, written later from the spec) reproduces it too.
Changing a number means a new rules version (score_2/), never a new digest here.
"""

import dataclasses
import hashlib
import json
import random

from assessments.scoring import score_1
from tests.assessments.scoring.worked_examples import blueprint_spec

SHEETS = 3000
SEED = 20261122
DIGEST = "70e5a7fa479b89afaa1576c307e654f87561b9c07af8cc05a1b841bcb3ae6fe2"


def specs() -> list[score_1.InstrumentSpec]:
    """The blueprint; a reshuffled one with some keys flipped; one with smaller scales."""
    base, rng = blueprint_spec(), random.Random(SEED)
    by_page: dict[int, list[score_1.ItemSpec]] = {}
    for item in base.items:
        by_page.setdefault(item.page, []).append(item)
    shuffled = []
    for page in sorted(by_page):
        group = by_page[page][:]
        rng.shuffle(group)
        for item in group:
            flip = item.kind == "scored" and rng.random() < 0.2
            shuffled.append(
                dataclasses.replace(item, position=len(shuffled) + 1, reverse=item.reverse != flip)
            )
    smaller = tuple(i for i in base.items if not i.code.endswith("W2"))
    return [
        base,
        score_1.InstrumentSpec("1.1", tuple(shuffled)),
        score_1.InstrumentSpec("1.2", smaller),
    ]


def sheet(rng: random.Random, items: tuple[score_1.ItemSpec, ...]) -> dict[str, int | None]:
    style = rng.randrange(7)
    level = {d: rng.randint(1, 7) for d in score_1.DIMENSIONS}
    skip = rng.choice([0, 0, 0, 0.05, 0.2, 0.5, 0.9])
    answers: dict[str, int | None] = {}
    for item in items:
        code = item.code
        if rng.random() < skip:
            if rng.random() < 0.5:
                answers[code] = None
            continue
        answers[code] = answer(rng, style, level.get(code[:3], 4), item.reverse)
    return answers


def answer(rng: random.Random, style: int, own: int, reverse: bool) -> int:
    if style == 0:
        return rng.randint(1, 7)
    if style == 1:
        return 4
    if style == 2:
        return max(1, min(7, own + rng.randint(-1, 1)))
    if style == 3:
        return rng.choice([1, 7])
    if style == 4:
        return own if rng.random() < 0.8 else rng.randint(1, 7)
    if style == 5:
        return rng.choice([3, 4, 5])
    return rng.choice([1, 2]) if reverse else rng.choice([6, 7])  # keyed high


def page_times(rng: random.Random) -> dict[int, int] | None:
    roll = rng.random()
    if roll < 0.2:
        return None
    times = {p: rng.choice([0, 500, 5000, 20000, 24000, 30000, 60000]) for p in range(1, 8)}
    if roll < 0.4:
        times.pop(rng.randint(1, 7))
    return times


def snapshots_digest(engine) -> str:
    rng, digest = random.Random(SEED), hashlib.sha256()
    every_spec = specs()
    for _ in range(SHEETS):
        spec = rng.choice(every_spec)
        mode = rng.choice(score_1.MODES)
        answers = sheet(rng, spec.items)
        result = engine.score(spec, answers, mode=mode, page_ms=page_times(rng))
        digest.update(json.dumps(result.as_dict()).encode())
    return digest.hexdigest()


def test_the_sample_reaches_every_pattern_flag_and_focus_kind():
    """The digest only guards what the sample exercises, so check it is broad."""
    rng, every_spec = random.Random(SEED), specs()
    patterns, flags, kinds, support = set(), set(), set(), set()
    for _ in range(SHEETS):
        spec = rng.choice(every_spec)
        mode = rng.choice(score_1.MODES)
        answers = sheet(rng, spec.items)
        snapshot = score_1.score(spec, answers, mode=mode, page_ms=page_times(rng)).as_dict()
        patterns |= {hit["code"] for hit in snapshot["patterns"]}
        flags |= set(snapshot["quality"]["flags"])
        focus = snapshot["focus"]
        kinds |= {f["kind"] for f in (focus["primary"], focus["secondary"]) if f}
        kinds |= {focus["reason"]} - {None}
        support.add(snapshot["support"])

    assert patterns == {code for code, *_ in score_1.PATTERNS}
    assert flags == {"ATTENTION", "TOO_FAST", *score_1.QUALITY_MISC_FLAGS}
    assert kinds == {"pattern", "underdeveloped", "next_step", "maintain", "too_few_scored"}
    assert support == {"none", "gentle", "urgent"}


def test_score_1_snapshots_are_unchanged(engine):
    assert snapshots_digest(engine) == DIGEST
