"""The database check behind `make faults` and `make load` finds every kind of bad write.

The fault scripts are only as good as this check: each test here breaks the stored data in
one way and expects the check to name it, so a script that could never fail would fail here.
"""

import random

import pytest
from django.db import connection

from profiles.models import Answer, Profile, ResultSnapshot
from relcap.immutability import erasing_personal_data
from tests.db import TRANSACTIONAL_DB
from tests.factories import ProfileFactory, answer_all
from tests.perf import load

pytestmark = TRANSACTIONAL_DB


def database_url() -> str:
    """What the check connects to: the test database, committed rows visible to it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(settings["NAME"])
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def person_told_everything_was_saved(profile: Profile) -> load.Person:
    """A simulated person who was shown every page as saved and the submit as done."""
    person = load.Person(load.Browser(0, []), (0, 0), 0, random.Random(0))
    person.public_id = str(profile.public_id)
    for answer in profile.answers.select_related("item_version"):
        page = answer.item_version.page
        person.acknowledged.setdefault(page, {})[answer.item_version_id] = answer.value
    person.submitted = True
    return person


@pytest.fixture
def submitted() -> tuple[Profile, load.Person]:
    profile = ProfileFactory()
    answer_all(profile, value=5)
    ResultSnapshot.objects.create(
        profile=profile, scoring_version="score-1", copy_version="copy-1", data={}
    )
    return profile, person_told_everything_was_saved(profile)


def problems(people: list[load.Person]) -> list[str]:
    return load.data_problems(load.check_writes(database_url(), people))


def test_check_finds_nothing_wrong_with_a_whole_stored_questionnaire(submitted):
    _, person = submitted

    writes = load.check_writes(database_url(), [person])

    assert writes["acknowledged answers"] == 76
    assert load.data_problems(writes) == []


def test_check_counts_an_acknowledged_answer_that_was_lost(submitted):
    profile, person = submitted
    lost = Answer.objects.filter(profile=profile).order_by("pk").first()
    Answer.objects.filter(pk=lost.pk).update(value=lost.value - 1)

    assert problems([person]) == ["answers lost: 1"]


def test_check_counts_a_page_stored_only_in_part(submitted):
    profile, person = submitted
    person.acknowledged.pop(1)
    Answer.objects.filter(profile=profile, item_version__page=1).order_by("pk")[:1].get().delete()

    assert problems([person]) == ["partial pages: 1"]


def test_check_counts_a_profile_nobody_was_told_about(submitted):
    _, person = submitted
    ProfileFactory()

    assert problems([person]) == ["profiles nobody was told about: 1"]


def test_check_counts_a_submit_that_left_no_snapshot(submitted):
    profile, person = submitted
    with erasing_personal_data():  # snapshots are frozen; only erasure removes one
        ResultSnapshot.objects.filter(profile=profile).delete()

    assert problems([person]) == ["acknowledged submits without snapshot: 1"]
