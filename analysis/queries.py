"""Reads for the admin analysis pages: statistics input in a fixed number of queries, the
pseudonymous response export, and the reliability parameter sets of a version.

The statistics come from four queries whatever the sample size: scored items of every version,
submitted profiles, their snapshots (only the JSON values needed, in one array) and their
answers (packed into one text per profile, streamed); nothing runs per profile, and
`analysis.statistics` does the arithmetic on the plain rows.
"""

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice, repeat
from operator import and_, rshift
from uuid import UUID

from django.db import NotSupportedError
from django.db.models import Aggregate, F, Func, JSONField, QuerySet, TextField
from django.utils import timezone
from django.utils.crypto import salted_hmac

from analysis import statistics
from assessments import scoring
from assessments.locales import SOURCE_LOCALE
from assessments.models import (
    Dimension,
    InstrumentVersion,
    ItemKind,
    ItemVersion,
    ReliabilityParameterSet,
)
from assessments.queries import items_in_order
from profiles.models import Answer, Profile, ResultSnapshot

score_1 = scoring.get("score-1")  # the rules whose snapshots these queries read

ANSWER_CHUNK = 2000  # profiles per fetch when streaming packed answers to the statistics page
VALUE_BITS = 3  # answers 1..7 fit in three bits of a packed code
VALUE_SPAN = 1 << VALUE_BITS
EXPORT_CHUNK = 500  # profiles per batch in the CSV export
PSEUDONYM_SALT = "relcap.export.pseudonym"
PSEUDONYM_LENGTH = 16  # hex characters of HMAC-SHA256: 64 bits, no collisions in practice
ITEM_FIELDS = (
    "id", "instrument_version_id", "code", "dimension", "facet", "context", "reverse",
    "position", "derived_from_id", "change",
)  # fmt: skip
SNAPSHOT_PATHS = (
    ("quality", "level"),
    ("patterns",),
    *(("dimensions", d, key) for d in score_1.DIMENSIONS for key in ("score", "n", "s")),
)
DIMENSION_LABELS = dict(Dimension.choices)


class JSONValues(Func):
    """The values at several paths of a JSON column, as one JSON array.

    One expression instead of a key transform per path: SQLite parses the whole document for
    every JSON_EXTRACT call (4 kB per snapshot, 20 paths), and PostgreSQL decompresses a
    TOASTed jsonb for every `#>`, so there the value is detoasted once in a subquery
    (`|| '{}'` returns the in-memory copy; OFFSET 0 keeps the planner from inlining it).
    """

    output_field = JSONField()

    def __init__(self, column: str, paths: Sequence[tuple[str, ...]]) -> None:
        if len(paths) < 2:  # SQLite returns a bare value, not an array, for a single path
            raise ValueError("JSONValues needs at least two paths")
        super().__init__(F(column))
        self.paths = paths

    def as_sqlite(self, compiler, connection, **extra) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        places = ", ".join(["%s"] * len(self.paths))
        paths = ["$." + ".".join(path) for path in self.paths]
        return f"JSON_EXTRACT({column}, {places})", [*params, *paths]

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        places = ", ".join(["d #> %s"] * len(self.paths))
        inner = f"SELECT {column} || '{{}}'::jsonb AS d OFFSET 0"
        sql = f"(SELECT JSONB_BUILD_ARRAY({places}) FROM ({inner}) AS detoasted)"
        return sql, [*(list(path) for path in self.paths), *params]

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("JSONValues supports SQLite and PostgreSQL only")


class PackedAnswers(Aggregate):
    """A group's answers as comma-separated integers item id · 8 + value (value is 1..7).

    One text per profile instead of one row per answer: the database packs in C, and Python
    unpacks with C-level maps, which is about half the cost of 700,000 row tuples.
    """

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self) -> None:
        super().__init__(F("item_version_id") * VALUE_SPAN + F("value"))

    def as_postgresql(self, compiler, connection, **extra) -> tuple[str, list]:
        template = "%(function)s((%(expressions)s)::text, ',')"
        return self.as_sql(compiler, connection, function="STRING_AGG", template=template)


