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


def many_clients(of: PractitionerProfile, count: int, *, since=None) -> list:
    """`count` connections of `of`, each with a person who shares one submitted profile at the
    summary level: one real submission (ASSESSMENT.md's example 3, answer quality ok), then its
    snapshot copied by bulk_create (fast enough for 500 in a test; a copy is what a scored
    profile of the same answers would hold). Their invitations were made a month earlier."""
    from datetime import timedelta

    from django.utils import timezone

    from practice.models import Connection, Invitation, Share
    from profiles.models import Profile, ResultSnapshot
    from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

    now = since or timezone.now()
    template_user = UserFactory()
    template_profile = submitted(raw_answers(EXAMPLE_3), user=template_user)
    template = ResultSnapshot.objects.get(profile=template_profile)
    users = [UserFactory.build(username=f"client-{of.pk}-{n}") for n in range(count)]
    User = type(template_user)
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith=f"client-{of.pk}-").order_by("pk"))
    profiles = Profile.objects.bulk_create(
        Profile(
            user=user,
            instrument_version_id=template.profile.instrument_version_id,
            context_mode=template.profile.context_mode,
            consent_notice_version=template.profile.consent_notice_version,
            consented_at=now,
            submitted_at=now - timedelta(days=n),
        )
        for n, user in enumerate(users)
    )
    ResultSnapshot.objects.bulk_create(
        ResultSnapshot(
            profile=profile,
            scoring_version=template.scoring_version,
            copy_version=template.copy_version,
            reason=template.reason,
            data=template.data,
        )
        for profile in profiles
    )
    connections = Connection.objects.bulk_create(
        Connection(practitioner=of, person=user, person_display_name=f"Client {n:03d}")
        for n, user in enumerate(users)
    )
    Invitation.objects.bulk_create(
        Invitation(
            practitioner=of,
            nonce=uuid.uuid4(),
            token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            created_at=now - timedelta(days=30),
            expires_at=now - timedelta(days=16),
            status=Invitation.Status.ACCEPTED,
            answered_at=now,
            connection=connection,
        )
        for connection in connections
    )
    Share.objects.bulk_create(
        Share(connection=connection, profile=profile, level=Connection.Level.SUMMARY)
        for connection, profile in zip(connections, profiles, strict=True)
    )
    return connections
