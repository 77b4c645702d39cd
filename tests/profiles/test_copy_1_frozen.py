"""Reports and comparisons pinned to report copy copy-1 render exactly as released.

The files in tests/profiles/golden/copy_1/ were rendered before the report's own wording
(headings, intact lines, comparison sentences…) moved from code and templates into the report
copy (copy-2). Every later change to the report code must leave a copy-1 report, its PDF page
and a comparison worded by copy-1 byte-identical to them; a change of wording is a new copy
version. To record a new case, run once with RELCAP_WRITE_GOLDEN=1 *before* changing the code.
"""

import os
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from assessments.models import ReportCopyVersion
from assessments.queries import copy_texts
from profiles import queries
from profiles import services as profile_services
from profiles.comparison import build_comparison
from profiles.models import ResultSnapshot
from profiles.report import build_report
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted, uniform

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parent / "golden" / "copy_1"
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
REG_75 = "6 5 3 6 5 2 6 5 3 6 5 2"
REG_54 = "3 2 6 4 3 5 6 5 3 6 6 2"

REPORTS = {
    "example_3": lambda: raw_answers(EXAMPLE_3),
    "not_scored": lambda: raw_answers(
        dict(uniform(5), EMP="- - - - - - - - - - 4 4", MEN="- - - - - - - - - 4 4 4")
    ),
    "too_few_scored": lambda: raw_answers({d: "- - - - - - - - - - - 4" for d in EXAMPLE_3}),
    "urgent": lambda: raw_answers(EXAMPLE_3, WB1=7),
    "gentle": lambda: raw_answers(EXAMPLE_3, WB1=5),
    "low_quality": lambda: raw_answers(uniform(4), QC1=6, QC2=6, QC3=1),
    "caution": lambda: raw_answers(EXAMPLE_3, QC1=6),
    "company": lambda: raw_answers(uniform(2)),
    # Repair less developed, both facets below 50, close relationships above: the context line.
    "intact_context": lambda: raw_answers(dict(EXAMPLE_3, REP="6 6 2 1 1 7 6 6 2 1 1 7")),
    "uneven_contexts": lambda: raw_answers(
        dict(EXAMPLE_3, REP="2 2 2 2 2 2 6 6 6 6 6 6", TRU="6 6 6 2 2 2 6 6 6 2 2 2")
    ),
}
COMPARISONS = {
    "increase": ({"REG": REG_54}, {"REG": REG_75}, 60, {}),
    "decrease": ({"REG": REG_75}, {"REG": REG_54}, 10, {}),
    "mode_differs": ({}, {"REG": REG_75}, 90, {"mode": "close_only"}),
    "not_scored": ({"EMP": "- - - - - - - - - - 4 4"}, {}, 40, {}),
    "patterns": ({"REP": "2 2 2 2 2 2 6 6 6 6 6 6"}, {"BON": REG_75}, 70, {}),
}


def pinned(profile, *, n: int):
    """The profile with a fixed id and date, so its page is the same in every run."""
    profile.public_id = uuid.UUID(int=n)
    profile.submitted_at = WHEN + timedelta(days=n)
    return profile


def render_report(name: str, person, *, n: int = 1, reason: str = "submission") -> str:
    profile = pinned(submitted(REPORTS[name](), user=person), n=n)
    snapshot = queries.latest_snapshot(profile)
    snapshot.created_at = WHEN + timedelta(days=400)
    context = {
        "profile": profile,
        "snapshot": snapshot,
        "report": build_report(snapshot.data, copy_texts("copy-1"), locale="en", reason=reason),
        "support_url": "/support/",
    }
    body = render_to_string("partials/_report_body.html", context)
    pdf = render_to_string("profiles/report_pdf.html", context)
    return f"{body}\n==== PDF page ====\n{pdf}"


def render_comparison(name: str, person) -> str:
    earlier_rows, later_rows, days, options = COMPARISONS[name]
    earlier = submitted(raw_answers(dict(EXAMPLE_3, **earlier_rows)), user=person, when=WHEN)
    later = submitted(
        raw_answers(dict(EXAMPLE_3, **later_rows)),
        user=person,
        when=WHEN + timedelta(days=days),
        **options,
    )
    substantive = set()
    view = build_comparison(
        pinned(earlier, n=1),
        pinned(later, n=1 + days),
        queries.latest_snapshot(earlier),
        queries.latest_snapshot(later),
        substantive=substantive,
        copy=copy_texts("copy-1"),
    )
    request = RequestFactory().get("/compare/")
    request.user = person
    html = render_to_string("profiles/compare.html", {"comparison": view}, request=request)
    main = re.search(r'<main id="main"[^>]*>(.*)</main>', html, re.S)
    assert main
    return main.group(1)


def check(name: str, rendered: str) -> None:
    path = GOLDEN / f"{name}.html"
    if os.environ.get("RELCAP_WRITE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_copy_1_report_renders_byte_identically_to_its_release(name, person):
    check(f"report_{name}", render_report(name, person))


def test_copy_1_recalculated_report_renders_byte_identically_to_its_release(person):
    check("report_recalculated", render_report("example_3", person, reason="rescore"))


@pytest.mark.parametrize("name", sorted(COMPARISONS))
def test_copy_1_comparison_renders_byte_identically_to_its_release(name, person):
    check(f"comparison_{name}", render_comparison(name, person))


def test_copy_1_history_on_my_profiles_renders_byte_identically_to_its_release(
    client, person, monkeypatch
):
    # Submitting pins the copy published at that moment, read with the answers: copy-1 here.
    read = profile_services.queries.with_answers

    def under_copy_1(*args):
        state = read(*args)
        return state and (*state[:2], ReportCopyVersion.objects.get(version="copy-1").version)

    monkeypatch.setattr(profile_services.queries, "with_answers", under_copy_1)
    rows = [{"REG": REG_54}, {"REG": REG_75}, {"REG": REG_54, "TRU": REG_75}]
    for n, extra in enumerate(rows):
        when = WHEN + timedelta(n * 50)
        submitted(raw_answers(dict(EXAMPLE_3, **extra)), user=person, when=when)
    assert {s.copy_version for s in ResultSnapshot.objects.all()} == {"copy-1"}
    client.force_login(person)

    html = client.get("/mine/").content.decode()

    section = re.search(r'<section aria-labelledby="history-heading">.*?</section>', html, re.S)
    assert section
    check("history", section.group(0))
