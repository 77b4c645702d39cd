"""No report copy can break a report (issue 13, line 7): every text of every published copy
version renders against every kind of snapshot, and so do the comparison and the PDF.

Snapshots come from the real scoring engine: a seeded generator of answer sheets (all modes,
skips, straight-lining, agreeing with everything, quick pages, failed check items, the
well-being item) is scored until every status, pattern, focus key, quality reason and support
level has occurred, keeping one sheet per new kind. Each copy is read through a recorder, so
the test also proves that every text of the copy was used at least once. Besides the copy
versions in the database, a hostile copy holds a placeholder trap in every text, as if it had
been published before the publish checks refused them.
"""

import json
import random
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import queries as instrument_queries
from assessments import scoring
from assessments import services as instrument_services
from assessments.copy_release import COPY_2_FILE, copy_3_texts
from assessments.copy_text import with_released_wording
from assessments.models import ReportCopyVersion
from profiles.comparison import build_comparison, history_lines, summarise_changes
from profiles.models import Profile, ResultSnapshot
from profiles.report import build_report
from tests.factories import published_instrument
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

score_1 = scoring.get("score-1")  # the rules these tests exercise

pytestmark = pytest.mark.django_db

SEED, MAX_SHEETS = 13, 20_000
TRAPS = (
    "{dimension:d}", "{answered:>2000000}", "{answered:{needed}}", "{dimension!r}",
    "{dimension.upper}", "{dimension[0]}", "{}", "{0}", "{unknown}", "{", "}",
)  # fmt: skip
PASSING_CHECKS = {"QC1": 2, "QC2": 1, "QC3": 5}
FAILING_CHECKS = {"QC1": 6, "QC2": 6, "QC3": 1}
MAX_PAGE_BYTES = 400_000
# copy-1 holds a description of each facet that no page shows today.
NOT_ON_ANY_PAGE = {
    f"dimensions.{d}.facets.{f}.what_it_is" for d in score_1.DIMENSIONS for f in "12"
}  # a report page is about 60 kB; a format spec could make it 12 MB
# The groups copy-3 adds for the practice loop (assessments/data/report_copy_3/*.json) are shown
# by the practice and moments pages, and tested there; the report pages never read them.
PRACTICE_LOOP_GROUPS = frozenset(copy_3_texts()) - frozenset(
    json.loads(COPY_2_FILE.read_text(encoding="utf-8"))
)


class Recorder(dict):
    """A copy (or part of one) that notes the dotted path of every text read from it."""

    def __init__(self, data: dict, seen: set[str], path: str = "") -> None:
        super().__init__(data)
        self.seen, self.path = seen, path

    def __getitem__(self, key):
        value = super().__getitem__(key)
        path = f"{self.path}.{key}" if self.path else str(key)
        if isinstance(value, dict):
            return Recorder(value, self.seen, path)
        self.seen.add(path)
        return value

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


def leaves(node: dict, path: str = "") -> set[str]:
    found = set()
    for key, value in node.items():
        inner = f"{path}.{key}" if path else key
        found |= leaves(value, inner) if isinstance(value, dict) else {inner}
    return found


# ----------------------------------------------------------------------------- snapshot kinds
def kinds(data: dict) -> set[str]:
    """Everything about a snapshot that selects a different text of the copy."""
    quality, focus = data["quality"], data["focus"]
    found = {f"mode {data['mode']}", f"support {data['support']}", f"quality {quality['level']}"}
    found |= {f"{quality['level']} {flag}" for flag in quality["flags"]}
    found.add(f"{quality['level']} failed {len(quality['failed_qc'])}")
    found |= {f"pattern {hit['code']}" for hit in data["patterns"]}
    for code, dimension in data["dimensions"].items():
        found |= {f"status {dimension['status']}", f"{code} {dimension['band']}"}
        if dimension["asi_notable"]:
            found.add("asi " + ("work" if dimension["asi_display"] > 0 else "close"))
    if data["gasi_notable"]:
        found.add(f"gasi {data['gasi_direction']}")
    elif data["mode"] == "both":  # the brief words both (copy-3 on)
        found.add("gasi undefined" if data["gasi"] is None else "gasi not notable")
    if data["company_note"]:
        found.add("company note")
    if focus["primary"] is None:
        found.add("focus too few scored")
    for choice in filter(None, (focus["primary"], focus["secondary"])):
        found |= {f"target {choice['target']}", f"focus {choice['kind']}"}
    well = any(d["band"] == "well_developed" for d in data["dimensions"].values())
    found.add("headline strengths" if well else "headline no strengths")
    return found


