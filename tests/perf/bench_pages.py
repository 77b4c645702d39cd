"""Page benchmarks for `make bench`: SQL queries and median/p95 time of each page, in-process.

Drives the app through Django's test client against a throwaway database: a temporary SQLite
file, or, when DATABASE_URL is set, a dedicated PostgreSQL database `relcap_perf_bench_<pid>`
on that server (never the one the URL names). Instrument 1.0 has 72 scored items; retired
versions with 144 and 288 are generated with bulk_create, laid out like 1.0.

Every time is also given as a multiple of the floor, measured in the same run: a view that
makes one ORM query and renders a small template, behind Django's default middleware stack
(the seven of `startproject`), so "× floor" is what the app costs over a minimal Django page.
This module is also the run's URLconf (`urlpatterns`): the floor view exists only while the
bench runs, never in relcap's own URLs.

A page save is timed as the first save of that page (a fresh draft per call, its form from
a real GET, not timed); the full completion times the 19 requests of one person from the
start form to the report, a fresh person per call.
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
from urllib.parse import urlencode

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


# Django's default middleware stack: what `django-admin startproject` writes into settings.py.
DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
FLOOR_TEMPLATE = (
    '<!doctype html><html lang="en"><head><title>floor</title></head>'
    "<body><h1>Questionnaire {{ version.version }}</h1><p>{{ version.title }}</p></body></html>"
)
_floor_template = None


def floor(request: HttpRequest) -> HttpResponse:
    """The floor: one ORM query and a small template, rendered with the request's context."""
    global _floor_template
    from django.template import engines

    from assessments.models import InstrumentVersion

    if _floor_template is None:
        _floor_template = engines["django"].from_string(FLOOR_TEMPLATE)
    version = InstrumentVersion.objects.filter(status="published").first()
    return HttpResponse(_floor_template.render({"version": version}, request))


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
    floor_ms: float | None = None  # median of the floor requests interleaved with this row's


# The floor client, once framework_rows has made it: every later row interleaves one floor
# request before each of its own, so a ratio compares times taken under the same load.
_floor: dict[str, object] = {}


def floor_send() -> int:
    return _floor["client"].get("/bench/floor/").status_code


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

    from assessments.models import InstrumentText, InstrumentVersion, ItemVersion
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
    # Its questionnaire texts (instruction, labels, consent), as every version carries them.
    InstrumentText.objects.bulk_create(
        InstrumentText(instrument_version=version, key=key, text=text)
        for key, text in InstrumentText.objects.filter(instrument_version=base).values_list(
            "key", "text"
        )
    )
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
    calls, then count the SQL queries of one more call; `send` needs WARMUP+repeat+1 calls.
    Once the floor is measured, a floor request is timed just before each call as well."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare = getattr(send, "prepare", None)
    interleave = "client" in _floor
    times, floor_times = [], []
    for k in range(WARMUP + repeat):
        if prepare is not None:
            prepare(k)
        if interleave:
            start = time.perf_counter()
            floor_send()
            floor_elapsed = time.perf_counter() - start
        start = time.perf_counter()
        status = send(k)
        elapsed = time.perf_counter() - start
        if status != expected:
            raise RuntimeError(f"{operation}: HTTP {status}, expected {expected}")
        if k >= WARMUP:
            times.append(elapsed * 1000)
            if interleave:
                floor_times.append(floor_elapsed * 1000)
    if prepare is not None:
        prepare(WARMUP + repeat)
    with CaptureQueriesContext(connection) as queries:
        send(WARMUP + repeat)
    times.sort()
    p95 = times[ceil(0.95 * len(times)) - 1]
    floor_ms = statistics.median(floor_times) if floor_times else None
    return Row(operation, items, len(queries), statistics.median(times), p95, floor_ms)


def floor_client():
    """A test client whose handler runs Django's default middleware, not relcap's: a client
    loads its middleware on its first request, under the settings in force then."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(MIDDLEWARE=DEFAULT_MIDDLEWARE):
        assert client.get("/bench/floor/").status_code == 200
    return client


def framework_rows(repeat: int) -> list[Row]:
    from django.test import Client

    floor_only = floor_client()
    client = Client(HTTP_HOST="127.0.0.1")
    _floor.clear()
    floor = measure(
        "floor: 1 ORM query + small template, default middleware",
        None,
        lambda k: floor_only.get("/bench/floor/").status_code,
        200,
        repeat,
    )
    _floor["client"] = floor_only
    return [
        floor,
        measure(
            "the floor view behind relcap's middleware",
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


def form_post(client, url: str, data: dict):
    """POST a form as a browser sends one without an enctype: URL-encoded (the test client's
    default is multipart, which no relcap form uses)."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def first_saves(client, urls: list[str], value: int = 5) -> Callable[[int], int]:
    """Call n saves page `urls[n]` for the first time (each URL names a fresh draft's page), with
    the form a GET of it rendered just before (the GET is not timed, the POST is)."""
    forms: dict[int, dict] = {}

    def prepare(n: int) -> None:
        html = client.get(urls[n]).content.decode()
        names = sorted(set(FIELD.findall(html)))
        forms[n] = {"rendered": STAMP.search(html).group(1), "nav": "next"}
        forms[n].update({name: str(value) for name in names})

    def send(n: int) -> int:
        return form_post(client, urls[n], forms.pop(n)).status_code

    send.prepare = prepare
    return send


