"""Statistics kept constant in N (issue 20 line 6): exact sums per sample group, kept current.

Every published or retired version has one `SampleGroup` per pool of versions its page reads
(`statistics.groups`) and per locale (issue 16 line 4: German and English respondents are
never pooled). English groups are built with the version's first page view; another locale's
with the first view of that locale's page, and from then on they are kept like English ones.
Each §5.1 sample unit (an account, or an anonymous profile) that is in a group's sample has one
`Contribution` row there naming the profile and snapshot it added, with that profile's keyed
answers, mode and patterns, so it can be taken away exactly.

- `reconcile(units)` (the task `analysis.tasks.update_statistics`) brings units up to date:
  per group, under the group row's lock, it works out which profile of the unit the §5.1 rule
  picks now (earliest submitted whose newest snapshot is not of low quality), and when that is
  not what the contribution row says, takes the old one away and adds the new one. Submitting,
  re-scoring (a new snapshot), an account taking over a profile, and a later profile becoming
  the earliest non-low one all come down to this; running it twice changes nothing.
- `remove_profile` runs inside the transaction that deletes a profile: its contributions are
  taken away there, so no copy of its answers outlives it; the account is then reconciled
  after the commit, so its next profile can take the place.
- `rebuild(instrument)` builds a version's groups from the answers (the management command
  `rebuild_statistics`, and the first view of a version that has none yet).
- `item_statistics(instrument)` is the page's read: the groups' sums only, O(items²) numbers.
  Drafts are computed from the answers each time (their items, so their pools, still change).
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from analysis import queries, statistics, sums
from analysis.models import Contribution, SampleGroup
from assessments.locales import SOURCE_LOCALE
from assessments.models import InstrumentVersion
from profiles.models import Answer, Profile


class Computed(NamedTuple):
    report: statistics.Report
    computed_at: datetime  # when the sums last changed (the page says "as of")


def unit_of(user_id: int | None, profile_id: int) -> str:
    return f"profile:{profile_id}" if user_id is None else f"user:{user_id}"


def pool_key(pool: Iterable[int]) -> str:
    return ",".join(map(str, sorted(pool)))


def plan_digest(plan: sums.Plan) -> str:
    return hashlib.sha256(repr(plan).encode()).hexdigest()


def _digits(keyed: bytes) -> str:
    return "".join(map(str, keyed))


def _undigits(text: str) -> list[int]:
    return list(map(int, text))


def maintained(instrument: InstrumentVersion) -> bool:
    return instrument.status != InstrumentVersion.Status.DRAFT


# ----------------------------------------------------------------------------- read
def item_statistics(instrument: InstrumentVersion, locale: str = SOURCE_LOCALE) -> Computed:
    """The page's figures for the profiles taken in `locale`."""
    if not maintained(instrument):
        return Computed(queries.item_statistics(instrument, locale), timezone.now())
    lineage = statistics.lineage(instrument.pk, queries.scored_item_rows())
    found = load(instrument, lineage, locale)
    if found is None:
        rebuild(instrument, locale=locale)
        found = load(instrument, lineage, locale)
    built, changed = found
    return Computed(statistics.report(lineage, built), changed)


def kept_locales(instrument: InstrumentVersion) -> list[str]:
    """English and every locale whose groups this version keeps."""
    stored = SampleGroup.objects.filter(instrument_version=instrument).values_list(
        "locale", flat=True
    )
    return sorted({SOURCE_LOCALE, *stored}, key=lambda locale: (locale != SOURCE_LOCALE, locale))


def load(
    instrument: InstrumentVersion, lineage: statistics.Lineage, locale: str = SOURCE_LOCALE
) -> tuple[dict[frozenset[int], sums.GroupSums], datetime] | None:
    """The version's stored groups of `locale`, or None when one is missing or holds another
    plan."""
    plans = statistics.groups(lineage).plans
    stored = {
        row.pool: row
        for row in SampleGroup.objects.filter(instrument_version=instrument, locale=locale).only(
            "pool", "plan", "sums", "updated_at"
        )
    }
    built = {}
    for pool, plan in plans.items():
        row = stored.get(pool_key(pool))
        if row is None or row.plan != plan_digest(plan):
            return None
        built[pool] = sums.GroupSums(plan, row.sums)
    changed = max((row.updated_at for row in stored.values()), default=timezone.now())
    return built, changed


