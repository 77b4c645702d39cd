"""The report's chart, written out in Python, prints the bytes its template printed.

tests/profiles/templates/reference_report_chart.html is the template the report used until
the chart moved to profiles/chart_svg.py; it stays here as the readable reference. Both are
rendered for charts of every shape: each status, scores at 0, 1, 50, 75, 100 and missing,
hatched or not, texts that need escaping, and copies that lack a chart word.
"""

import random
from pathlib import Path

import pytest
from django.template import engines

from assessments.queries import copy_texts
from profiles.chart_svg import bar_chart_svg
from profiles.charts import bar_chart

REFERENCE = Path(__file__).parent / "templates" / "reference_report_chart.html"
STATUSES = ("well_developed", "developing", "miscalibrated", "underdeveloped", "not_scored")
SCORES = (None, 0, 1, 2, 49, 50, 74, 75, 99, 100)
AWKWARD = ('Trust & "repair"', "<b>Bonding</b>", "l'écoute", "Regulation")


def reference(chart, words) -> str:
    template = engines["django"].from_string(REFERENCE.read_text(encoding="utf-8"))
    return template.render({"chart": chart, "words": words})


def random_rows(rng: random.Random) -> list:
    rows = []
    for index in range(rng.choice((1, 5, 6))):
        status = rng.choice(STATUSES)
        score = None if status == "not_scored" else rng.choice(SCORES)
        label = rng.choice(AWKWARD) if rng.random() < 0.3 else f"Capacity {index}"
        rows.append((label, score, status, rng.choice(("Uneven", "Well developed", "a<b"))))
    return rows


def chart_words(version: str) -> dict:
    """The chart words a report of `version` renders with (copy-1 reads its in-code wording)."""
    return dict(copy_texts(version)["chart"])


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["copy-1", "copy-2", "copy-3"])
def test_the_chart_prints_the_bytes_of_its_reference_template(version):
    rng = random.Random(version)
    words = chart_words(version)
    for _ in range(200):
        chart = bar_chart(random_rows(rng))
        assert bar_chart_svg(chart, words) == reference(chart, words)


def test_texts_are_escaped_and_a_missing_word_prints_nothing_as_before():
    rng = random.Random(7)
    words = {"title": 'A "chart" & <more>', "legend_hatch": "Hatched: {status} & more"}
    for _ in range(100):
        chart = bar_chart(random_rows(rng))
        printed = bar_chart_svg(chart, words)
        assert printed == reference(chart, words)
        assert "<more>" not in printed and "&lt;more&gt;" in printed