def sheet(rng: random.Random, spec: score_1.InstrumentSpec) -> tuple[dict, str, dict]:
    """Raw answers, context mode and page times of one generated respondent."""
    style = rng.choice(["levels", "levels", "levels", "straight", "flat", "agree", "run", "skips"])
    low, high = rng.choice([(1, 2), (1, 4), (2, 5), (3, 5), (4, 6), (5, 7), (6, 7), (1, 7)])
    cells = {}
    skip = rng.choice([0, 0, 0.05, 0.3, 0.5]) if style == "skips" else rng.choice([0, 0, 0.02])
    answers: dict[str, int | None] = {}
    scored = [item for item in spec.items if item.kind == "scored"]
    for index, item in enumerate(sorted(scored, key=lambda i: i.position)):
        cell = (item.dimension, item.facet, item.context)
        level = cells.setdefault(cell, rng.randint(low, high))
        keyed = min(7, max(1, level + rng.choice([-1, 0, 0, 1])))
        raw = 8 - keyed if item.reverse else keyed
        raw = {"straight": 4, "flat": 5 if index % 10 == 9 else 4}.get(style, raw)
        raw = 4 if style == "run" and index < 14 else raw
        raw = rng.randint(5, 7) if style == "agree" else raw
        answers[item.code] = None if rng.random() < skip else raw
    failures = rng.choice([0, 0, 0, 1, 2, 3])
    for code in rng.sample(sorted(PASSING_CHECKS), 3)[:3]:
        answers[code] = FAILING_CHECKS[code] if failures > 0 else PASSING_CHECKS[code]
        failures -= 1
    answers["WB1"] = rng.choice([None, 1, 2, 3, 4, 5, 6, 7])
    pages = {item.page for item in spec.items}
    page_ms = {page: rng.choice([600_000, 600_000, 600_000, 1_000]) for page in pages}
    return answers, rng.choice(score_1.MODES), page_ms


def snapshot_kinds() -> list[dict]:
    """One snapshot per new kind, until every kind has occurred (or the sheets run out)."""
    spec = instrument_queries.instrument_spec(published_instrument().pk)
    rng, seen, chosen = random.Random(SEED), set(), []
    for _ in range(MAX_SHEETS):
        if seen >= EXPECTED_KINDS:
            break
        answers, mode, page_ms = sheet(rng, spec)
        data = score_1.score(spec, answers, mode=mode, page_ms=page_ms).as_dict()
        new = kinds(data) - seen
        if new:
            seen |= new
            chosen.append(data)
    return chosen


EXPECTED_KINDS = (
    {f"mode {m}" for m in score_1.MODES}
    | {f"support {s}" for s in ("none", "gentle", "urgent")}
    | {f"quality {q}" for q in ("ok", "caution", "low")}
    | {f"caution {f}" for f in ("LONGSTRING", "LOW_VARIABILITY", "CONTRADICTORY", "HIGH_MISSING")}
    | {f"low {f}" for f in ("ATTENTION", "TOO_FAST", "LONGSTRING", "LOW_VARIABILITY")}
    | {f"low {f}" for f in ("CONTRADICTORY", "HIGH_MISSING")}
    | {"caution failed 1", "low failed 1", "low failed 2", "low failed 3"}
    | {f"pattern {code}" for code, *_ in score_1.PATTERNS}
    | {f"status {s}" for s in ("well_developed", "developing", "underdeveloped", "not_scored")}
    | {"status miscalibrated", "asi work", "asi close", "gasi work", "gasi close"}
    | {"gasi undefined", "gasi not notable"}
    | {f"{d} {b}" for d in score_1.DIMENSIONS for b in ("underdeveloped", "developing")}
    | {f"{d} {b}" for d in score_1.DIMENSIONS for b in ("well_developed", "not_scored")}
    | {f"target {d}{f}" for d in score_1.DIMENSIONS for f in ("1", "2", ".C", ".W")}
    | {"target MAINTAIN", "focus pattern", "focus underdeveloped", "focus next_step"}
    | {"focus maintain", "focus too few scored", "company note"}
    | {"headline strengths", "headline no strengths"}
)


@pytest.fixture(scope="module")
def snapshots(django_db_setup, django_db_blocker) -> list[dict]:
    with django_db_blocker.unblock():
        return snapshot_kinds()


