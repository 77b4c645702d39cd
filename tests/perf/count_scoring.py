"""Instructions per score-1 call of each engine, counted by valgrind: `make bench-count`.

Wall-clock rates on a shared virtual machine move with the host; callgrind's instruction count
does not (same Python, inputs and hash seed give the same total). Each figure is the
difference between a run that scores COUNT sheets and one that scores none, divided by
COUNT, so start-up and the warm-up pass cancel out.

    python tests/perf/count_scoring.py            # needs valgrind on PATH
    python tests/perf/count_scoring.py --worker N score|snapshot [fast|reference]  # under valgrind
"""

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COUNT = 300
SEED = 20260101


def worker(count: int, what: str, engine: str = "fast") -> None:
    sys.path.insert(0, str(ROOT))
    from assessments.scoring import score_1
    from tests.assessments.scoring.worked_examples import blueprint_spec

    rules = score_1 if engine == "fast" else getattr(score_1, engine)  # the package is fast

    spec, rng = blueprint_spec(), random.Random(SEED)
    codes = [item.code for item in spec.items]
    sheets = [{code: rng.randint(1, 7) for code in codes} for _ in range(COUNT)]
    pages = {page: 60_000 for page in range(1, 8)}
    for answers in sheets:  # warm the plan and the memos, as in a running server
        rules.score(spec, answers, mode="both", page_ms=pages).as_dict()
    for answers in sheets[:count]:
        result = rules.score(spec, answers, mode="both", page_ms=pages)
        if what == "snapshot":
            result.as_dict()


def instructions(count: int, what: str, engine: str) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--worker", str(count), what, engine,
    ]  # fmt: skip
    env = os.environ | {"PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {done.stderr[-300:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--worker":
        worker(int(sys.argv[2]), *sys.argv[3:])
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    rows = []
    for engine in ("fast", "reference"):
        for label, what in (("score()", "score"), ("score() + as_dict()", "snapshot")):
            counted = instructions(COUNT, what, engine) - instructions(0, what, engine)
            rows.append(
                (f"{engine}: instructions per {label} (callgrind)", f"{counted // COUNT:,}")
            )
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>10}")


if __name__ == "__main__":
    main()
