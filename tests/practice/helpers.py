"""A practitioner, a person with a submitted profile, and the steps between them."""

import uuid

from django.test import Client

from practice import services, tokens
from practice.models import PractitionerProfile
from profiles import services as profile_services
from tests.factories import ProfileFactory, UserFactory, answer_all


def practitioner(name: str = "Robin Example", **extra) -> PractitionerProfile:
    return PractitionerProfile.objects.create(
        user=UserFactory(),
        display_name=name,
        profession="Couples therapist",
        status=PractitionerProfile.Status.APPROVED,
        **extra,
    )


def submitted_profile(user, value: int = 5):
    profile = ProfileFactory(user=user)
    answer_all(profile, value=value)
    profile_services.submit_profile(profile=profile)
    profile.refresh_from_db()
    return profile


def invite(of: PractitionerProfile, **extra):
    invitation, _ = services.create_invitation(
        practitioner=of, nonce=uuid.uuid4(), days=extra.pop("days", 14), **extra
    )
    return invitation, tokens.invitation_token(invitation.nonce)


def connect(of: PractitionerProfile, person, **extra):
    invitation, _token = invite(of)
    return services.accept(invitation=invitation, person=person, show_submission_dates=True)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def organisation(name: str = "Harbour Practice", **extra):
    from practice.models import Organisation

    return Organisation.objects.create(name=name, **extra)


def organisation_admin(of):
    """A new account that manages the organisation `of`."""
    from practice import organisations

    user = UserFactory()
    organisations.add_admin(organisation=of, user=user, added_by=None)
    return user


def join(of, practitioner_profile):
    from practice.models import Membership

    return Membership.objects.create(organisation=of, practitioner=practitioner_profile)