# ----------------------------------------------------------------------------- rebuild
def _lock_groups_table() -> None:
    """A rebuild and the incremental updates take turns (PostgreSQL; SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {SampleGroup._meta.db_table} IN EXCLUSIVE MODE")


@queries.cycle_collector_paused()
@transaction.atomic
def rebuild(instrument: InstrumentVersion, *, locale: str | None = None) -> int:
    """Replace the version's groups of `locale` (default: of every locale it keeps) by sums
    built from scratch; returns the number of groups."""
    _lock_groups_table()
    lineage = statistics.lineage(instrument.pk, queries.scored_item_rows())
    locales = [locale] if locale is not None else kept_locales(instrument)
    return sum(_rebuild_locale(instrument, lineage, one) for one in locales)


def _rebuild_locale(instrument: InstrumentVersion, lineage: statistics.Lineage, locale: str) -> int:
    found = statistics.groups(lineage)
    profiles = queries.submitted_profiles(lineage.layouts, locale)
    rows = queries.profile_rows(profiles)
    snapshots = queries.latest_snapshots_with_ids(profiles)
    quality = {pid: s.quality for pid, (_, s) in snapshots.items()}
    samples = {
        pool: statistics.select_sample([p for p in rows if p.version_id in pool], quality)
        for pool in found.plans
    }
    wanted = {p.id: p.version_id for sample in samples.values() for p in sample}
    keyed = dict.fromkeys(wanted, bytes(len(lineage.columns)))
    for profile_id, given in queries.packed_answers(profiles.filter(pk__in=list(wanted))):
        keyed[profile_id] = statistics.keyed_row(lineage, wanted[profile_id], given)
    SampleGroup.objects.filter(instrument_version=instrument, locale=locale).delete()
    for pool, plan in found.plans.items():
        sample = samples[pool]
        entries = [
            (keyed[p.id], p.mode, statistics.pattern_keys(snapshots[p.id][1])) for p in sample
        ]
        group = SampleGroup.objects.create(
            instrument_version=instrument,
            pool=pool_key(pool),
            locale=locale,
            plan=plan_digest(plan),
            sums=sums.GroupSums.of_rows(plan, entries).data,
        )
        Contribution.objects.bulk_create(
            (
                Contribution(
                    group=group,
                    unit=unit_of(p.user_id, p.id),
                    profile_id=p.id,
                    snapshot_id=snapshots[p.id][0],
                    keyed=_digits(keyed[p.id]),
                    mode=p.mode,
                    patterns=entry[2],
                )
                for p, entry in zip(sample, entries, strict=True)
            ),
            batch_size=2000,
        )
    return len(found.plans)


def rebuild_all() -> int:
    versions = InstrumentVersion.objects.exclude(status=InstrumentVersion.Status.DRAFT)
    return sum(rebuild(version) for version in versions.order_by("pk"))


# ----------------------------------------------------------------------------- incremental
def _unit_profiles(unit: str):
    kind, number = unit.split(":")
    submitted = Profile.objects.filter(submitted_at__isnull=False)
    if kind == "user":
        return submitted.filter(user_id=int(number))
    return submitted.filter(pk=int(number), user__isnull=True)


def reconcile(units: Iterable[str]) -> int:
    """Bring each unit's contributions up to date; returns how many contributions changed."""
    return sum(_reconcile(unit) for unit in sorted(set(units)))


