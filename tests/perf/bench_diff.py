"""`make bench-diff`: the score-1 reference and fast engines agree on a million sheets.

    python tests/perf/bench_diff.py [--sheets 1000000] [--workers 2] [--chunk 20000]

The sheets, and what is compared, are those of the differential test
(tests/assessments/scoring/score_1_sheets.py): every field and the key order of each snapshot, and
`compare()` between snapshots. Chunks with their own seeds run in parallel worker processes.
Prints the counts and every mismatch; exits 1 on any mismatch.
"""

import argparse
import os
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SEED = 15_000_000  # chunk k uses SEED + k, so a reported mismatch can be replayed alone


def chunk(task: tuple[int, int]) -> tuple[int, int, int, list[str], Counter]:
    from tests.assessments.scoring import score_1_sheets

    seed, count = task
    tally = score_1_sheets.run(seed, count)
    return tally.sheets, tally.comparisons, tally.refused, tally.mismatches, tally.seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--chunk", type=int, default=20_000)
    options = parser.parse_args()
    sizes = [options.chunk] * (options.sheets // options.chunk)
    sizes += [options.sheets % options.chunk] if options.sheets % options.chunk else []
    tasks = [(SEED + k, size) for k, size in enumerate(sizes)]
    started = time.perf_counter()
    sheets = comparisons = refused = 0
    mismatches: list[str] = []
    seen: Counter = Counter()
    with Pool(options.workers) as pool:
        for done in pool.imap_unordered(chunk, tasks):
            sheets, comparisons, refused = (
                sheets + done[0],
                comparisons + done[1],
                refused + done[2],
            )
            mismatches += done[3]
            seen += done[4]
            print(f"  {sheets:,} sheets …", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    landmarks = ("D exactly 50.00", "D exactly 75.00", "gap exactly 25", "ASI exactly 25.00")
    landmarks += ("ASI exactly -25.00", "GASI exactly 15.00", "GASI exactly -15.00")
    rate = f"{elapsed:.0f} s, {options.workers} workers, {sheets / elapsed:,.0f} sheets/s"
    print(
        f"score-1 reference vs fast: {sheets:,} sheets, {comparisons:,} comparisons, "
        f"{refused:,} invalid inputs refused by both, {len(mismatches)} mismatches ({rate})"
    )
    print("exact thresholds met: " + ", ".join(f"{k} ×{seen[k]:,}" for k in landmarks))
    for line in mismatches[:50]:
        print("MISMATCH", line)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
