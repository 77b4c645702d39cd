"""Copy-on-write drafts, publishing, retiring and reordering."""

import pytest

from assessments import services
from assessments.models import Change, InstrumentVersion, ItemVersion, ReadOnlyError
from tests.factories import published_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return services.create_draft_from(source=published_instrument(), version="1.1")


def test_copy_on_write_draft_copies_every_item_and_keeps_the_source_intact(draft):
    source = published_instrument()
    before = list(source.items.values_list("pk", "code", "text", "position"))

    draft_items = list(draft.items.order_by("position"))

    assert [(i.code, i.text, i.position) for i in draft_items] == [b[1:] for b in before]
    assert {i.derived_from_id for i in draft_items} == {b[0] for b in before}
    assert all(i.change == Change.UNCHANGED for i in draft_items)
    assert list(source.items.values_list("pk", "code", "text", "position")) == before
    assert draft.based_on == source and draft.status == "draft"


def test_publishing_a_valid_draft_retires_the_previous_version(draft):
    services.publish(instrument=draft)

    assert InstrumentVersion.objects.get(version="1.1").status == "published"
    old = InstrumentVersion.objects.get(version="1.0")
    assert old.status == "retired" and old.retired_at is not None


def test_publishing_a_broken_draft_is_refused_and_changes_nothing(draft):
    draft.items.get(code="WB1").delete()

    with pytest.raises(services.PublishError) as refused:
        services.publish(instrument=draft)

    assert any("WB1 is missing" in p for p in refused.value.problems)
    assert InstrumentVersion.objects.get(version="1.0").status == "published"
    assert InstrumentVersion.objects.get(version="1.1").status == "draft"


def test_publishing_twice_is_refused(draft):
    services.publish(instrument=draft)

    with pytest.raises(services.PublishError, match="not a draft"):
        services.publish(instrument=draft)


def test_required_change_is_substantive_for_keying_and_wording_for_text(draft):
    item = draft.items.get(code="TRU1-C1")
    item.text = "I give the people close to me the benefit of the doubt, mostly."
    assert services.required_change(item) == Change.WORDING

    item.reverse = True
    assert services.required_change(item) == Change.SUBSTANTIVE


def test_move_item_swaps_slots_with_its_neighbour(draft):
    first, second = draft.items.order_by("position")[:2]

    services.move_item(item=second, offset=-1)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.position, first.position) == (1, 2)
    assert list(draft.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, 77)
    )


def test_move_item_across_a_page_break_takes_the_neighbours_page(draft):
    last_on_page_1 = draft.items.filter(page=1).order_by("position").last()
    first_on_page_2 = draft.items.filter(page=2).order_by("position").first()

    services.move_item(item=last_on_page_1, offset=1)

    last_on_page_1.refresh_from_db()
    first_on_page_2.refresh_from_db()
    assert (last_on_page_1.page, first_on_page_2.page) == (2, 1)


def test_next_draft_version_suggests_an_unused_number(draft):
    assert services.next_draft_version(published_instrument()) == "1.1-2"
    assert services.next_draft_version(draft) == "1.2"


def test_save_draft_items_saves_edits_appends_new_statements_and_deletes_removed(draft):
    first, second = draft.items.order_by("position")[:2]
    first.text = "A clearer wording of the first statement."
    added = [
        ItemVersion(instrument_version=draft, code=f"NEW{k}", text=f"New {k}.", kind="wb", page=7)
        for k in (1, 2)
    ]

    services.save_draft_items(instrument=draft, changed=[first, *added], deleted=[second])

    rows = list(draft.items.order_by("position").values_list("code", "position", "text"))
    assert rows[0] == (first.code, 1, "A clearer wording of the first statement.")
    assert second.code not in [code for code, *_ in rows]
    assert rows[-2:] == [("NEW1", 77, "New 1."), ("NEW2", 78, "New 2.")]


def test_save_draft_items_refuses_a_published_version_and_writes_nothing():
    source = published_instrument()
    item = source.items.order_by("position").first()
    before = list(source.items.values_list("pk", "text", "position"))
    item.text = "Changed."

    with pytest.raises(ReadOnlyError):
        services.save_draft_items(instrument=source, changed=[item], deleted=[])

    assert list(source.items.values_list("pk", "text", "position")) == before
