"""Fixtures shared by the profile tests: a person with an account, signed in."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def person():
    return UserFactory()


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client
