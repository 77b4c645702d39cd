"""Fast builders for the statistics tests: bulk-created profiles, answers and snapshots.

Answers follow one latent level per dimension (seeded), so scales have a defined, positive α.
Snapshots come from score_1.score directly, exactly as submit_profile would write them.
"""

import random
from datetime import datetime, timedelta

from django.utils import timezone

from assessments import scoring
from assessments.models import InstrumentVersion
from assessments.queries import instrument_spec, items_in_order
from assessments.scoring.spec import is_shown
from profiles.models import Answer, Profile, ResultSnapshot
from tests.factories import published_instrument

score_1 = scoring.get("score-1")  # the rules these tests exercise

LOW_QUALITY_CHECKS = {"QC1": 7, "QC2": 7, "QC3": 5}  # two failed checks make quality low
GOOD_CHECKS = {"QC1": 2, "QC2": 3, "QC3": 5}


def answer_sheet(spec: score_1.InstrumentSpec, mode: str, rng: random.Random) -> dict:
    level = {d: rng.gauss(0, 1) for d in score_1.DIMENSIONS}
    sheet: dict[str, int | None] = {**GOOD_CHECKS, "WB1": 2}
    for item in spec.items:
        if item.kind == "scored" and is_shown(item, mode):
            keyed = min(7, max(1, round(4 + 1.3 * level[item.dimension] + rng.gauss(0, 1))))
            sheet[item.code] = 8 - keyed if item.reverse else keyed
    return sheet


def build_profiles(
    count: int,
    *,
    instrument: InstrumentVersion | None = None,
    users: list | None = None,
    low_quality: bool = False,
    mode: str = "both",
    research_opt_in: bool = True,
    start: datetime | None = None,
    seed: int = 7,
    locale: str = "en",
) -> list[Profile]:
    """`count` submitted profiles, the k-th submitted k minutes after `start`."""
    instrument = instrument or published_instrument()
    rng, start = random.Random(seed), start or timezone.now() - timedelta(days=30)
    spec = instrument_spec(instrument.pk)
    item_ids = {item.code: item.pk for item in items_in_order(instrument.pk)}
    owners = users if users is not None else [None] * count
    profiles = Profile.objects.bulk_create(
        Profile(
            user=owner,
            instrument_version=instrument,
            context_mode=mode,
            locale=locale,
            consent_notice_version="consent-1",
            consented_at=start,
            research_opt_in=research_opt_in,
            submitted_at=start + timedelta(minutes=k),
        )  # fmt: skip
        for k, owner in enumerate(owners)
    )
    answers, snapshots = [], []
    for profile in profiles:
        sheet = answer_sheet(spec, mode, rng) | (LOW_QUALITY_CHECKS if low_quality else {})
        answers += [
            Answer(profile=profile, item_version_id=item_ids[code], value=value)
            for code, value in sheet.items()
        ]
        result = score_1.score(spec, sheet, mode=mode)
        snapshots.append(
            ResultSnapshot(
                profile=profile,
                scoring_version=score_1.VERSION,
                copy_version="copy-1",
                locale=locale,
                data=result.as_dict(),
            )  # fmt: skip
        )
    Answer.objects.bulk_create(answers, batch_size=2000)
    ResultSnapshot.objects.bulk_create(snapshots)
    return profiles