def unpack_answers(text: str) -> dict[int, int]:
    codes = list(map(int, text.split(",")))
    return dict(
        zip(
            map(rshift, codes, repeat(VALUE_BITS)),
            map(and_, codes, repeat(VALUE_SPAN - 1)),
            strict=True,
        )
    )


def scored_item_rows() -> list[statistics.ItemRow]:
    """Scored items of every instrument version (72 per version), for lineage."""
    rows = ItemVersion.objects.filter(kind=ItemKind.SCORED).values_list(*ITEM_FIELDS)
    return [statistics.ItemRow(*row) for row in rows]


def submitted_profiles(version_ids: Iterable[int], locale: str | None = None) -> QuerySet[Profile]:
    """Submitted profiles of these versions, of one locale's respondents when `locale` is
    given (the statistics never pool two locales, issue 16 line 4)."""
    profiles = Profile.objects.filter(
        instrument_version_id__in=list(version_ids), submitted_at__isnull=False
    )
    return profiles if locale is None else profiles.filter(locale=locale)


def latest_snapshots(profiles: QuerySet[Profile]) -> dict[int, statistics.SnapshotRow]:
    """The newest snapshot of each profile, reduced to quality, (n, S) per dimension, patterns."""
    return {pid: row for pid, (_, row) in latest_snapshots_with_ids(profiles).items()}


def latest_snapshots_with_ids(
    profiles: QuerySet[Profile],
) -> dict[int, tuple[int, statistics.SnapshotRow]]:
    """Like `latest_snapshots`, with each snapshot's id."""
    rows = (
        ResultSnapshot.objects.filter(profile__in=profiles)
        .order_by("profile_id", "created_at", "pk")
        .values_list("profile_id", "pk", JSONValues("data", SNAPSHOT_PATHS))
    )
    snapshots = {}
    for profile_id, pk, (quality, patterns, *scales) in rows:  # later rows replace earlier ones
        triples = zip(scales[0::3], scales[1::3], scales[2::3], strict=True)
        snapshots[profile_id] = (
            pk,
            statistics.SnapshotRow(
                quality,
                tuple(None if score is None else (n, s) for score, n, s in triples),
                frozenset((hit["code"], hit["dimension"]) for hit in patterns or ()),
            ),
        )
    return snapshots


def profile_rows(profiles: QuerySet[Profile]) -> list[statistics.ProfileRow]:
    fields = ("id", "user_id", "instrument_version_id", "context_mode", "submitted_at", "locale")
    return [statistics.ProfileRow(*row) for row in profiles.values_list(*fields)]


def packed_answers(profiles: QuerySet[Profile]) -> Iterator[tuple[int, dict[int, int]]]:
    """(profile id, {item version id: value}) of each profile, answered items only, streamed."""
    answers = (
        Answer.objects.filter(profile__in=profiles, value__isnull=False)
        .order_by()
        .values("profile_id")
        .annotate(packed=PackedAnswers())
        .values_list("profile_id", "packed")
    )
    return ((pid, unpack_answers(text)) for pid, text in answers.iterator(chunk_size=ANSWER_CHUNK))


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk read that makes ~100,000 small objects
    and no reference cycles: it would only rescan them, about 15% of the page's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cycle_collector_paused()
def item_statistics(
    instrument: InstrumentVersion, locale: str = SOURCE_LOCALE
) -> statistics.Report:
    """The page's figures computed from the answers now (drafts, and the tests' reference),
    over the profiles taken in `locale`."""
    lineage = statistics.lineage(instrument.pk, scored_item_rows())
    profiles = submitted_profiles(lineage.layouts, locale)
    return statistics.item_statistics(
        lineage, profile_rows(profiles), latest_snapshots(profiles), packed_answers(profiles)
    )


