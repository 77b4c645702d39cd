"""The data migration loads instrument 1.0 exactly as ASSESSMENT.md §2.4-2.6 describes it."""

from collections import Counter

import pytest

from assessments.models import InstrumentVersion, ItemVersion
from tests.factories import published_instrument

pytestmark = pytest.mark.django_db


def test_migration_loads_one_published_instrument_1_0():
    instrument = InstrumentVersion.objects.get()

    assert (instrument.version, instrument.status) == ("1.0", "published")
    assert instrument.published_at is not None


def test_bank_1_0_has_72_scored_3_qc_and_1_wellbeing_items_with_24_reversed():
    items = ItemVersion.objects.filter(instrument_version=published_instrument())

    assert Counter(items.values_list("kind", flat=True)) == {"scored": 72, "qc": 3, "wb": 1}
    assert items.filter(reverse=True).count() == 24


def test_bank_1_0_reverse_items_are_the_ones_numbered_3():
    scored = ItemVersion.objects.filter(instrument_version=published_instrument(), kind="scored")

    assert all(item.reverse == item.code.endswith("3") for item in scored)


def test_bank_1_0_pages_hold_one_item_per_facet_and_the_check_items_where_the_spec_puts_them():
    items = list(published_instrument().items.order_by("position"))
    pages: dict[int, list[ItemVersion]] = {}
    for item in items:
        pages.setdefault(item.page, []).append(item)

    for page in range(1, 7):
        facets = [f"{i.dimension}{i.facet}" for i in pages[page] if i.kind == "scored"]
        assert sorted(facets) == sorted(set(facets)) and len(facets) == 12
    assert {i.code: i.page for i in items if i.kind != "scored"} == {
        "QC1": 2, "QC2": 4, "QC3": 6, "WB1": 7,
    }  # fmt: skip
    assert [i.code for i in pages[7]] == ["WB1"]


def test_bank_1_0_never_puts_two_items_of_one_capacity_next_to_each_other():
    scored = [i for i in published_instrument().items.order_by("position") if i.kind == "scored"]

    pairs = zip(scored, scored[1:], strict=False)
    assert not [
        (a.code, b.code) for a, b in pairs if a.page == b.page and a.dimension == b.dimension
    ]


def test_bank_1_0_keeps_the_spec_wording():
    item = published_instrument().items.get(code="REG1-W3")

    assert item.text == "At work, a short email or a frown can put me on high alert."
    assert (item.dimension, item.facet, item.context, item.reverse) == ("REG", 1, "W", True)
