"""Page benchmarks for `make bench`: SQL queries and median/p95 time of each page, in-process.

Drives the app through Django's test client against a throwaway database: a temporary SQLite
file, or, when DATABASE_URL is set, a dedicated PostgreSQL database `relcap_perf_bench_<pid>`
on that server (never the one the URL names). Instrument 1.0 has 72 scored items; retired
versions with 144 and 288 are generated with bulk_create, laid out like 1.0. Every time is
also given as a multiple of the floor: a bare view behind the same middleware, same run.
This module is also the run's URLconf (`urlpatterns`), so the floor needs no app change.
"""

import os
import random
import re
import secrets
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

SIZES = (1, 2, 4)  # k: 72·k scored items, 3·k per dimension × facet × context cell
WARMUP = 3
CHECK_PAGES = {2: "QC1", 4: "QC2", 6: "QC3"}  # as in 1.0: a check item closes pages 2, 4, 6
TIMED_PAGE = 2  # a page with a check item, like most of 1.0's pages
MINE_PROFILES = 50
SEED = 20260101
STAMP = re.compile(r'name="rendered" value="([^"]+)"')
FIELD = re.compile(r'name="(q\d+)"')
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "relcap.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-" + secrets.token_urlsafe(32),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_EMAIL_BACKEND": "discard",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def __getattr__(name: str) -> list:
    """The run's `urlpatterns`, built when Django first asks: relcap.urls needs Django set up."""
    if name == "urlpatterns":
        return [path("bench/floor/", floor), path("", include("relcap.urls"))]
    raise AttributeError(name)


@dataclass(frozen=True)
class Row:
    operation: str
    items: int | None
    queries: int
    median_ms: float
    p95_ms: float


def configure(directory: str) -> str:
    """Production-like settings, applied before django.setup(); creates and migrates the
    throwaway database and returns a description of it."""
    os.environ.update(ENVIRONMENT)
    # WhiteNoise warns that collectstatic has not run; the bench serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database["TEST"] = {"NAME": str(Path(directory) / "bench.sqlite3")}
    else:
        database["TEST"] = {"NAME": f"relcap_perf_bench_{os.getpid()}"}
    settings.ROOT_URLCONF = "tests.perf.bench_pages"
    # The manifest storage needs collectstatic first; its lookup is one dict read per asset.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return database_label()


def database_label() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version} (temporary file, WAL)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"


def teardown() -> None:
    from django.db import connection

    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def build_instrument(k: int):
    """Instrument 1.0 for k = 1; otherwise a retired version with 72·k scored items laid out
    like 1.0: round-robin over the 24 cells, 12·k per page on pages 1-6, QC1-3 closing pages
    2, 4 and 6, WB1 alone on page 7. Retired, so its spec is cached like a published one."""
    from django.utils import timezone

    from assessments.models import InstrumentVersion, ItemVersion
    from assessments.scoring.spec import CONTEXTS, DIMENSIONS, FACETS
    from tests.factories import published_instrument

    base = published_instrument()
    if k == 1:
        return base
    checks = {
        i.code: i
        for i in ItemVersion.objects.filter(instrument_version=base).exclude(kind="scored")
    }
    now = timezone.now()
    # Made as a draft (only a draft takes statements), then retired in one update.
    version = InstrumentVersion.objects.create(version=f"bench-{72 * k}", status="draft")
    cells = [
        (d, f, c, n) for n in range(3 * k) for c in CONTEXTS for f in FACETS for d in DIMENSIONS
    ]
    per_page = len(cells) // 6
    rows = []
    for page in range(1, 7):
        for dimension, facet, context, n in cells[(page - 1) * per_page : page * per_page]:
            rows.append(
                ItemVersion(
                    code=f"{dimension}{facet}-{context}{n + 1}",
                    text=f"Generated statement {n + 1} of {dimension}{facet} in context {context}.",
                    dimension=dimension,
                    facet=facet,
                    context=context,
                    reverse=n % 3 == 2,
                    page=page,
                )
            )
        if page in CHECK_PAGES:
            rows.append(check_copy(checks[CHECK_PAGES[page]], page))
    rows.append(check_copy(checks["WB1"], 7))
    for position, item in enumerate(rows, start=1):
        item.instrument_version, item.position = version, position
    ItemVersion.objects.bulk_create(rows)
    InstrumentVersion.objects.filter(pk=version.pk).update(
        status="retired", published_at=now, retired_at=now
    )
    version.refresh_from_db()
    return version


def check_copy(item, page: int):
    from assessments.models import ItemVersion

    return ItemVersion(code=item.code, text=item.text, kind=item.kind, page=page)


def engine_accepts(instrument) -> str | None:
    """None when score_1 scores a full sheet of this instrument, else the engine's refusal."""
    from assessments import scoring
    from assessments.queries import instrument_spec

    spec = instrument_spec(instrument.pk)
    try:
        scoring.get("score-1").score(spec, {i.code: 4 for i in spec.items}, mode="both")
    except ValueError as refusal:
        return str(refusal)
    return None


def new_profiles(owner, instrument, count: int, *, answered: bool) -> list:
    """Draft profiles of `owner`; with `answered`, every item answered and every page timed."""
    from django.utils import timezone

    from assessments.queries import items_in_order
    from profiles.models import Answer, PageTime, Profile

    now, rng = timezone.now(), random.Random(SEED)
    profiles = Profile.objects.bulk_create(
        Profile(
            user=owner,
            instrument_version=instrument,
            context_mode="both",
            consent_notice_version="consent-1",
            consented_at=now,
        )
        for _ in range(count)
    )
    if answered:
        items = list(items_in_order(instrument.pk))
        Answer.objects.bulk_create(
            (
                Answer(profile=p, item_version=i, value=rng.randint(1, 7), answered_at=now)
                for p in profiles
                for i in items
            ),
            batch_size=2000,
        )
        PageTime.objects.bulk_create(
            PageTime(profile=p, page=page, total_ms=60_000, visits=1)
            for p in profiles
            for page in sorted({i.page for i in items})
        )
    return profiles


