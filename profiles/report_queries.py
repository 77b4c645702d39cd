"""Reads for the report pages: own profiles with their snapshots (the item-version lineage
read lives in assessments.queries and is re-exported here)."""

from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from assessments import queries as instrument_queries
from assessments.queries import LineageRow, scored_item_lineage  # noqa: F401 (re-exported)
from profiles import queries
from profiles.models import Profile, ReportPdf, ResultSnapshot


def _newest_snapshots_first() -> Prefetch:
    snapshots = ResultSnapshot.objects.order_by("-created_at", "-pk")
    return Prefetch("snapshots", queryset=snapshots, to_attr="snapshots_newest_first")


def own_submitted_with_snapshots(request: HttpRequest) -> QuerySet[Profile]:
    """The signed-in person's submitted profiles, newest first; each has
    `snapshots_newest_first` loaded, so the whole list costs two queries."""
    return (
        queries.own_submitted(request)
        .filter(user=request.user)
        .select_related("instrument_version")
        .prefetch_related(_newest_snapshots_first())
        .order_by("-submitted_at", "-pk")
    )


def previous_submitted(profile: Profile) -> Profile | None:
    """The same account's profile with a result submitted just before `profile` (None for an
    anonymous profile or a first one), with `snapshots_newest_first` loaded: two queries."""
    if profile.user_id is None or profile.submitted_at is None:
        return None
    return (
        Profile.objects.filter(user_id=profile.user_id, submitted_at__lt=profile.submitted_at)
        .filter(snapshots__isnull=False)
        .distinct()
        .exclude(pk=profile.pk)
        .select_related("instrument_version")
        .prefetch_related(_newest_snapshots_first())
        .order_by("-submitted_at", "-pk")
        .first()
    )


def own_unfinished(request: HttpRequest) -> QuerySet[Profile]:
    return (
        queries.own_drafts(request)
        .filter(user=request.user)
        .select_related("instrument_version")
        .order_by("-updated_at")
    )


def own_pair(request: HttpRequest, first: UUID, second: UUID) -> list[Profile]:
    """Both profiles if this request may see them (else fewer), earlier submission first,
    each with `snapshots_newest_first` loaded."""
    return list(
        queries.own_submitted(request)
        .filter(public_id__in=[first, second])
        .select_related("instrument_version")
        .prefetch_related(_newest_snapshots_first())
        .order_by("submitted_at", "pk")
    )


def stored_pdf(snapshot: ResultSnapshot) -> ReportPdf | None:
    return ReportPdf.objects.filter(snapshot=snapshot, copy_version=snapshot.copy_version).first()


def snapshot_copy(snapshot: ResultSnapshot) -> dict:
    """The texts a snapshot's report reads: its copy version in its locale (issue 16 line 4),
    whatever the interface language. Raises `CopyLocaleUnavailable` when the copy is not
    released in that locale; never English in its place."""
    return instrument_queries.copy_texts(snapshot.copy_version, snapshot.locale)
