"""Benchmark of the admin item-statistics page: `python tests/bench_statistics.py [profiles]`.

Builds a throwaway database (a temporary SQLite file by default, or
`relcap_bench_statistics_<pid>` on the server of `DATABASE_URL`), fills it with 10,000
submitted profiles of instrument 1.0 with correlated random answers, some accounts, skips and
single-context modes, writes their snapshots with score_1.score directly (bulk_create
throughout), then renders the statistics page through Django's test client as a superuser.
Prints the first and best-of-3 render times and the query count; `run()` returns the same as
table rows for `make bench`. The first render builds the version's kept sums from the answers
(`analysis.maintenance.rebuild`); later ones read only the sums.

`python tests/bench_statistics.py --sums 10000 100000 1000000` times the page on kept sums of
that many synthetic respondents without making their profiles (1M profiles would take hours
to build here): the sums are computed with numpy from random keyed answers (2% skipped, so
listwise n < N; all in `both` mode; pattern counts random) and stored as the version's
SampleGroup rows; then the page is rendered as above. What is timed is the whole request
(session, reading the sums, α, r, ω for six dimensions, the template), i.e. the page as an
admin gets it once the sums are kept; building the sums is not timed.
"""

import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcap.settings")

PROFILES = 10_000
SEED = 20260101
MODES = ["both"] * 8 + ["close_only", "work_only"]
SKIP_SHARE = 0.02
ACCOUNT_SHARE = 0.6  # the rest are anonymous
RETAKE_SHARE = 0.1  # accounts with a second, later profile (left out of the sample)
BATCH = 2000


def setup(directory: str) -> None:
    """Point Django at a throwaway database before django.setup(), then create and migrate it."""
    import django
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        path = Path(directory) / "bench_statistics.sqlite3"
        settings.DATABASES["default"]["NAME"] = path
        settings.DATABASES["default"]["TEST"] = {"NAME": path}
    else:
        # Never pytest's `test_<name>`: clobbering it would wipe a concurrent test run.
        name = f"relcap_bench_statistics_{os.getpid()}"
        settings.DATABASES["default"]["TEST"] = {"NAME": name}
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def sheet(spec, mode: str, rng: random.Random) -> dict[str, int | None]:
    """Answers driven by one latent level per dimension, so scales have realistic alphas."""
    from assessments import scoring
    from assessments.scoring.spec import is_shown

    score_1 = scoring.get("score-1")
    level = {d: rng.gauss(0, 1) for d in score_1.DIMENSIONS}
    answers: dict[str, int | None] = {"QC1": 2, "QC2": 3, "QC3": 5, "WB1": rng.randint(1, 4)}
    for item in spec.items:
        if item.kind != "scored" or not is_shown(item, mode):
            continue
        keyed = min(7, max(1, round(4 + 1.2 * level[item.dimension] + rng.gauss(0, 1.2))))
        value = 8 - keyed if item.reverse else keyed
        answers[item.code] = None if rng.random() < SKIP_SHARE else value
    return answers


