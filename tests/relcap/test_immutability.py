"""The one immutability guard (relcap/immutability.py): every write path, on every frozen model.

Each frozen kind of row is tried with every way Django can change or remove it; each attempt
must raise ReadOnlyError and leave the stored row exactly as it was. The same paths still
work on drafts, and erasing a person's data may delete their snapshots and nothing else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from assessments import queries as instrument_queries
from assessments import services
from assessments.models import (
    InstrumentVersion,
    ItemVersion,
    ReadOnlyError,
    ReliabilityParameterSet,
    ReportCopyVersion,
)
from profiles import services as profile_services
from profiles.models import AccessLog, Answer, ResultSnapshot
from relcap.immutability import erasing_personal_data
from tests.factories import ProfileFactory, answer_all, published_instrument

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], models.Model]
    field: str
    value: Any

    def __str__(self) -> str:
        return self.name


def retired_instrument() -> InstrumentVersion:
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    services.publish(instrument=draft)
    return InstrumentVersion.objects.get(version="1.0")


def answered_draft_item() -> ItemVersion:
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    item = draft.items.get(code="REG1-C1")
    Answer.objects.create(profile=ProfileFactory(instrument_version=draft), item_version=item)
    return item


def draft_copy() -> ReportCopyVersion:
    return services.create_copy_draft_from(
        source=instrument_queries.published_copy(), version="copy-guard-test"
    )


def retired_copy() -> ReportCopyVersion:
    old = instrument_queries.published_copy()
    services.publish_copy(report_copy=draft_copy())
    return ReportCopyVersion.objects.get(pk=old.pk)


def snapshot() -> ResultSnapshot:
    profile = ProfileFactory()
    answer_all(profile, value=5)
    return profile_services.submit_profile(profile=profile)


def parameter_set(released_at=None) -> ReliabilityParameterSet:
    return ReliabilityParameterSet.objects.create(
        name="P9", instrument_version=published_instrument(), values={}, n=250,
        source="alpha", released_at=released_at,
    )  # fmt: skip


FROZEN = [
    Case("published instrument version", published_instrument, "title", "Renamed"),
    Case("retired instrument version", retired_instrument, "notes", "Rewritten"),
    Case(
        "item of a published version",
        lambda: published_instrument().items.get(code="MEN1-C1"),
        "text",
        "Changed",
    ),
    Case("answered item of a draft", answered_draft_item, "text", "Changed"),
    Case("published report copy", instrument_queries.published_copy, "texts", {"x": "y"}),
    Case("retired report copy", retired_copy, "texts", {"x": "y"}),
    Case("P0, released", lambda: ReliabilityParameterSet.objects.get(name="P0"), "n", 5),
    Case("released parameter set", lambda: parameter_set(timezone.now()), "n", 5),
    Case("result snapshot", snapshot, "copy_version", "copy-other"),
    Case(
        "staff access log entry",
        lambda: AccessLog.objects.create(staff_username="staff", action="list"),
        "staff_username",
        "someone-else",
    ),
]


def attempt_save(model, row, case):
    setattr(row, case.field, case.value)
    row.save()


def attempt_delete(model, row, case):
    row.delete()


def attempt_queryset_update(model, row, case):
    model.objects.filter(pk=row.pk).update(**{case.field: case.value})


def attempt_queryset_delete(model, row, case):
    model.objects.filter(pk=row.pk).delete()


def attempt_bulk_update(model, row, case):
    setattr(row, case.field, case.value)
    model.objects.bulk_update([row], [case.field])


def attempt_upsert(model, row, case):
    clone = model._base_manager.get(pk=row.pk)
    setattr(clone, case.field, case.value)
    model.objects.bulk_create(
        [clone], update_conflicts=True, unique_fields=["pk"], update_fields=[case.field]
    )


def attempt_update_or_create(model, row, case):
    model.objects.update_or_create(pk=row.pk, defaults={case.field: case.value})


def attempt_get_or_create_then_save(model, row, case):
    found, _ = model.objects.get_or_create(pk=row.pk)
    setattr(found, case.field, case.value)
    found.save(update_fields=[case.field])


ATTEMPTS = [
    attempt_save,
    attempt_delete,
    attempt_queryset_update,
    attempt_queryset_delete,
    attempt_bulk_update,
    attempt_upsert,
    attempt_update_or_create,
    attempt_get_or_create_then_save,
]


def stored(model, pk) -> dict:
    return model._base_manager.filter(pk=pk).values().get()


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: a.__name__.removeprefix("attempt_"))
@pytest.mark.parametrize("case", FROZEN, ids=str)
def test_every_write_path_refuses_a_frozen_row_and_leaves_it_as_it_was(case, attempt):
    row = case.make()
    model = type(row)
    before = stored(model, row.pk)

    with pytest.raises(ReadOnlyError):
        attempt(model, row, case)

    assert stored(model, row.pk) == before


def draft_item() -> ItemVersion:
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    return draft.items.get(code="MEN1-C1")


EDITABLE = [
    Case(
        "draft instrument version",
        lambda: InstrumentVersion.objects.create(version="9.9"),
        "title",
        "Renamed",
    ),  # fmt: skip
    Case("unanswered item of a draft", draft_item, "text", "Changed"),
    Case("draft report copy", draft_copy, "texts", {"x": "y"}),
    Case("parameter set not yet released", parameter_set, "n", 5),
]
CHANGES = [a for a in ATTEMPTS if a not in (attempt_delete, attempt_queryset_delete)]


@pytest.mark.parametrize("attempt", CHANGES, ids=lambda a: a.__name__.removeprefix("attempt_"))
@pytest.mark.parametrize("case", EDITABLE, ids=str)
def test_every_write_path_still_changes_a_draft(case, attempt):
    row = case.make()
    model = type(row)

    attempt(model, row, case)

    assert stored(model, row.pk)[case.field] == case.value


@pytest.mark.parametrize("attempt", [attempt_delete, attempt_queryset_delete])
@pytest.mark.parametrize("case", EDITABLE, ids=str)
def test_a_draft_can_still_be_deleted(case, attempt):
    row = case.make()
    model = type(row)

    attempt(model, row, case)

    assert not model._base_manager.filter(pk=row.pk).exists()


def test_an_item_cannot_be_added_to_a_published_version():
    instrument = published_instrument()
    extra = ItemVersion(
        instrument_version=instrument, code="QC9", text="Extra", kind="qc", page=7, position=99
    )

    with pytest.raises(ReadOnlyError):
        extra.save()
    with pytest.raises(ReadOnlyError):
        ItemVersion.objects.bulk_create([extra])
    assert not instrument.items.filter(code="QC9").exists()


def test_new_snapshots_and_log_entries_are_still_written():
    first = snapshot()

    profile_services.rescore_profile(profile=first.profile, rules_version="score-1")
    AccessLog.objects.bulk_create([AccessLog(staff_username="staff", action="view")])

    assert first.profile.snapshots.count() == 2
    assert AccessLog.objects.filter(action="view").count() == 1


@pytest.mark.parametrize("attempt", [attempt_delete, attempt_queryset_delete])
def test_erasing_personal_data_may_delete_snapshots(attempt):
    row = snapshot()

    with erasing_personal_data():
        attempt(ResultSnapshot, row, None)

    assert not ResultSnapshot.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("attempt", [a for a in ATTEMPTS if a in CHANGES])
def test_erasing_personal_data_never_lets_a_snapshot_change(attempt):
    row = snapshot()
    before = stored(ResultSnapshot, row.pk)
    case = Case("snapshot", snapshot, "data", {})

    with erasing_personal_data(), pytest.raises(ReadOnlyError):
        attempt(ResultSnapshot, row, case)

    assert stored(ResultSnapshot, row.pk) == before


@pytest.mark.parametrize("attempt", [attempt_delete, attempt_queryset_delete])
def test_erasing_personal_data_keeps_the_staff_access_log(attempt):
    entry = AccessLog.objects.create(staff_username="staff", action="list")

    with erasing_personal_data(), pytest.raises(ReadOnlyError):
        attempt(AccessLog, entry, None)

    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_erasing_personal_data_ends_with_its_block_even_after_an_error():
    row = snapshot()

    with pytest.raises(RuntimeError), erasing_personal_data():
        raise RuntimeError("interrupted")

    with pytest.raises(ReadOnlyError):
        row.delete()