def completion(client) -> Callable[[int], int]:
    """One person's whole questionnaire, 19 requests: the start form (GET, POST), each of the
    seven pages (GET, POST with an answer for every statement), the review, the submit and the
    report. Returns the report's status; any other unexpected status raises."""
    from django.urls import reverse

    nonce_field = re.compile(r'name="nonce" value="([^"]+)"')

    def expect(response, status: int):
        if response.status_code != status:
            raise RuntimeError(f"completion: {response.status_code} on {response.request}")
        return response

    def send(n: int) -> int:
        start_url = reverse("profiles:start")
        html = expect(client.get(start_url), 200).content.decode()
        form = {"context_mode": "both", "consent": "on", "adult": "on"}
        form["nonce"] = nonce_field.search(html).group(1)
        url = expect(form_post(client, start_url, form), 302).url
        while "/page/" in url:
            html = expect(client.get(url), 200).content.decode()
            posted = {"rendered": STAMP.search(html).group(1), "nav": "next"}
            posted.update({name: "5" for name in set(FIELD.findall(html))})
            url = expect(form_post(client, url, posted), 302).url
        expect(client.get(url), 200)  # the review
        report_url = expect(client.post(url), 302).url  # the submit: a form with no field
        return client.get(report_url).status_code

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
    drafts = new_profiles(owner, instrument, WARMUP + repeat + 1, answered=False)
    draft = drafts[0]
    page_url = reverse("profiles:answer_page", args=[draft.public_id, TIMED_PAGE])
    html = client.get(page_url).content.decode()
    names = sorted(set(FIELD.findall(html)))
    save = first_saves(
        client,
        [reverse("profiles:answer_page", args=[d.public_id, TIMED_PAGE]) for d in drafts],
    )
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
            f"first save of a page POST ({label})",
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


