"""Practice's reads. Access to shared content goes through `live_share` (one shared profile)
and `brief_source` (the pre-session brief) alone; both answer 404 without a live share."""

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.http import Http404, HttpRequest

from practice import clients as client_views
from practice.brief import BriefSource
from practice.clients import ClientRow
from practice.models import Connection, Invitation, PractitionerProfile, Share, ShareAccess
from profiles.models import Profile, ResultSnapshot


def approved_practitioner(request: HttpRequest) -> PractitionerProfile:
    """The signed-in practitioner, approved; anyone else gets 404."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    practitioner = PractitionerProfile.objects.filter(
        user=user, status=PractitionerProfile.Status.APPROVED
    ).first()
    if practitioner is None:
        raise Http404
    return practitioner


def own_status(user) -> PractitionerProfile | None:
    return PractitionerProfile.objects.filter(user=user).first()


def person_connections(user) -> QuerySet[Connection]:
    shares = Share.objects.select_related("profile").order_by("-profile__submitted_at")
    return (
        Connection.objects.filter(person=user)
        .select_related("practitioner", "agreed_practice")
        .prefetch_related(Prefetch("shares", queryset=shares))
        .order_by("ended_at", "-created_at")
    )


def person_connection(user, public_id) -> Connection:
    connection = Connection.objects.filter(person=user, public_id=public_id).first()
    if connection is None:
        raise Http404
    return connection


def person_access_log(user) -> QuerySet[ShareAccess]:
    return ShareAccess.objects.filter(connection__person=user).select_related("connection")


def person_submitted_profiles(user) -> list[Profile]:
    return list(
        Profile.objects.filter(user=user, submitted_at__isnull=False).order_by("-submitted_at")
    )


def practitioner_invitations(practitioner: PractitionerProfile) -> QuerySet[Invitation]:
    return Invitation.objects.filter(practitioner=practitioner)


def practitioner_invitation(practitioner, public_id) -> Invitation:
    invitation = Invitation.objects.filter(practitioner=practitioner, public_id=public_id).first()
    if invitation is None:
        raise Http404
    return invitation


def client_rows(practitioner: PractitionerProfile, now) -> list[ClientRow]:
    """The clients list (practice/clients.py): every connection and every invitation not
    accepted, in three queries however many there are."""
    newest_share = (
        Share.objects.filter(connection=OuterRef("pk"), profile__submitted_at__isnull=False)
        .order_by("-profile__submitted_at", "-profile__pk")
        .values("profile_id")[:1]
    )
    connections = list(
        Connection.objects.filter(practitioner=practitioner)
        .select_related("invitation")
        .annotate(
            share_count=Count("shares"),
            last_shared=Max("shares__profile__submitted_at"),
            newest_shared_id=Subquery(newest_share),
        )
    )
    qualities = newest_qualities(
        [c.newest_shared_id for c in connections if c.newest_shared_id and c.is_live]
    )
    rows = [
        client_views.connection_row(c, quality=qualities.get(c.newest_shared_id), now=now)
        for c in connections
    ]
    invitations = Invitation.objects.filter(practitioner=practitioner, connection__isnull=True)
    rows += [client_views.invitation_row(i, now=now) for i in invitations]
    return rows


def newest_qualities(profile_ids: list[int]) -> dict[int, str]:
    """Profile id → the answer-quality level of its newest snapshot, in one query that reads
    that one value, not the snapshots."""
    if not profile_ids:
        return {}
    found: dict[int, str] = {}
    rows = (
        ResultSnapshot.objects.filter(profile_id__in=profile_ids)
        .annotate(quality=KT("data__quality__level"))
        .order_by("profile_id", "-created_at", "-pk")
        .values_list("profile_id", "quality")
    )
    for profile_id, quality in rows:
        found.setdefault(profile_id, quality)
    return found


def practitioner_connection(practitioner, public_id) -> Connection:
    connection = (
        Connection.objects.filter(practitioner=practitioner, public_id=public_id)
        .select_related("person", "agreed_practice")
        .first()
    )
    if connection is None:
        raise Http404
    return connection


def submission_dates(connection: Connection) -> list:
    if not connection.is_live or not connection.show_submission_dates:
        return []
    return list(
        Profile.objects.filter(user_id=connection.person_id, submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
    )


def shared_moments_level(connection: Connection) -> str | None:
    """The level at which the person shares their live moments on this connection, or None
    (not shared, or the connection ended): read from the row fetched on this request."""
    if not connection.is_live or not connection.share_moments:
        return None
    return connection.moments_level


def live_share(practitioner, connection_id, profile_id) -> Share:
    """The share, only while it and its connection are live; anything else is 404."""
    share = (
        Share.objects.filter(
            Q(connection__ended_at__isnull=True) & Q(connection__person__isnull=False),
            connection__practitioner=practitioner,
            connection__public_id=connection_id,
            profile__public_id=profile_id,
            profile__submitted_at__isnull=False,
        )
        .select_related("connection__practitioner", "profile")
        .first()
    )
    if share is None:
        raise Http404
    return share


def brief_source(practitioner, connection_id) -> BriefSource:
    """The practitioner's live connection with what the brief reads (practice/brief.py): the
    newest shared profile and the shared one before it, each with its newest snapshot. Four
    queries however many profiles are shared; 404 without a live connection and a live share."""
    connection = (
        Connection.objects.filter(
            practitioner=practitioner,
            public_id=connection_id,
            ended_at__isnull=True,
            person__isnull=False,
        )
        .select_related("practitioner__membership__organisation")  # the brief's branding
        .first()
    )
    if connection is None:
        raise Http404
    shares = list(
        Share.objects.filter(connection=connection, profile__submitted_at__isnull=False)
        .select_related("profile__instrument_version")
        .order_by("-profile__submitted_at", "-profile__pk")
    )
    chosen = shares[:2]
    snapshots: dict[int, ResultSnapshot] = {}
    for snapshot in ResultSnapshot.objects.filter(
        profile_id__in=[share.profile_id for share in chosen]
    ).order_by("-created_at", "-pk"):
        snapshots.setdefault(snapshot.profile_id, snapshot)
    chosen = [share for share in chosen if share.profile_id in snapshots]
    if not chosen:
        raise Http404
    for share in chosen:
        share.connection = connection  # the one already read, for the log and the brief
    previous = chosen[1] if len(chosen) > 1 else None
    return BriefSource(
        connection=connection,
        share=chosen[0],
        snapshot=snapshots[chosen[0].profile_id],
        previous=previous,
        previous_snapshot=previous and snapshots[previous.profile_id],
        share_count=len(shares),
    )