# ----------------------------------------------------------------------------- copies
def trapped(texts: dict, counter: list[int] | None = None) -> dict:
    """`texts` with a placeholder trap added to every text (each trap in turn)."""
    counter = counter if counter is not None else [0]
    result = {}
    for key, value in texts.items():
        if isinstance(value, dict):
            result[key] = trapped(value, counter)
        else:
            result[key] = f"{value} {TRAPS[counter[0] % len(TRAPS)]}"
            counter[0] += 1
    return result


def publish_without_checks(texts: dict, version: str = "copy-trap") -> ReportCopyVersion:
    """Publish `texts` as the admin could before publishing refused placeholder traps."""
    current = instrument_queries.published_copy()
    draft = instrument_services.create_copy_draft_from(source=current, version=version)
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=dict(texts, version=version))
    current.status = ReportCopyVersion.Status.RETIRED
    current.save()
    ReportCopyVersion.objects.filter(pk=draft.pk).update(
        status=ReportCopyVersion.Status.PUBLISHED, published_at=timezone.now()
    )
    return ReportCopyVersion.objects.get(pk=draft.pk)


@pytest.fixture
def copies() -> list[ReportCopyVersion]:
    """Every copy version that is not a draft, including one full of placeholder traps."""
    publish_without_checks(trapped(instrument_queries.published_copy().texts))
    return list(ReportCopyVersion.objects.exclude(status=ReportCopyVersion.Status.DRAFT))


# ----------------------------------------------------------------------------- rendering
def request():
    made = RequestFactory().get("/")
    made.user = AnonymousUser()
    return made


def stored(data: dict) -> ResultSnapshot:
    return ResultSnapshot(scoring_version=data["rules"], created_at=timezone.now(), data=data)


def render_everything(data: list[dict], texts: dict, seen: set[str]) -> list[str]:
    """The report (page and PDF source), the support page, and comparisons of neighbours."""
    pages = []
    submitted_at = timezone.now()
    for k, snapshot in enumerate(data):
        copy = Recorder(texts, seen)
        profile = Profile(public_id=uuid.uuid4(), submitted_at=submitted_at)
        context = {
            "profile": profile,
            "snapshot": stored(snapshot),
            "report": build_report(
                snapshot, copy, locale="en", reason=("submission", "rescore")[k % 2]
            ),
            "support_url": "/support/",
        }
        pages.append(render_to_string("profiles/report.html", context, request=request()))
        pages.append(render_to_string("profiles/report_pdf.html", context))
    pairs = list(zip(data, data[1:], strict=False)) + [(snapshot, snapshot) for snapshot in data]
    for k, (earlier, later) in enumerate(pairs):
        first = Profile(
            public_id=uuid.uuid4(), submitted_at=submitted_at - timedelta((10, 60, 1)[k % 3])
        )
        second = Profile(public_id=uuid.uuid4(), submitted_at=submitted_at)
        view = build_comparison(
            first, second, stored(earlier), stored(later),
            substantive={"REG"} if k % 3 == 0 else set(), copy=Recorder(texts, seen),
        )  # fmt: skip
        pages.append(render_to_string("profiles/compare.html", {"comparison": view}, request()))
        if "changes" in texts:  # copy-2 on: a retake's report says what changed (issue 14.10)
            changes = summarise_changes(view, Recorder(texts, seen))
            retake = dict(context, profile=second, changes=changes)
            pages.append(render_to_string("profiles/report.html", retake, request=request()))
    dated = [(f"{k + 1} May 2026", snapshot["dimensions"]) for k, snapshot in enumerate(data)]
    mine = {"rows": [], "drafts": [], "history": history_lines(dated, Recorder(texts, seen))}
    pages.append(render_to_string("profiles/mine.html", mine, request=request()))
    for before_results in (False, True):
        support = {"support": Recorder(texts, seen)["support"], "resources": [], "profile": profile}
        support["before_results"] = before_results
        pages.append(render_to_string("profiles/support.html", support, request=request()))
    if "brief" in texts:  # copy-3 on: the practitioner's pre-session brief (issue 17 line 5)
        pages += render_briefs(data, pairs, texts, seen, submitted_at)
    return pages


