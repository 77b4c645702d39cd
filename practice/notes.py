"""A practitioner's private notes and the one agreed-practice note of a connection (§5).

Notes are written only while the connection is live. After it ends the practitioner can read
and export them for NOTES_KEPT_DAYS days, read-only; then `purge_ended` (a daily task) deletes
them and the agreed practice. The person never sees a note; they see the agreed practice on
their practice page while the connection is live.
"""

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from practice.models import (
    NOTES_KEPT_DAYS,
    AgreedPractice,
    Connection,
    PractitionerNote,
    PractitionerProfile,
)
from practice.services import NotAllowed

ENDED = "This connection has ended: its notes can be read but not changed."


# --- reads -----------------------------------------------------------------------------------


def cutoff(now: datetime | None = None) -> datetime:
    """Connections that ended at or before this moment have no notes any more."""
    return (now or timezone.now()) - timedelta(days=NOTES_KEPT_DAYS)


def readable(connection: Connection, now: datetime | None = None) -> bool:
    """The practitioner may read the notes: live, or ended less than 30 days ago."""
    return connection.ended_at is None or connection.ended_at > cutoff(now)


def deleted_on(connection: Connection) -> date | None:
    """The day an ended connection's notes are deleted."""
    if connection.ended_at is None:
        return None
    return timezone.localdate(connection.ended_at + timedelta(days=NOTES_KEPT_DAYS))


def notes_of(connection: Connection, now: datetime | None = None) -> list[PractitionerNote]:
    """Newest first; one query, none once the notes are past their 30 days."""
    if not readable(connection, now):
        return []
    return list(PractitionerNote.objects.filter(connection=connection))


def agreed_practice_of(connection: Connection) -> AgreedPractice | None:
    """Read from the connection's own row when the query selected it (one-to-one)."""
    try:
        return connection.agreed_practice
    except AgreedPractice.DoesNotExist:
        return None


def practitioner_note(practitioner: PractitionerProfile, connection_id, note_id):
    """The practitioner's own note on their own connection, else 404."""
    note = (
        PractitionerNote.objects.filter(
            public_id=note_id,
            connection__public_id=connection_id,
            connection__practitioner=practitioner,
        )
        .select_related("connection")
        .first()
    )
    if note is None:
        raise Http404
    return note


def live_agreed_practices(user) -> list[AgreedPractice]:
    """What the person sees: the agreed practice of each of their live connections, with the
    practitioner's display name; one query."""
    if not user.is_authenticated:
        return []
    return list(
        AgreedPractice.objects.filter(connection__person=user, connection__ended_at__isnull=True)
        .select_related("connection__practitioner")
        .order_by("connection__created_at", "connection__pk")
    )


def export(connection: Connection, now: datetime | None = None) -> dict[str, Any]:
    """The practitioner's download of one connection's notes (and its agreed practice)."""
    agreed = agreed_practice_of(connection)
    ends = deleted_on(connection)
    return {
        "connection": str(connection.public_id),
        "connected_at": connection.created_at.isoformat(),
        "ended_at": connection.ended_at.isoformat() if connection.ended_at else None,
        "notes_deleted_on": ends.isoformat() if ends else None,
        "agreed_practice": None
        if agreed is None
        else {"text": agreed.text, "updated_at": agreed.updated_at.isoformat()},
        "notes": [
            {
                "id": str(note.public_id),
                "created_at": note.created_at.isoformat(),
                "updated_at": note.updated_at.isoformat(),
                "body": note.body,
            }
            for note in notes_of(connection, now)
        ],
    }


# --- writes ----------------------------------------------------------------------------------


def _live_locked(connection: Connection) -> Connection:
    """The connection's row, locked against a concurrent end; NotAllowed once it has ended."""
    fresh = Connection.objects.select_for_update().get(pk=connection.pk)
    if not fresh.is_live:
        raise NotAllowed(ENDED)
    return fresh


def add_note(
    *, connection: Connection, nonce: uuid.UUID, body: str
) -> tuple[PractitionerNote, bool]:
    """(note, created). The same form sent twice gives the first note back."""
    existing = PractitionerNote.objects.filter(nonce=nonce).first()
    if existing is not None:
        if existing.connection_id != connection.pk:
            raise NotAllowed("This form was already used.")
        return existing, False
    try:
        with transaction.atomic():
            _live_locked(connection)
            now = timezone.now()
            note = PractitionerNote.objects.create(
                connection=connection, nonce=nonce, body=body, created_at=now, updated_at=now
            )
    except IntegrityError:  # the same form, sent twice at once: the other request made it
        existing = PractitionerNote.objects.filter(nonce=nonce, connection=connection).first()
        if existing is None:
            raise
        return existing, False
    return note, True


def edit_note(*, note: PractitionerNote, body: str) -> None:
    with transaction.atomic():
        _live_locked(note.connection)
        if note.body != body:
            PractitionerNote.objects.filter(pk=note.pk).update(body=body, updated_at=timezone.now())


def delete_note(*, note: PractitionerNote) -> None:
    with transaction.atomic():
        _live_locked(note.connection)
        PractitionerNote.objects.filter(pk=note.pk).delete()


def set_agreed_practice(*, connection: Connection, text: str) -> AgreedPractice | None:
    """Write, change or (empty text) remove the agreed practice; the same text twice changes
    nothing."""
    text = text.strip()
    with transaction.atomic():
        _live_locked(connection)
        if not text:
            AgreedPractice.objects.filter(connection=connection).delete()
            return None
        found = AgreedPractice.objects.filter(connection=connection).first()
        if found is None:
            return AgreedPractice.objects.create(connection=connection, text=text)
        if found.text != text:
            found.text, found.updated_at = text, timezone.now()
            found.save(update_fields=["text", "updated_at"])
        return found


def purge_ended(now: datetime | None = None) -> int:
    """Deletes the notes and agreed practice of connections that ended 30 days ago or more;
    the number of notes deleted."""
    ended = Connection.objects.filter(ended_at__lte=cutoff(now)).values("pk")
    AgreedPractice.objects.filter(connection__in=ended).delete()
    deleted, _by_model = PractitionerNote.objects.filter(connection__in=ended).delete()
    return deleted
