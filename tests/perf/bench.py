"""`make bench`: one table of page, scoring and statistics benchmarks, with the machine.

    python tests/perf/bench.py [--repeat 50] [--skip-statistics]

Pages come from tests/perf/bench_pages.py (in-process, throwaway database; PostgreSQL when
DATABASE_URL is set). Scoring and statistics rows come from tests/bench_scoring.py and
tests/bench_statistics.py when those modules exist; a missing one is named in the table.
The statistics benchmark runs in a child process, because it sets up its own Django.
"""

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ORIGINAL_ENVIRONMENT = dict(os.environ)  # before bench_pages makes the settings production-like
STATISTICS_TIMEOUT_S = 900
HEADER = ("measurement", "items", "SQL", "median (or value)", "p95", "× floor", "target")
# "× floor" divides a row's median by the median of the floor requests interleaved with its
# own (one before each), so a machine that gets busier during the run moves both alike.
# Issue 20, line 9: medians as multiples of the floor, for instrument 1.0 (72 items).
TARGETS = (
    ("questionnaire page GET", 4.0),
    ("first save of a page POST", 4.0),
    ("report GET", 4.0),
    ("whole completion", 100.0),
)


def target_of(operation: str, items: int | None) -> float | None:
    if items != 72:
        return None
    return next((limit for prefix, limit in TARGETS if operation.startswith(prefix)), None)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


# Most SQL queries one request may make, whatever the size (issue 19 line 7: saving one
# statement, and one text of the report copy, ≤ 10 queries at any size of the instrument or copy).
SQL_LIMITS = (
    ("admin save one statement POST", 10),
    ("admin save one copy text POST", 10),
)


def constant_prefixes() -> tuple[str, ...]:
    """Rows whose SQL count must be one number at every size: the moments view at 10 and 5,000
    entries (issue 18 line 10), the clients list and a brief at 1, 50 and 500 clients (issue 17
    line 9), the admin's statement list at 72, 144 and 288 items (issue 19 line 7)."""
    from tests.perf import bench_pages

    return (
        bench_pages.MOMENTS_VIEW,
        bench_pages.CLIENTS_VIEW,
        bench_pages.BRIEF_AMONG,
        bench_pages.ADMIN_STATEMENT_LIST,
    )


def sql_limit_of(operation: str) -> int | None:
    return next((limit for prefix, limit in SQL_LIMITS if operation.startswith(prefix)), None)


def judge(rows: list, floor_ms: float, constant: tuple[str, ...]) -> tuple[list, list[str]]:
    """The page table's rows for bench_pages rows, and a line for each target missed: time
    ratios to the floor (issue 20 line 9), SQL limits and SQL counts constant across sizes."""
    table, missed = [], []
    counts = {
        prefix: {r.queries for r in rows if r.operation.startswith(prefix)} for prefix in constant
    }
    for prefix, found in counts.items():
        if len(found) > 1:
            missed.append(f"{prefix}: SQL counts {sorted(found)}, not one")
    for row in rows:
        ratio = row.median_ms / (row.floor_ms or floor_ms)
        limit = target_of(row.operation, row.items)
        verdicts = []
        if limit is not None:
            verdicts.append(f"≤ ×{limit:g} {'met' if ratio <= limit else 'MISSED'}")
            if ratio > limit:
                missed.append(f"{row.operation}: ×{ratio:.1f} the floor, target ≤ ×{limit:g}")
        prefix = next((p for p in constant if row.operation.startswith(p)), None)
        if prefix is not None:
            verdicts.append(f"SQL constant {'met' if len(counts[prefix]) == 1 else 'MISSED'}")
        sql_limit = sql_limit_of(row.operation)
        if sql_limit is not None:
            verdicts.append(f"SQL ≤ {sql_limit} {'met' if row.queries <= sql_limit else 'MISSED'}")
            if row.queries > sql_limit:
                size = f" ({row.items} items)" if row.items else ""
                missed.append(
                    f"{row.operation}{size}: {row.queries} SQL queries, target ≤ {sql_limit}"
                )
        table.append(
            (
                row.operation,
                str(row.items) if row.items else "—",
                str(row.queries),
                f"{row.median_ms:.2f} ms",
                f"{row.p95_ms:.2f} ms",
                f"×{ratio:.1f}",
                "; ".join(verdicts),
            )
        )
    return table, missed


def page_rows(repeat: int) -> tuple[str, list[tuple[str, ...]], list[str]]:
    """The page table's rows, and a line for each target missed."""
    from tests.perf import bench_pages

    label, rows = bench_pages.run(repeat)
    table, missed = judge(rows, rows[0].median_ms, constant_prefixes())
    return label, table, missed


def external_rows(module: str, label: str) -> list[tuple[str, ...]]:
    """Rows of tests/<module>.py's run(): scoring in-process, statistics in a child process."""
    if importlib.util.find_spec(f"tests.{module}") is None:
        return [(f"{label}: tests/{module}.py missing, not run", "", "", "—", "", "", "")]
    try:
        if module == "bench_statistics":
            rows = statistics_rows()
        else:
            rows = importlib.import_module(f"tests.{module}").run()
    except Exception as error:  # a broken helper benchmark must not hide the page table
        return [(f"{label}: tests/{module}.py failed ({error})"[:120], "", "", "—", "", "", "")]
    return [(name, "72", "", value, "", "", "") for name, value in rows]  # both use 1.0


def statistics_rows() -> list[tuple[str, str]]:
    code = "import json, tests.bench_statistics as b; print('ROWS=' + json.dumps(b.run()))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=ORIGINAL_ENVIRONMENT,
        capture_output=True,
        text=True,
        timeout=STATISTICS_TIMEOUT_S,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("ROWS=")]
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"exit {done.returncode}: {last}")
    return [tuple(row) for row in json.loads(lines[-1][5:])]


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[c]) for row in [HEADER, *rows]) for c in range(len(HEADER))]
    align = ["<", ">", ">", ">", ">", ">", "<"]

    def line(row: tuple[str, ...]) -> str:
        cells = (f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths, strict=True))
        return "| " + " | ".join(cells) + " |"

    print(line(HEADER))
    print(
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if a == ">" else "-" * (w + 2)
            for a, w in zip(align, widths, strict=True)
        )
        + "|"
    )
    for row in rows:
        print(line(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per page row")
    parser.add_argument("--skip-statistics", action="store_true", help="leave out 10,000 profiles")
    parser.add_argument("--skip-scoring", action="store_true", help="leave out the scoring rows")
    options = parser.parse_args()
    started, load_before = time.perf_counter(), load_average()
    database, rows, missed = page_rows(max(5, min(options.repeat, 1000)))
    if options.skip_scoring:
        rows.append(("scoring: skipped (--skip-scoring)", "", "", "—", "", "", ""))
    else:
        rows += external_rows("bench_scoring", "scoring")
    if options.skip_statistics:
        rows.append(("item statistics: skipped (--skip-statistics)", "", "", "—", "", "", ""))
    else:
        rows += external_rows("bench_statistics", "item statistics")
    import django

    print(
        f"relcap bench: {os.cpu_count()} × {cpu_model()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {database}"
    )
    print(
        f"load average {load_before} before, {load_average()} after; "
        f"{time.perf_counter() - started:.0f} s; DEBUG off; test client in-process\n"
    )
    print_table(rows)
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))
        sys.exit(1)
    print("\nevery target met")


if __name__ == "__main__":
    main()
