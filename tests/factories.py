"""factory-boy factories for relcap's models."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import InstrumentVersion
from profiles.models import Answer, Profile


def published_instrument() -> InstrumentVersion:
    """The instrument 1.0 that the data migration loads into every database."""
    return InstrumentVersion.objects.get(version="1.0")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a long test password")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    instrument_version = factory.LazyFunction(published_instrument)
    context_mode = "both"
    consent_notice_version = "consent-1"
    consented_at = factory.LazyFunction(timezone.now)


def answer_all(profile: Profile, value: int | None = 4) -> list[Answer]:
    """Store the same raw answer for every item of the profile's instrument version."""
    return Answer.objects.bulk_create(
        Answer(profile=profile, item_version=item, value=value)
        for item in profile.instrument_version.items.all()
    )