def populate(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from assessments import scoring
    from assessments.queries import instrument_spec, items_in_order
    from profiles.models import Answer, Profile, ResultSnapshot
    from tests.factories import published_instrument

    score_1 = scoring.get("score-1")
    rng, now = random.Random(SEED), timezone.now()
    instrument = published_instrument()
    spec = instrument_spec(instrument.pk)
    item_ids = {item.code: item.pk for item in items_in_order(instrument.pk)}
    accounts = int(count * ACCOUNT_SHARE * (1 - RETAKE_SHARE))
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench{k}", password="!") for k in range(accounts)
    )
    owners = [None] * (count - int(count * ACCOUNT_SHARE)) + users
    owners += [rng.choice(users) for _ in range(count - len(owners))]
    profiles = Profile.objects.bulk_create(
        (
            Profile(
                user=owner,
                instrument_version=instrument,
                context_mode=rng.choice(MODES),
                consent_notice_version="consent-1",
                consented_at=now,
                research_opt_in=True,
                submitted_at=now - timedelta(minutes=count - k),
            )  # fmt: skip
            for k, owner in enumerate(owners)
        ),
        batch_size=BATCH,
    )
    answers, snapshots = [], []
    for profile in profiles:
        values = sheet(spec, profile.context_mode, rng)
        answers += [
            Answer(profile=profile, item_version_id=item_ids[c], value=v) for c, v in values.items()
        ]  # noqa: E501
        result = score_1.score(spec, values, mode=profile.context_mode)
        snapshots.append(
            ResultSnapshot(
                profile=profile,
                scoring_version=score_1.VERSION,
                copy_version="copy-1",
                data=result.as_dict(),
            )  # fmt: skip
        )
        if len(answers) >= 50 * BATCH:
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            answers = []
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    ResultSnapshot.objects.bulk_create(snapshots, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: realistic plans


def time_page(name: str = "bench-admin") -> tuple[float, float, float, int, int]:
    """First and best-of-3 render time in seconds, the best CPU time of this process (SQLite
    runs in it; a busy machine inflates wall time), query count, and status of the page."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.factories import published_instrument

    admin = get_user_model().objects.create_superuser(name, "", "bench password 1")
    client = Client()
    client.force_login(admin)
    url = reverse(
        "admin:assessments_instrumentversion_statistics", args=[published_instrument().pk]
    )
    times, cpu = [], []
    for _ in range(4):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return times[0], min(times[1:]), min(cpu[1:]), len(queries), response.status_code


def run(count: int = PROFILES) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as directory:
        setup(directory)
        from django.db import connection

        try:
            start = time.perf_counter()
            populate(count)
            built = time.perf_counter() - start
            first, best, cpu, queries, status = time_page()
        finally:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )
    engine = connection.vendor
    return [
        (f"statistics data: {count:,} profiles ({engine})", f"{built:.1f} s to build"),
        (f"statistics page, first render ({engine})", f"{first:.2f} s (HTTP {status})"),
        (f"statistics page, best of 3 ({engine})", f"{best:.2f} s"),
        (f"statistics page, CPU of this process ({engine})", f"{cpu:.2f} s"),
        ("load average while measuring", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
        (f"statistics page queries ({engine})", str(queries)),
    ]


def synthetic_sums(count: int, chunk: int = 100_000) -> None:
    """Store kept sums of `count` synthetic respondents for instrument 1.0 (numpy; exact: every
    partial sum is an integer below 2⁵³, so float64 products lose nothing)."""
    import numpy as np

    from analysis import maintenance, queries, statistics
    from analysis.models import SampleGroup
    from analysis.sums import GroupSums
    from assessments import scoring
    from tests.factories import published_instrument

    score_1 = scoring.get("score-1")
    instrument = published_instrument()
    lineage = statistics.lineage(instrument.pk, queries.scored_item_rows())
    found = statistics.groups(lineage)
    (pool, plan), *others = found.plans.items()
    assert not others, "instrument 1.0 alone has one sample group"
    group = GroupSums(plan)
    data = group.data
    dims = [score_1.DIMENSIONS.index(c.dimension) for c in lineage.columns]
    generator = np.random.default_rng(SEED)
    data["n"], data["modes"] = count, {"both": count}
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        level = generator.normal(size=(size, len(score_1.DIMENSIONS)))[:, dims]
        noise = generator.normal(scale=1.2, size=(size, len(dims)))
        keyed = np.clip(np.rint(4 + 1.2 * level + noise), 1, 7)
        keyed[generator.random(size=keyed.shape) < SKIP_SHARE] = 0
        for key, cols in plan.scales:
            block = keyed[:, cols]
            block = block[(block > 0).all(axis=1)]
            scale = data["scales"][key]
            scale["n"] += len(block)
            scale["x"] = [a + int(b) for a, b in zip(scale["x"], block.sum(axis=0), strict=True)]
            cross = block.T @ block
            scale["xy"] = [
                [a + int(b) for a, b in zip(line, row, strict=True)]
                for line, row in zip(scale["xy"], cross, strict=True)
            ]
        for c in plan.items:
            counts = np.bincount(keyed[:, c].astype(np.int64), minlength=8)
            data["items"][str(c)] = [
                a + int(b) for a, b in zip(data["items"][str(c)], counts, strict=True)
            ]
        totals = {}
        for code, cols in plan.dimensions:
            block = keyed[:, cols]
            totals[code] = np.where((block > 0).all(axis=1), block.sum(axis=1), np.nan)
        for key, pair in data["pairs"].items():
            a, b = (totals[code] for code in key.split("|"))
            both = ~(np.isnan(a) | np.isnan(b))
            a, b = a[both], b[both]
            for slot, value in enumerate((len(a), a.sum(), b.sum(), a @ a, b @ b, a @ b)):
                pair[slot] += int(value)
    for key in data["patterns"]:
        data["patterns"][key] = int(generator.binomial(count, 0.05))
    SampleGroup.objects.filter(instrument_version=instrument).delete()
    SampleGroup.objects.create(
        instrument_version=instrument,
        pool=maintenance.pool_key(pool),
        plan=maintenance.plan_digest(plan),
        sums=data,
    )


def run_sums(counts: list[int]) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as directory:
        setup(directory)
        from django.db import connection

        rows = []
        try:
            for count in counts:
                start = time.perf_counter()
                synthetic_sums(count)
                built = time.perf_counter() - start
                _, best, cpu, queries, status = time_page(f"bench-admin-{count}")
                rows += [
                    (f"kept sums of {count:,} respondents", f"{built:.1f} s to make (not timed)"),
                    (f"statistics page on them, best of 3 ({connection.vendor})",
                     f"{best * 1000:.0f} ms (HTTP {status}), CPU {cpu * 1000:.0f} ms, "
                     f"{queries} queries"),
                ]  # fmt: skip
        finally:
            connection.creation.destroy_test_db(
                connection.settings_dict["NAME"], verbosity=0, keepdb=False
            )
    rows.append(
        ("load average while measuring", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    )
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--sums":
        rows = run_sums([int(n) for n in sys.argv[2:]] or [10_000, 100_000, 1_000_000])
    else:
        rows = run(int(sys.argv[1]) if len(sys.argv) > 1 else PROFILES)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
