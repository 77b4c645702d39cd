"""Organisations' writes (§6): admins, practitioners invited by e-mail and removed, branding.

An organisation never reaches a person: nothing here reads a connection's person or a share.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.queries import published_copy
from practice import branding, tokens
from practice.models import (
    INVITATIONS_PER_DAY,
    ORGANISATION_INVITATION_DAYS,
    Membership,
    Organisation,
    OrganisationAdmin,
    OrganisationInvitation,
    PractitionerProfile,
)


class Refused(Exception):
    """The write would break a rule; `key` names the organisations copy text that says why."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def add_admin(*, organisation: Organisation, user, added_by) -> OrganisationAdmin:
    """Staff name an admin (in the Django admin, logged there); an account manages one."""
    admin, _created = OrganisationAdmin.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "added_by": added_by}
    )
    return admin


def invite_practitioner(
    *, organisation: Organisation, invited_by, email: str, nonce: uuid.UUID
) -> tuple[OrganisationInvitation, bool]:
    """(invitation, created); the same form sent twice gives the first invitation back. At most
    50 a day per organisation, as for a practitioner's invitations (§3)."""
    with transaction.atomic():
        # One organisation's invitations are made one at a time, so the daily cap holds.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        existing = OrganisationInvitation.objects.filter(nonce=nonce).first()
        if existing is not None:
            if existing.organisation_id != organisation.pk:
                raise Refused("form_used")
            return existing, False
        now = timezone.now()
        recent = OrganisationInvitation.objects.filter(
            organisation=organisation, created_at__gt=now - timedelta(days=1)
        ).count()
        if recent >= INVITATIONS_PER_DAY:
            raise Refused("invite_limit")
        invitation = OrganisationInvitation.objects.create(
            organisation=organisation,
            invited_by=invited_by,
            nonce=nonce,
            token_hash=tokens.token_hash(tokens.organisation_invitation_token(nonce)),
            email=email,
            created_at=now,
            expires_at=now + timedelta(days=ORGANISATION_INVITATION_DAYS),
            copy_version=published_copy().version,
        )
    return invitation, True


def invitation_for_token(token: str) -> OrganisationInvitation | None:
    if not token or len(token) > 100:
        return None
    return (
        OrganisationInvitation.objects.select_related("organisation")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )


def join(*, invitation: OrganisationInvitation, user) -> Membership:
    """The signed-in practitioner (approved or waiting for approval) joins; single use."""
    with transaction.atomic():
        fresh = (
            OrganisationInvitation.objects.select_for_update()
            .select_related("organisation")
            .get(pk=invitation.pk)
        )
        practitioner = (
            PractitionerProfile.objects.select_for_update()
            .filter(
                user=user,
                status__in=[
                    PractitionerProfile.Status.APPROVED,
                    PractitionerProfile.Status.REQUESTED,
                ],
            )
            .first()
        )
        current = (
            Membership.objects.filter(practitioner=practitioner)
            .select_related("organisation")
            .first()
            if practitioner
            else None
        )
        if fresh.accepted_at is not None and current and fresh.accepted_by_id == practitioner.pk:
            return current  # the same practitioner's second click
        if not fresh.is_open():
            raise Refused("join_closed")
        if practitioner is None:
            raise Refused("join_needs_practitioner")
        if current is not None and current.organisation_id != fresh.organisation_id:
            raise Refused("join_other_organisation", organisation=current.organisation.shown_name)
        membership = current or Membership.objects.create(
            organisation=fresh.organisation, practitioner=practitioner
        )
        fresh.accepted_at = timezone.now()
        fresh.accepted_by = practitioner
        fresh.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def remove_member(*, membership: Membership) -> None:
    """The practitioner leaves the organisation. Their connections, invitations and shares stay
    theirs, untouched; the organisation's branding leaves their invitations and briefs with the
    next request (practice/branding.py reads membership live), and its counts stop counting
    them."""
    Membership.objects.filter(pk=membership.pk).delete()


def set_branding(*, organisation: Organisation, display_name: str, accent: str) -> Organisation:
    """`accent` is "" (relcap's own colour) or a colour that passes branding.accent_problem."""
    accent = branding.normalised(accent) if accent else ""
    if accent and branding.accent_problem(accent):
        raise Refused("accent_refused")
    organisation.display_name, organisation.accent = display_name, accent
    organisation.save(update_fields=["display_name", "accent"])
    return organisation
