"""Statistics kept constant in N (issue 20 line 6): the sums follow every change exactly.

Random sequences of submissions, deletions, re-scores, an earliest profile turning low (so a
later one of the account takes its place) and accounts taking over anonymous profiles, on two
versions where one pools the other for most scales; after each stretch the kept sums and
contributions must be identical to a rebuild from scratch, and the page's figures from the
sums identical to those computed from the answers.
"""

import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from analysis import maintenance, queries, tasks
from analysis.models import Contribution, SampleGroup
from assessments import scoring
from assessments import services as instrument_services
from assessments.models import InstrumentVersion, ItemVersion
from assessments.queries import instrument_spec, items_in_order
from profiles import privacy
from profiles import services as profile_services
from profiles.models import Answer, Profile, ResultSnapshot
from tests.analysis.stats_helpers import LOW_QUALITY_CHECKS, answer_sheet
from tests.factories import UserFactory, published_instrument

pytestmark = pytest.mark.django_db

score_1 = scoring.get("score-1")  # the rules these tests exercise


def second_version() -> InstrumentVersion:
    """1.1: REG1-C1 changed substantively, everything else unchanged; published, 1.0 retired."""
    draft = instrument_services.create_draft_from(source=published_instrument(), version="1.1")
    ItemVersion.objects.filter(instrument_version=draft, code="REG1-C1").update(
        text="I calm down soon after a small clash with someone close to me.", change="substantive"
    )
    instrument_services.publish(instrument=draft)  # 1.0 retires: it still counts
    return InstrumentVersion.objects.get(pk=draft.pk)


class World:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.versions = [published_instrument()]
        self.users = [UserFactory() for _ in range(4)]
        self.clock = timezone.now() - timedelta(days=60)

    def submit(self, version: InstrumentVersion, user, *, low: bool, mode: str) -> Profile:
        self.clock += timedelta(minutes=1)
        profile = Profile.objects.create(
            user=user,
            instrument_version=version,
            context_mode=mode,
            consent_notice_version="consent-1",
            consented_at=self.clock,
            submitted_at=self.clock,
        )
        spec = instrument_spec(version.pk)
        ids = {item.code: item.pk for item in items_in_order(version.pk)}
        sheet = answer_sheet(spec, mode, self.rng)
        for code in self.rng.sample(sorted(sheet), self.rng.choice([0, 0, 1, 3])):
            sheet[code] = None  # a few skips: listwise scales leave such a respondent out
        sheet |= LOW_QUALITY_CHECKS if low else {}
        Answer.objects.bulk_create(
            Answer(profile=profile, item_version_id=ids[code], value=value)
            for code, value in sheet.items()
        )
        ResultSnapshot.objects.create(
            profile=profile,
            scoring_version=score_1.VERSION,
            copy_version="copy-1",
            data=score_1.score(spec, sheet, mode=mode).as_dict(),
        )
        return profile

    def step(self, kind: str | None = None) -> str:
        rng = self.rng
        profiles = list(Profile.objects.filter(submitted_at__isnull=False).order_by("pk"))
        kind = kind or rng.choice(["submit"] * 5 + ["delete", "rescore", "turn_low", "attach"])
        if kind == "submit" or not profiles:
            user = rng.choice([*self.users, None, None])
            mode = rng.choice(["both", "both", "both", "close_only"])
            self.submit(rng.choice(self.versions), user, low=rng.random() < 0.2, mode=mode)
            return "submit"
        profile = rng.choice(profiles)
        if kind == "delete":
            privacy.delete_profile(profile=profile)
        elif kind == "rescore":
            profile_services.rescore_profile(profile=profile, rules_version=score_1.VERSION)
        elif kind == "turn_low":
            # A re-score that finds the account's earliest profile of low quality: the next
            # one becomes the earliest non-low one.
            owned = [p for p in profiles if p.user_id is not None]
            target = min(owned or profiles, key=lambda p: (p.submitted_at, p.pk))
            latest = ResultSnapshot.objects.filter(profile=target).order_by("-created_at", "-pk")[0]
            data = latest.data | {"quality": latest.data["quality"] | {"level": "low"}}
            ResultSnapshot.objects.create(
                profile=target,
                scoring_version=latest.scoring_version,
                copy_version=latest.copy_version,
                reason=ResultSnapshot.Reason.RESCORE,
                data=data,
            )
        else:
            anonymous = [p for p in profiles if p.user_id is None]
            if anonymous:
                profile_services.attach_to_user(
                    profile=rng.choice(anonymous), user=rng.choice(self.users)
                )
        return kind


