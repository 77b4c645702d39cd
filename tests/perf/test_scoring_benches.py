"""The scoring benchmarks still run and report every figure (no timing is asserted here)."""

import random
import re

from assessments.scoring import score_1
from tests import bench_scoring
from tests.assessments.scoring.worked_examples import blueprint_spec
from tests.perf import count_scoring


def test_bench_scoring_reports_every_row_as_a_positive_number():
    rows = bench_scoring.run(count=20)

    assert [label for label, _ in rows] == [
        "fast engine: profiles scored per second (1 core)",
        "fast engine: score() median latency (µs)",
        "fast engine: score() p95 latency (µs)",
        "fast engine: score() + as_dict() snapshots per second",
        "fast engine: profiles per second, 10 % of items skipped",
        "fast engine: change comparisons per second",
        "reference engine: profiles scored per second",
        "reference engine: score() + as_dict() per second",
        "reference engine: change comparisons per second",
    ]
    for label, value in rows:
        assert re.fullmatch(r"[\d,]+(\.\d)?", value), (label, value)
        assert float(value.replace(",", "")) > 0, label


def test_random_sheets_skip_about_the_share_asked_for():
    spec = blueprint_spec()
    sheets = bench_scoring.random_sheets(spec, 200, random.Random(1), skipped=0.1)
    answered = sum(map(len, sheets)) / (200 * len(spec.items))

    assert 0.87 < answered < 0.93
    assert all(1 <= a <= 7 for sheet in sheets for a in sheet.values())


def test_count_scoring_worker_scores_the_sheets_it_is_asked_to(monkeypatch):
    calls = []
    original = score_1.score

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(score_1, "score", counting)
    count_scoring.worker(7, "snapshot")

    assert len(calls) == count_scoring.COUNT + 7  # the warm-up pass, then the counted calls