# ----------------------------------------------------------------------------- export
def pseudonym(public_id: object) -> str:
    """A stable stand-in for a profile: keyed HMAC of its public id, which is itself never
    exported because it opens the person's report."""
    digest = salted_hmac(PSEUDONYM_SALT, str(public_id), algorithm="sha256").hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def export_profiles(instrument: InstrumentVersion) -> QuerySet[Profile]:
    """Submitted profiles of the version whose owners opted in to research use (§7)."""
    return submitted_profiles([instrument.pk]).filter(research_opt_in=True).order_by("pk")


def export_rows(
    instrument: InstrumentVersion,
    chunk_size: int = EXPORT_CHUNK,
    on_batch: Callable[[list[UUID]], None] | None = None,
) -> Iterator[list]:
    """The CSV header, then one row per exported profile, read in short batches.

    Profiles stream through a server-side cursor; answers and snapshots are fetched per batch,
    so no query runs long and nothing is locked (readers never block writers here).
    `on_batch` gets the public ids of each batch before its rows are handed out (the admin
    view logs them as staff access).
    """
    items = list(items_in_order(instrument.pk))
    yield [
        "respondent", "instrument_version", "context_mode", "locale", "submitted_on",
        "quality_level",
        *(f"{item.code}_{kind}" for item in items for kind in ("raw", "keyed")),
        *(f"{d}_score" for d in score_1.DIMENSIONS),
    ]  # fmt: skip
    profiles = (
        export_profiles(instrument)
        .values_list("pk", "public_id", "context_mode", "locale", "submitted_at")
        .iterator(chunk_size=chunk_size)
    )
    while batch := list(islice(profiles, chunk_size)):
        ids = [row[0] for row in batch]
        answers: dict[int, dict[int, int | None]] = defaultdict(dict)
        for profile_id, item_id, value in Answer.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "item_version_id", "value"
        ):
            answers[profile_id][item_id] = value
        snapshots = _export_snapshots(ids)
        if on_batch is not None:
            on_batch([row[1] for row in batch])
        for pk, public_id, mode, locale, submitted_at in batch:
            quality, scores = snapshots.get(pk, ("", ()))
            yield [
                pseudonym(public_id), instrument.version, mode, locale,
                timezone.localdate(submitted_at).isoformat(), quality,
                *_item_cells(items, answers[pk]), *scores,
            ]  # fmt: skip


def _export_snapshots(profile_ids: list[int]) -> dict[int, tuple[str, list[str]]]:
    """Quality level and dimension score texts of each profile's newest snapshot."""
    paths = [("quality", "level"), *(("dimensions", d, "score") for d in score_1.DIMENSIONS)]
    rows = (
        ResultSnapshot.objects.filter(profile_id__in=profile_ids)
        .order_by("profile_id", "created_at", "pk")
        .values_list("profile_id", JSONValues("data", paths))
    )
    return {pid: (quality, [s or "" for s in scores]) for pid, (quality, *scores) in rows}


def _item_cells(items: list[ItemVersion], answers: dict[int, int | None]) -> list:
    cells: list = []
    for item in items:
        raw = answers.get(item.pk)
        keyed = None if raw is None else score_1.LOW + score_1.HIGH - raw if item.reverse else raw
        cells += ["" if raw is None else raw, "" if keyed is None else keyed]
    return cells


# ----------------------------------------------------------------------------- §6 parameters
def parameter_sets_for(
    instrument_version: InstrumentVersion, locale: str | None = None
) -> QuerySet[ReliabilityParameterSet]:
    sets = ReliabilityParameterSet.objects.filter(instrument_version=instrument_version)
    return sets if locale is None else sets.filter(locale=locale)


def version_names(version_ids: Iterable[int]) -> list[str]:
    rows = InstrumentVersion.objects.filter(pk__in=list(version_ids)).order_by("created_at")
    return list(rows.values_list("version", flat=True))
