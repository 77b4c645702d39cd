"""Benchmark of the score-1 engines on one core: `python tests/bench_scoring.py`.

Scores random complete 72-item sheets (plus QC1-3, WB1 and page times) against the 1.0
blueprint built in code, and times snapshot comparisons, with score_1.fast (the engine in
use) and score_1.reference (the spec as written). `run()` returns the table rows.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.scoring import score_1  # noqa: E402
from assessments.scoring.score_1 import fast, reference  # noqa: E402
from tests.assessments.scoring.worked_examples import blueprint_spec  # noqa: E402

SHEETS = 2000
SEED = 20260101


def random_sheets(
    spec: score_1.InstrumentSpec, count: int, rng: random.Random, skipped: float = 0.0
) -> list[dict]:
    """Random answers 1..7; each item is left out with probability `skipped`."""
    codes = [item.code for item in spec.items]
    return [
        {code: rng.randint(1, 7) for code in codes if rng.random() >= skipped} for _ in range(count)
    ]


def time_scoring(spec: score_1.InstrumentSpec, sheets: list[dict], pages: dict) -> list[float]:
    """Per-call latency of the fast engine in microseconds (one timer read per call)."""
    clock, latencies = time.perf_counter_ns, []
    for answers in sheets:
        start = clock()
        fast.score(spec, answers, mode="both", page_ms=pages)
        latencies.append((clock() - start) / 1000)
    return latencies


def profiles_per_second(
    spec: score_1.InstrumentSpec,
    sheets: list[dict],
    pages: dict,
    *,
    snapshot: bool = False,
    engine=fast,
    passes: int = 5,
) -> float:
    """Best of `passes`, in CPU time of this process, so a busy machine skews it less.
    With `snapshot`, each result is also turned into the stored snapshot (`as_dict()`)."""
    score, best = engine.score, float("inf")
    for _ in range(passes):
        start = time.process_time()
        if snapshot:
            for answers in sheets:
                score(spec, answers, mode="both", page_ms=pages).as_dict()
        else:
            for answers in sheets:
                score(spec, answers, mode="both", page_ms=pages)
        best = min(best, time.process_time() - start)
    return len(sheets) / best


def comparisons_per_second(snapshots: list[dict], engine=fast) -> float:
    pairs = list(zip(snapshots[::2], snapshots[1::2], strict=False))
    start = time.perf_counter()
    for earlier, later in pairs:
        engine.compare(earlier, later, days_apart=60)
    return len(pairs) / (time.perf_counter() - start)


def run(count: int = SHEETS) -> list[tuple[str, str]]:
    spec, rng = blueprint_spec(), random.Random(SEED)
    sheets = random_sheets(spec, count, rng)
    pages = {page: 60_000 for page in range(1, 8)}
    fast.score(spec, sheets[0], mode="both", page_ms=pages)  # compile the plan once
    rate = profiles_per_second(spec, sheets, pages)
    latencies = sorted(time_scoring(spec, sheets, pages))
    snapshot_rate = profiles_per_second(spec, sheets, pages, snapshot=True)
    gappy = random_sheets(spec, count, rng, skipped=0.1)
    gappy_rate = profiles_per_second(spec, gappy, pages)
    snapshots = [fast.score(spec, a, mode="both").as_dict() for a in sheets]
    reference_rate = profiles_per_second(spec, sheets, pages, engine=reference, passes=2)
    reference_snapshots = profiles_per_second(
        spec, sheets, pages, snapshot=True, engine=reference, passes=2
    )
    return [
        ("fast engine: profiles scored per second (1 core)", f"{rate:,.0f}"),
        ("fast engine: score() median latency (µs)", f"{statistics.median(latencies):.1f}"),
        ("fast engine: score() p95 latency (µs)", f"{latencies[int(0.95 * len(latencies))]:.1f}"),
        ("fast engine: score() + as_dict() snapshots per second", f"{snapshot_rate:,.0f}"),
        ("fast engine: profiles per second, 10 % of items skipped", f"{gappy_rate:,.0f}"),
        ("fast engine: change comparisons per second", f"{comparisons_per_second(snapshots):,.0f}"),
        ("reference engine: profiles scored per second", f"{reference_rate:,.0f}"),
        ("reference engine: score() + as_dict() per second", f"{reference_snapshots:,.0f}"),
        (
            "reference engine: change comparisons per second",
            f"{comparisons_per_second(snapshots, engine=reference):,.0f}",
        ),
    ]


def main() -> None:
    rows = run()
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
