"""Organisations' reads: the signed-in admin's organisation, its practitioners, and counts.

Counts only (§1.2, §6): per practitioner and month, invitations sent, connections made and
profiles shared, each since the practitioner joined. Nothing here names a person or reads what
anyone shared; a count below 5 (zero too) is shown as "fewer than 5" by `shown_count`.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Value
from django.db.models.functions import Greatest, TruncMonth
from django.http import Http404, HttpRequest
from django.utils import timezone

from practice.models import (
    Connection,
    Invitation,
    Membership,
    Organisation,
    OrganisationInvitation,
    Share,
)

SMALLEST_SHOWN = 5
MONTHS_SHOWN = 6
KINDS = ("invitations", "connections", "shared")


@dataclass(frozen=True)
class MonthCounts:
    month: date
    invitations: str
    connections: str
    shared: str


@dataclass(frozen=True)
class MemberCounts:
    membership: Membership
    months: list[MonthCounts]


def admin_organisation(request: HttpRequest) -> Organisation:
    """The organisation the signed-in account manages; anyone else gets 404."""
    if not request.user.is_authenticated:
        raise Http404
    organisation = Organisation.objects.filter(admins__user=request.user).first()
    if organisation is None:
        raise Http404
    return organisation


def members(organisation: Organisation) -> list[Membership]:
    return list(Membership.objects.filter(organisation=organisation).select_related("practitioner"))


def member(organisation: Organisation, public_id) -> Membership:
    found = Membership.objects.filter(organisation=organisation, public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def open_invitations(organisation: Organisation) -> list[OrganisationInvitation]:
    return list(
        OrganisationInvitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )[:200]
    )


def last_months(today: date, count: int = MONTHS_SHOWN) -> list[date]:
    """The first days of the `count` months up to and including today's, newest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def raw_counts(organisation: Organisation, since: datetime) -> dict[tuple[int, date, str], int]:
    """{(practitioner id, month, kind): n} in one query (a UNION ALL of three aggregates)."""

    def grouped(queryset, practitioner: str, kind: str):
        return (
            queryset.annotate(who=F(practitioner), month=TruncMonth("created_at"), kind=Value(kind))
            .values("who", "month", "kind")
            .annotate(n=Count("pk"))
            .values_list("who", "month", "kind", "n")
            .order_by()
        )

    # Each since `since` and since the practitioner joined; a practitioner has one membership,
    # so the joins never multiply a row.
    invitations = Invitation.objects.filter(
        practitioner__membership__organisation=organisation,
        created_at__gte=Greatest(Value(since), F("practitioner__membership__joined_at")),
    )
    connections = Connection.objects.filter(
        practitioner__membership__organisation=organisation,
        created_at__gte=Greatest(Value(since), F("practitioner__membership__joined_at")),
    )
    shares = Share.objects.filter(
        connection__practitioner__membership__organisation=organisation,
        created_at__gte=Greatest(
            Value(since), F("connection__practitioner__membership__joined_at")
        ),
    )
    rows = grouped(invitations, "practitioner_id", "invitations").union(
        grouped(connections, "practitioner_id", "connections"),
        grouped(shares, "connection__practitioner_id", "shared"),
        all=True,
    )
    return {(who, _as_date(month), kind): n for who, month, kind, n in rows}


def _as_date(month) -> date:
    if isinstance(month, datetime):
        return timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
    return month


def shown_count(n: int, fewer_than_5: str) -> str:
    return str(n) if n >= SMALLEST_SHOWN else fewer_than_5


def member_counts(
    organisation: Organisation, memberships: list[Membership], fewer_than_5: str
) -> list[MemberCounts]:
    months = last_months(timezone.localdate())
    since = timezone.make_aware(datetime.combine(months[-1], datetime.min.time()))
    counts = raw_counts(organisation, since)
    return [
        MemberCounts(
            membership=membership,
            months=[
                MonthCounts(
                    month,
                    *(
                        shown_count(
                            counts.get((membership.practitioner_id, month, kind), 0), fewer_than_5
                        )
                        for kind in KINDS
                    ),
                )
                for month in months
            ],
        )
        for membership in memberships
    ]