def logged_in_client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user(username)  # unusable password: no hashing
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return user, client


def measure(
    operation: str, items: int | None, send: Callable[[int], int], expected: int, repeat: int
) -> Row:
    """Time `send(k)` (an HTTP status) for k in WARMUP..WARMUP+repeat-1 after WARMUP untimed
    calls, then count the SQL queries of one more call; `send` needs WARMUP+repeat+1 calls."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for k in range(WARMUP + repeat):
        start = time.perf_counter()
        status = send(k)
        elapsed = time.perf_counter() - start
        if status != expected:
            raise RuntimeError(f"{operation}: HTTP {status}, expected {expected}")
        if k >= WARMUP:
            times.append(elapsed * 1000)
    with CaptureQueriesContext(connection) as queries:
        send(WARMUP + repeat)
    times.sort()
    p95 = times[ceil(0.95 * len(times)) - 1]
    return Row(operation, items, len(queries), statistics.median(times), p95)


def framework_rows(repeat: int) -> list[Row]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    return [
        measure(
            "floor: bare view, full middleware",
            None,
            lambda k: client.get("/bench/floor/").status_code,
            200,
            repeat,
        ),
        measure(
            "GET /healthz (one SELECT 1)",
            None,
            lambda k: client.get("/healthz").status_code,
            200,
            repeat,
        ),
    ]


def alternating_saves(client, page_url: str, public_id, names: list[str]) -> Callable[[int], int]:
    """Save call n of one page: every answer changes from call n-1 (4,5,6… then 5,6,7…) under
    a fresh render stamp of what call n-1 stored, as a new render of the page would carry, so
    each call writes the whole page (a resent form would write nothing)."""
    from profiles.forms import render_stamp

    page = int(page_url.rstrip("/").rsplit("/", 1)[1])

    def values(n: int) -> dict[int, int]:
        return {int(name[1:]): 4 + (k + n) % 3 for k, name in enumerate(names)}

    def send(n: int) -> int:
        shown = values(n - 1) if n else {}
        stamp = render_stamp(public_id, page, time.time_ns() // 1_000_000, shown)
        posted = {f"q{i}": str(v) for i, v in values(n).items()}
        return client.post(page_url, {"rendered": stamp, "nav": "next", **posted}).status_code

    return send


def questionnaire_rows(k: int, repeat: int) -> list[Row]:
    """Page render, page save, review, submit and report for one instrument size."""
    from django.urls import reverse

    instrument = build_instrument(k)
    refusal = engine_accepts(instrument)
    if refusal is not None:
        raise RuntimeError(f"score_1 refuses the {72 * k}-item instrument: {refusal}")
    size = 72 * k
    owner, client = logged_in_client(f"bench-{size}")
    [draft] = new_profiles(owner, instrument, 1, answered=False)
    page_url = reverse("profiles:answer_page", args=[draft.public_id, TIMED_PAGE])
    html = client.get(page_url).content.decode()
    names = sorted(set(FIELD.findall(html)))
    save = alternating_saves(client, page_url, draft.public_id, names)
    finished = new_profiles(owner, instrument, WARMUP + repeat + 1, answered=True)
    submit_urls = [reverse("profiles:review", args=[p.public_id]) for p in finished]
    report_url = reverse("profiles:report", args=[finished[0].public_id])
    review_url = reverse("profiles:review", args=[draft.public_id])
    label = f"{len(names)} statements"
    return [
        measure(
            f"questionnaire page GET ({label})",
            size,
            lambda n: client.get(page_url).status_code,
            200,
            repeat,
        ),
        measure(
            f"save a page POST ({label})",
            size,
            save,
            302,
            repeat,
        ),
        measure("review page GET", size, lambda n: client.get(review_url).status_code, 200, repeat),
        measure(
            "submit POST (score + snapshot)",
            size,
            lambda n: client.post(submit_urls[n]).status_code,
            302,
            repeat,
        ),
        measure("report GET", size, lambda n: client.get(report_url).status_code, 200, repeat),
    ]


def mine_rows(repeat: int) -> list[Row]:
    """ "My profiles" for an account with one submitted profile and with fifty."""
    from django.urls import reverse

    from profiles import services
    from tests.factories import published_instrument

    rows = []
    for count in (1, MINE_PROFILES):
        owner, client = logged_in_client(f"bench-mine-{count}")
        for profile in new_profiles(owner, published_instrument(), count, answered=True):
            services.submit_profile(profile=profile)
        noun = "profile" if count == 1 else "profiles"
        rows.append(
            measure(
                f'"My profiles" GET, {count} {noun}',
                72,
                lambda n, client=client: client.get(reverse("profiles:mine")).status_code,
                200,
                repeat,
            )
        )
    return rows


def run(repeat: int = 50) -> tuple[str, list[Row]]:
    """Set up Django and a throwaway database, time every page, drop the database."""
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        label = configure(directory)
        try:
            rows = framework_rows(repeat)
            for k in SIZES:
                rows += questionnaire_rows(k, repeat)
            rows += mine_rows(repeat)
        finally:
            teardown()
    return label, rows