def render_briefs(data, pairs, texts: dict, seen: set[str], submitted_at) -> list[str]:
    """The brief's screen and PDF source for each snapshot alone (a first shared profile, at
    each level, with and without a chosen name) and for each pair (change since)."""
    from practice.brief import BriefSource, compose
    from practice.models import Connection, Share

    def source(k: int, later: dict, earlier: dict | None) -> BriefSource:
        connection = Connection(
            person_display_name="" if k % 2 else "Kim", share_checkin=True, created_at=submitted_at
        )
        levels = Connection.Level.values
        share = Share(
            level=levels[k % 3],
            profile=Profile(public_id=uuid.uuid4(), submitted_at=submitted_at),
        )
        previous = earlier and Share(
            level="summary",
            profile=Profile(public_id=uuid.uuid4(), submitted_at=submitted_at - timedelta(10)),
        )
        return BriefSource(
            connection, share, stored(later), previous, earlier and stored(earlier), 1
        )

    def render(brief_source: BriefSource, comparison) -> list[str]:
        brief = compose(brief_source, Recorder(texts, seen), Recorder(texts, seen), comparison)
        context = {
            "brief": brief,
            "connection": brief_source.connection,
            "share": brief_source.share,
            "profile": brief_source.share.profile,
            "branding": None,
            "moments_summary": None,
        }
        return [
            render_to_string("practice/brief.html", context, request=request()),
            render_to_string("practice/brief_pdf.html", context),
        ]

    pages = []
    for k, snapshot in enumerate(data):
        pages += render(source(k, snapshot, None), None)
    for k, (earlier, later) in enumerate(pairs):
        brief_source = source(k, later, earlier)
        comparison = build_comparison(
            brief_source.previous.profile, brief_source.share.profile,
            brief_source.previous_snapshot, brief_source.snapshot,
            substantive={"REG"} if k % 3 == 0 else set(), copy=Recorder(texts, seen),
        )  # fmt: skip
        pages += render(brief_source, comparison)
    return pages


def test_generated_snapshots_cover_every_kind_of_result(snapshots):
    found = set().union(*map(kinds, snapshots))

    assert EXPECTED_KINDS - found == set()


def test_every_text_of_every_copy_renders_against_every_kind_of_snapshot(snapshots, copies):
    for report_copy in copies:
        seen: set[str] = set()

        # As the app reads a copy (assessments.queries.copy_texts): copy-1 with its released
        # wording for the texts that lived in code.
        texts = with_released_wording(report_copy.texts)
        pages = render_everything(snapshots, texts, seen)

        report_leaves = {
            leaf
            for leaf in leaves(report_copy.texts)
            if leaf.split(".")[0] not in PRACTICE_LOOP_GROUPS
        }
        assert report_leaves - seen - NOT_ON_ANY_PAGE == set(), report_copy.version
        assert max(map(len, pages)) < MAX_PAGE_BYTES, report_copy.version


def test_placeholder_traps_are_shown_as_written_not_formatted(snapshots, copies, caplog):
    trap = next(c for c in copies if c.version == "copy-trap")

    pages = render_everything(snapshots, with_released_wording(trap.texts), set())

    text = " ".join(pages)
    assert "{dimension:d}" in text and "{answered:&gt;2000000}" in text
    assert "without filling its placeholders" in caplog.text


# ----------------------------------------------------------------------------- through views
NOT_SCORED_REPAIR = dict(EXAMPLE_3, REP="5 - 3 - 6 2 4 - 4 5 - 3")  # §3.9 Example 2


@pytest.mark.parametrize("trap", ["{dimension:d}", "{answered:>2000000}", "{answered!r}"])
def test_a_copy_with_a_formatted_placeholder_never_fails_a_report(signed_in, person, trap):
    copy_1 = instrument_queries.published_copy().texts
    publish_without_checks(dict(copy_1, not_scored=f"You answered {trap} statements."))
    profile = submitted(raw_answers(NOT_SCORED_REPAIR), user=person)

    response = signed_in.get(profile.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert len(html) < MAX_PAGE_BYTES
    assert escape(f"You answered {trap} statements.") in html


def test_the_pdf_of_a_report_with_placeholder_traps_is_made(signed_in, person):
    publish_without_checks(trapped(instrument_queries.published_copy().texts))
    profile = submitted(raw_answers(NOT_SCORED_REPAIR), user=person)

    response = signed_in.get(reverse("profiles:report_pdf", args=[profile.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(response.content) < 2_000_000


def test_comparing_under_a_copy_with_placeholder_traps_works(signed_in, person):
    earlier = submitted(raw_answers(EXAMPLE_3), user=person, when=timezone.now() - timedelta(60))
    publish_without_checks(trapped(instrument_queries.published_copy().texts))
    later = submitted(raw_answers(NOT_SCORED_REPAIR), user=person)
    query = f"?a={earlier.public_id}&b={later.public_id}"

    response = signed_in.get(reverse("profiles:compare") + query)

    assert response.status_code == 200
    assert "{dimension:d}" in response.content.decode()