def kept_state() -> tuple[dict, set]:
    groups = {
        (g.instrument_version_id, g.pool): (g.plan, g.sums) for g in SampleGroup.objects.all()
    }
    contributions = set(
        Contribution.objects.values_list(
            "group__instrument_version_id", "group__pool", "unit", "profile_id", "snapshot_id",
            "keyed", "mode",
        )
    )  # fmt: skip
    return groups, contributions


def assert_kept_equals_rebuilt(versions) -> None:
    kept = kept_state()
    for version in versions:  # the page's figures: from the sums = from the answers
        assert maintenance.item_statistics(version).report == queries.item_statistics(version)
    maintenance.rebuild_all()
    assert kept_state() == kept


EVERY_KIND = ["submit"] * 6 + ["delete", "rescore", "turn_low", "attach", "turn_low"]


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_sums_equal_a_rebuild_after_random_changes(
    seed, django_capture_on_commit_callbacks
):
    world = World(seed)
    world.versions.append(second_version())
    maintenance.rebuild_all()  # both versions' groups exist, empty
    seen = set()
    for stretch in range(3):
        for kind in EVERY_KIND if stretch == 0 else [None] * 12:
            with django_capture_on_commit_callbacks(execute=True):
                seen.add(world.step(kind))
        assert_kept_equals_rebuilt(world.versions)
        assert SampleGroup.objects.filter(instrument_version=world.versions[1]).count() == 2
    assert seen == {"submit", "delete", "rescore", "turn_low", "attach"}
    assert Contribution.objects.exists()


def test_a_later_profile_takes_the_place_of_an_earliest_one_that_is_deleted(
    django_capture_on_commit_callbacks,
):
    world = World(5)
    user = world.users[0]
    maintenance.rebuild_all()
    with django_capture_on_commit_callbacks(execute=True):
        first = world.submit(world.versions[0], user, low=False, mode="both")
        second = world.submit(world.versions[0], user, low=False, mode="both")
    held = Contribution.objects.get(unit=f"user:{user.pk}")
    assert held.profile_id == first.pk

    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_profile(profile=first)

    held = Contribution.objects.get(unit=f"user:{user.pk}")
    assert held.profile_id == second.pk
    assert SampleGroup.objects.get().sums["n"] == 1


def test_a_deleted_profile_leaves_no_copy_of_its_answers_even_before_any_task_runs():
    world = World(6)
    maintenance.rebuild_all()
    profile = world.submit(world.versions[0], None, low=False, mode="both")
    maintenance.rebuild_all()
    assert Contribution.objects.filter(profile_id=profile.pk).exists()

    privacy.delete_profile(profile=profile)  # inside a test transaction: no commit, no task

    assert not Contribution.objects.filter(profile_id=profile.pk).exists()
    assert SampleGroup.objects.get().sums["n"] == 0


def test_a_redelivered_update_changes_nothing(django_capture_on_commit_callbacks):
    world = World(8)
    maintenance.rebuild_all()
    with django_capture_on_commit_callbacks(execute=True):
        profile = world.submit(world.versions[0], world.users[0], low=False, mode="both")
    before = kept_state()

    again = tasks.update_statistics.apply(kwargs={"profile_ids": [profile.pk]})

    assert again.result == 0
    assert kept_state() == before


def test_rebuild_command_rebuilds_every_kept_version(capsys):
    world = World(9)
    world.submit(world.versions[0], None, low=False, mode="both")  # no task ran for it

    call_command("rebuild_statistics")

    assert SampleGroup.objects.get().sums["n"] == 1
    assert "Rebuilt 1 sample groups." in capsys.readouterr().out