def completion_rows(repeat: int) -> list[Row]:
    """A whole 72-item completion, 19 requests, signed in and anonymous."""
    from django.test import Client

    _, signed_in = logged_in_client("bench-completion")
    anonymous = Client(HTTP_HOST="127.0.0.1")
    return [
        measure(f"whole completion, 19 requests, {who}", 72, completion(client), 200, repeat)
        for who, client in (("signed in", signed_in), ("anonymous", anonymous))
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


BRIEF_PROFILES = 20


def brief_rows(repeat: int) -> list[Row]:
    """The practitioner's pre-session brief (issue 17 lines 5, 9) with one shared profile and
    with twenty: its query count stays the same."""
    from django.urls import reverse

    from practice import services as practice_services
    from practice.models import PractitionerProfile
    from profiles import services
    from tests.factories import published_instrument
    from tests.practice.helpers import connect

    rows = []
    for count in (1, BRIEF_PROFILES):
        person, _ = logged_in_client(f"bench-brief-person-{count}")
        robin, client = logged_in_client(f"bench-brief-practitioner-{count}")
        practitioner = PractitionerProfile.objects.create(
            user=robin, display_name="Robin", profession="Coach", status="approved"
        )
        connection = connect(practitioner, person)
        for profile in new_profiles(person, published_instrument(), count, answered=True):
            services.submit_profile(profile=profile)
            profile.refresh_from_db()
            practice_services.set_share(connection=connection, profile=profile, level="summary")
        url = reverse("practice:brief", args=[connection.public_id])
        noun = "shared profile" if count == 1 else "shared profiles"
        rows.append(
            measure(
                f"pre-session brief GET, {count} {noun}",
                72,
                lambda n, client=client, url=url: client.get(url).status_code,
                200,
                repeat,
            )
        )
    return rows


CLIENT_SIZES = (1, 50, 500)
CLIENTS_VIEW = "practitioner clients list GET"
BRIEF_AMONG = "pre-session brief GET among"


def clients_rows(repeat: int) -> list[Row]:
    """The practitioner's clients list, searched and sorted, and one client's brief, with 1, 50
    and 500 clients who each share a profile (issue 17 line 9): each takes one SQL count."""
    from django.urls import reverse

    from practice.models import PractitionerProfile
    from tests.practice.helpers import many_clients

    rows = []
    for count in CLIENT_SIZES:
        robin, client = logged_in_client(f"bench-clients-practitioner-{count}")
        practitioner = PractitionerProfile.objects.create(
            user=robin, display_name="Robin", profession="Coach", status="approved"
        )
        first = many_clients(practitioner, count)[0]
        listing = reverse("practice:clients") + "?sort=retake&q=client"
        brief = reverse("practice:brief", args=[first.public_id])
        noun = "client" if count == 1 else "clients"
        rows.append(
            measure(
                f"{CLIENTS_VIEW}, {count} {noun}",
                None,
                lambda n, client=client, url=listing: client.get(url).status_code,
                200,
                repeat,
            )
        )
        rows.append(
            measure(
                f"{BRIEF_AMONG} {count} {noun}",
                None,
                lambda n, client=client, url=brief: client.get(url).status_code,
                200,
                repeat,
            )
        )
    return rows


EDIT_TEXTS = (
    "At work, I notice when a colleague seems quietly worried.",
    "At work, I notice when a colleague seems a little worried.",
)


ADMIN_STATEMENT_LIST = "admin statement list GET"


def admin_rows(k: int, repeat: int) -> list[Row]:
    """The admin's statement list of a draft and saving one statement on its own page
    (issue 19), for a draft copied from the instrument of this size."""
    from django.urls import reverse

    from assessments import services
    from assessments.models import InstrumentVersion

    size = 72 * k
    source = InstrumentVersion.objects.get(version="1.0" if k == 1 else f"bench-{size}")
    draft = services.create_draft_from(source=source, version=f"bench-edit-{size}")
    item = draft.items.get(code="REG1-W3")
    editor, client = logged_in_client(f"bench-editor-{size}")
    type(editor).objects.filter(pk=editor.pk).update(is_staff=True, is_superuser=True)
    listing = reverse("admin:assessments_instrumentversion_statements", args=[draft.pk])
    edit = reverse("admin:assessments_instrumentversion_statement", args=[draft.pk, item.pk])
    fields = {
        "code": item.code, "kind": item.kind, "dimension": item.dimension, "facet": item.facet,
        "context": item.context, "reverse": "on", "change": "wording",
    }  # fmt: skip

    def save(n: int) -> int:
        return client.post(edit, {**fields, "text": EDIT_TEXTS[n % 2]}).status_code

    return [
        measure(
            f"{ADMIN_STATEMENT_LIST} ({size + 4} statements)",
            size,
            lambda n: client.get(listing).status_code,
            200,
            repeat,
        ),
        measure("admin save one statement POST", size, save, 302, repeat),
    ]


MOMENT_SIZES = (10, 5000)
MOMENTS_VIEW = "moments 12-week view GET"


def moments_rows(repeat: int) -> list[Row]:
    """The 12-week descriptive view of live moments (issue 18 lines 6 and 10) at 10 and 5,000
    entries: its SQL count must be the same at both sizes."""
    from datetime import timedelta

    from django.utils import timezone

    from moments.models import Moment

    rows = []
    for count in MOMENT_SIZES:
        person, client = logged_in_client(f"bench-moments-{count}")
        now = timezone.now()
        Moment.objects.bulk_create(
            Moment(
                person=person,
                occurred_at=now - timedelta(minutes=23 * (i + 1)),  # 5,000 reach back 80 days
                context=("close", "work", "")[i % 3],
                intensity=i % 11,
                responses=[["paused", "snapped"], ["snapped", "reached_out"], []][i % 3],
                copy_version="copy-3",
            )
            for i in range(count)
        )
        rows.append(
            measure(
                f"{MOMENTS_VIEW}, {count} entries",
                None,
                lambda n, client=client: client.get("/moments/views/?weeks=12").status_code,
                200,
                repeat,
            )
        )
    return rows


COPY_TEXTS = ("A self-reflection tool, not a diagnosis.", "A self-reflection tool; no diagnosis.")


def copy_rows(extra: int, repeat: int) -> list[Row]:
    """Saving one text in the report copy editor (issue 19 line 3), for a draft of copy-3 and
    one with `extra` more texts: one locking read and one UPDATE whatever the number."""
    import json

    from django.urls import reverse

    from assessments import copy_edit, queries, services
    from assessments.models import ReportCopyVersion

    draft = services.create_copy_draft_from(
        source=queries.published_copy(), version=f"bench-copy-{extra}"
    )
    texts = dict(draft.texts, bench={f"t{n}": f"Text {n}." for n in range(extra)})
    ReportCopyVersion.objects.filter(pk=draft.pk).update(texts=texts)
    editor, client = logged_in_client(f"bench-copy-editor-{extra}")
    type(editor).objects.filter(pk=editor.pk).update(is_staff=True, is_superuser=True)
    url = reverse("admin:assessments_reportcopyversion_texts", args=[draft.pk])
    name = copy_edit.field_name(("disclaimer",))
    count = len(copy_edit.flat(json.loads(json.dumps(texts))))

    def save(n: int) -> int:
        return client.post(url, {name: COPY_TEXTS[n % 2]}).status_code

    return [measure(f"admin save one copy text POST ({count} texts)", None, save, 302, repeat)]


def run(repeat: int = 50) -> tuple[str, list[Row]]:
    """Set up Django and a throwaway database, time every page, drop the database."""
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        label = configure(directory)
        try:
            rows = framework_rows(repeat)
            for k in SIZES:
                rows += questionnaire_rows(k, repeat)
            rows += completion_rows(max(5, repeat // 5))
            rows += mine_rows(repeat)
            rows += brief_rows(repeat)
            rows += clients_rows(repeat)
            for k in SIZES:
                rows += admin_rows(k, repeat)
            rows += moments_rows(repeat)
            for extra in (0, 3000):
                rows += copy_rows(extra, repeat)
        finally:
            teardown()
    return label, rows
