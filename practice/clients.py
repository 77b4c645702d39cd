"""The practitioner's clients list (PRACTICE.md §5): one row per invitation or connection.

An invitation that was accepted is shown as its connection; every other invitation is a row of
its own (invited, expired or not accepted). Rows are built from three reads whatever their
number (practice/queries.py `client_rows`), then searched and sorted here.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from practice.models import SHARE_REMINDERS_MAX

RETAKE_AFTER = timedelta(weeks=6)  # "retake due" from 6 weeks after the last shared profile

INVITED, EXPIRED, NOT_ACCEPTED, CONNECTED, SHARED, ENDED = (
    "invited", "expired", "not_accepted", "connected", "shared", "ended",
)  # fmt: skip
STATUS_WORDS = {
    INVITED: _("invited"),
    EXPIRED: _("expired"),
    NOT_ACCEPTED: _("not accepted"),
    CONNECTED: _("connected"),
    SHARED: _("shared"),
    ENDED: _("ended"),
}
# The "status" sort: who has something to read first, who is gone last.
STATUS_ORDER = {SHARED: 0, CONNECTED: 1, INVITED: 2, EXPIRED: 3, NOT_ACCEPTED: 4, ENDED: 5}

SORTS = {
    "recent": _("Newest first"),
    "name": _("Name (A to Z)"),
    "status": _("Status"),
    "last_shared": _("Last shared profile"),
    "retake": _("Retake due first"),
}
DEFAULT_SORT = "recent"
PAGE_SIZE = 50  # rows per page: a page costs the same to render however many clients there are


@dataclass(frozen=True)
class ClientRow:
    kind: str  # "connection" or "invitation"
    public_id: object
    name: str  # the person's chosen display name, else the invitation's address, else ""
    status: str
    since: datetime  # connected at, or invited at
    last_shared: datetime | None = None
    quality: str | None = None  # the last shared profile's answer quality: ok, caution, low
    retake_from: datetime | None = None
    retake_due: bool = False
    reminders_sent: int | None = None  # reminders to share, for a connection with nothing shared
    reminders_off: bool = False  # the person switched them off

    @property
    def status_word(self) -> str:
        return str(STATUS_WORDS[self.status])

    @property
    def reminders_max(self) -> int:
        return SHARE_REMINDERS_MAX

    @property
    def quality_caution(self) -> bool:
        return self.quality not in (None, "ok")


def connection_row(connection, *, quality: str | None, now: datetime) -> ClientRow:
    invitation = getattr(connection, "invitation", None)
    name = connection.person_display_name or (invitation.email if invitation else "")
    if connection.ended_at is not None or connection.person_id is None:
        status = ENDED
    elif connection.share_count:
        status = SHARED
    else:
        status = CONNECTED
    last_shared = connection.last_shared if status == SHARED else None
    retake_from = last_shared + RETAKE_AFTER if last_shared else None
    return ClientRow(
        kind="connection",
        public_id=connection.public_id,
        name=name,
        status=status,
        since=connection.created_at,
        last_shared=last_shared,
        quality=quality if status == SHARED else None,
        retake_from=retake_from,
        retake_due=retake_from is not None and retake_from <= now,
        reminders_sent=connection.share_reminders_sent if status == CONNECTED else None,
        reminders_off=status == CONNECTED and not connection.allows_share_reminders,
    )


def invitation_row(invitation, *, now: datetime) -> ClientRow:
    if invitation.status == invitation.Status.DECLINED:
        status = NOT_ACCEPTED
    elif invitation.is_expired(now):
        status = EXPIRED
    else:
        status = INVITED
    return ClientRow(
        kind="invitation",
        public_id=invitation.public_id,
        name=invitation.email,
        status=status,
        since=invitation.created_at,
    )


def matches(row: ClientRow, search: str) -> bool:
    return not search or search.casefold() in row.name.casefold()


def sorted_rows(rows: list[ClientRow], sort: str) -> list[ClientRow]:
    """Newest first within equal keys, so every sort is stable and predictable."""
    rows = sorted(rows, key=lambda row: row.since, reverse=True)
    if sort == "name":
        # Rows without a name go last.
        return sorted(rows, key=lambda row: (row.name == "", row.name.casefold()))
    if sort == "status":
        return sorted(rows, key=lambda row: STATUS_ORDER[row.status])
    if sort == "last_shared":
        shared = sorted(
            (row for row in rows if row.last_shared), key=lambda r: r.last_shared, reverse=True
        )
        return shared + [row for row in rows if not row.last_shared]
    if sort == "retake":
        waiting = sorted((row for row in rows if row.retake_from), key=lambda r: r.retake_from)
        return waiting + [row for row in rows if not row.retake_from]
    return rows
