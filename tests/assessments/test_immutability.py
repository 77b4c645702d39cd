"""Published versions and answered items cannot change through any model or queryset path."""

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from assessments import services
from assessments.models import InstrumentVersion, ItemVersion, ReadOnlyError
from tests.factories import ProfileFactory, answer_all, published_instrument

pytestmark = pytest.mark.django_db


def test_published_instrument_save_is_refused():
    instrument = published_instrument()
    instrument.title = "Something else"

    with pytest.raises(ReadOnlyError):
        instrument.save()


def test_published_instrument_queryset_update_is_refused():
    with pytest.raises(ReadOnlyError):
        InstrumentVersion.objects.filter(version="1.0").update(title="x")

    assert published_instrument().title.startswith("Relational Capacity Profile")


def test_published_instrument_delete_is_refused():
    with pytest.raises(ReadOnlyError):
        published_instrument().delete()
    with pytest.raises(ReadOnlyError):
        InstrumentVersion.objects.all().delete()


def test_item_of_published_version_save_is_refused():
    item = published_instrument().items.get(code="MEN1-C1")
    item.text = "Changed"

    with pytest.raises(ReadOnlyError):
        item.save()


def test_item_of_published_version_queryset_update_and_delete_are_refused():
    items = ItemVersion.objects.filter(instrument_version=published_instrument())

    with pytest.raises(ReadOnlyError):
        items.update(text="Changed")
    with pytest.raises(ReadOnlyError):
        items.filter(code="MEN1-C1").delete()
    assert items.get(code="MEN1-C1").text.startswith("When someone close to me acts differently")


def test_answered_item_is_locked_and_protected_from_deletion():
    profile = ProfileFactory()
    answer_all(profile, value=5)
    item = published_instrument().items.get(code="TRU1-C1")

    assert item.is_locked
    with pytest.raises((ReadOnlyError, ProtectedError)):
        item.delete()
    assert ItemVersion.objects.filter(pk=item.pk).exists()


def test_published_version_may_only_become_retired():
    instrument = published_instrument()

    retired = services.retire(instrument=instrument)

    retired.refresh_from_db()
    assert retired.status == "retired" and retired.retired_at is not None
    retired.status = "published"
    with pytest.raises(ReadOnlyError):
        retired.save()


def test_retiring_cannot_smuggle_in_other_changes():
    instrument = published_instrument()
    instrument.status, instrument.retired_at = "retired", timezone.now()
    instrument.title = "Renamed while retiring"

    with pytest.raises(ReadOnlyError):
        instrument.save()


def test_draft_items_can_be_edited():
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    item = draft.items.get(code="MEN1-C1")
    item.text = "When someone close to me acts differently, I wonder what is going on for them."

    item.save()

    item.refresh_from_db()
    assert item.text.endswith("going on for them.")
