"""A person's practice data in their JSON export, and what an account deletion ends."""

from typing import Any

from practice import notes
from practice.models import Connection, PractitionerProfile, ShareAccess


def agreed_practice(connection: Connection) -> dict[str, str] | None:
    found = notes.agreed_practice_of(connection)
    if found is None:
        return None
    return {"text": found.text, "updated_at": found.updated_at.isoformat()}


def export_part(user) -> dict[str, Any]:
    connections = (
        Connection.objects.filter(person=user)
        .select_related("practitioner", "agreed_practice")
        .prefetch_related("shares__profile", "share_reminders")
        .order_by("created_at", "pk")
    )
    status = PractitionerProfile.objects.filter(user=user).first()
    return {
        "connections": [
            {
                "id": str(c.public_id),
                "practitioner": c.practitioner.display_name,
                "profession": c.practitioner.profession,
                "organisation": c.practitioner.organisation,
                "connected_at": c.created_at.isoformat(),
                "ended_at": c.ended_at.isoformat() if c.ended_at else None,
                "ended_by": c.ended_by or None,
                "shows_submission_dates": c.show_submission_dates,
                "shares_check_in": c.share_checkin,
                "shares_future_profiles": c.share_future,
                "future_profiles_level": c.future_level,
                "shares_live_moments": c.share_moments,
                "name_shown_to_practitioner": c.person_display_name,
                "allows_share_reminders": c.allows_share_reminders,
                "share_reminders": {
                    "sent": c.share_reminders_sent,
                    "dates": [r.sent_at.isoformat() for r in c.share_reminders.all()],
                },
                # Shown to the person, so theirs too; the practitioner's private notes are not.
                "agreed_practice": agreed_practice(c),
                "shares": [
                    {
                        "profile": str(share.profile.public_id),
                        "level": share.level,
                        "shared_at": share.created_at.isoformat(),
                        "changed_at": share.updated_at.isoformat(),
                    }
                    for share in c.shares.all()
                ],
            }
            for c in connections
        ],
        "views_of_what_you_shared": [
            {
                "at": entry.at.isoformat(),
                "who": entry.practitioner_name,
                "what": entry.what,
                "profile": str(entry.profile_public_id) if entry.profile_public_id else None,
                "connection": str(entry.connection.public_id),
            }
            for entry in ShareAccess.objects.filter(connection__person=user).select_related(
                "connection"
            )
        ],
        "practitioner_status": None
        if status is None
        else {
            "display_name": status.display_name,
            "profession": status.profession,
            "organisation": status.organisation,
            "status": status.status,
            "requested_at": status.requested_at.isoformat(),
        },
    }