@transaction.atomic
def _reconcile(unit: str) -> int:
    profiles = _unit_profiles(unit)
    versions = set(profiles.values_list("instrument_version_id", flat=True))
    candidates = [
        pk
        for pk, pool in SampleGroup.objects.values_list("pk", "pool")
        if versions & set(map(int, pool.split(",")))
    ]
    held = Contribution.objects.filter(unit=unit).values_list("group_id", flat=True)
    ids = sorted({*candidates, *held})
    if not ids:
        return 0
    # Locked in id order, so concurrent updates of different units never deadlock.
    locked = list(SampleGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    rows = queries.profile_rows(profiles)  # read again under the lock: the current state
    snapshots = queries.latest_snapshots_with_ids(profiles)
    quality = {pid: s.quality for pid, (_, s) in snapshots.items()}
    current = {c.group_id: c for c in Contribution.objects.filter(unit=unit, group__in=locked)}
    lineages: dict[int, statistics.Lineage] = {}
    items = None
    answers: dict[int, dict[int, int]] = {}
    changed = 0
    for group in locked:
        if group.instrument_version_id not in lineages:
            items = items if items is not None else queries.scored_item_rows()
            lineages[group.instrument_version_id] = statistics.lineage(
                group.instrument_version_id, items
            )
        lineage = lineages[group.instrument_version_id]
        pool = frozenset(map(int, group.pool.split(",")))
        plan = statistics.groups(lineage).plans.get(pool)
        if plan is None or plan_digest(plan) != group.plan:
            continue  # a stale group: the next rebuild replaces it
        chosen = statistics.select_sample(
            [p for p in rows if p.version_id in pool and p.locale == group.locale], quality
        )
        desired = chosen[0] if chosen else None
        held_now = current.get(group.pk)
        now = None if desired is None else (desired.id, snapshots[desired.id][0])
        if held_now is not None and (held_now.profile_id, held_now.snapshot_id) == now:
            continue
        if desired is None and held_now is None:
            continue
        kept = sums.GroupSums(plan, group.sums)
        if held_now is not None:
            kept.add(_undigits(held_now.keyed), held_now.mode, held_now.patterns, -1)
        if desired is None:
            held_now.delete()
        else:
            if desired.id not in answers:
                answers[desired.id] = dict(
                    Answer.objects.filter(profile_id=desired.id, value__isnull=False).values_list(
                        "item_version_id", "value"
                    )
                )
            keyed = statistics.keyed_row(lineage, desired.version_id, answers[desired.id])
            patterns = statistics.pattern_keys(snapshots[desired.id][1])
            kept.add(keyed, desired.mode, patterns)
            Contribution.objects.update_or_create(
                group=group,
                unit=unit,
                defaults={
                    "profile_id": desired.id,
                    "snapshot_id": snapshots[desired.id][0],
                    "keyed": _digits(keyed),
                    "mode": desired.mode,
                    "patterns": patterns,
                },
            )
        group.sums = kept.data
        group.save(update_fields=["sums", "updated_at"])
        changed += 1
    return changed


def remove_profile(profile: Profile) -> None:
    """Take a profile out of every group, in the transaction that deletes it."""
    held = list(Contribution.objects.filter(profile_id=profile.pk))
    if not held:
        return
    groups = {
        g.pk: g
        for g in SampleGroup.objects.select_for_update()
        .filter(pk__in=[c.group_id for c in held])
        .order_by("pk")
    }
    items = queries.scored_item_rows()
    for contribution in held:
        group = groups[contribution.group_id]
        lineage = statistics.lineage(group.instrument_version_id, items)
        plan = statistics.groups(lineage).plans.get(frozenset(map(int, group.pool.split(","))))
        if plan is not None and plan_digest(plan) == group.plan:
            kept = sums.GroupSums(plan, group.sums)
            kept.add(_undigits(contribution.keyed), contribution.mode, contribution.patterns, -1)
            group.sums = kept.data
            group.save(update_fields=["sums", "updated_at"])
    Contribution.objects.filter(Q(pk__in=[c.pk for c in held])).delete()


def ensure_all() -> int:
    """Rebuild each published or retired version whose groups (of a locale it keeps) are
    missing or stale."""
    built = 0
    items = queries.scored_item_rows()
    for version in InstrumentVersion.objects.exclude(status=InstrumentVersion.Status.DRAFT):
        lineage = statistics.lineage(version.pk, items)
        stale = [loc for loc in kept_locales(version) if load(version, lineage, loc) is None]
        for locale in stale:
            rebuild(version, locale=locale)
        built += bool(stale)
    return built
