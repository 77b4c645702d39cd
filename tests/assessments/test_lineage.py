"""What "the same statement" means through `derived_from` (assessments.lineage, §5.4).

An item's `change` describes the one step from its source into it. These tests pin that
reading: a substantive edit on the way from 1.0 to 1.1 separates every later copy from 1.0,
however the later steps are marked, and never reaches forward to the items derived from it.
"""

from typing import NamedTuple

import pytest

from assessments.lineage import MEANING_KEPT, keeps_meaning, same_statement_chain
from assessments.models import Change, ItemVersion
from assessments.services import create_draft_from
from tests.factories import published_instrument


class Row(NamedTuple):
    id: int
    derived_from_id: int | None
    change: str


def chain_ids(rows: list[Row], start: int) -> list[int]:
    by_id = {row.id: row for row in rows}
    return [row.id for row in same_statement_chain(by_id[start], by_id)]


def test_unchanged_and_wording_steps_keep_the_statement_back_to_where_it_began():
    rows = [Row(1, None, "new"), Row(2, 1, "wording"), Row(3, 2, "unchanged")]

    assert chain_ids(rows, 3) == [3, 2, 1]
    assert chain_ids(rows, 2) == [2, 1]
    assert chain_ids(rows, 1) == [1]


def test_a_substantive_step_belongs_to_the_item_it_made():
    """2 was changed substantively from 1: 2 and its unchanged copy 3 are one statement, a
    different one from 1. The mark on 2 does not reach forward: 3 is still 2's statement."""
    rows = [Row(1, None, "new"), Row(2, 1, "substantive"), Row(3, 2, "unchanged")]

    assert chain_ids(rows, 3) == [3, 2]
    assert chain_ids(rows, 2) == [2]


def test_a_source_that_is_not_among_the_rows_ends_the_chain():
    assert chain_ids([Row(5, 4, "unchanged")], 5) == [5]


def test_every_change_class_is_either_kept_or_broken_as_the_spec_says():
    assert {c.value: keeps_meaning(c.value) for c in Change} == {
        "new": False,
        "unchanged": True,
        "wording": True,
        "substantive": False,
    }
    assert set(Change.values) >= MEANING_KEPT


@pytest.mark.django_db
def test_a_fresh_draft_copies_are_the_same_statements_as_their_published_items():
    """Model rows work as they are: create_draft_from links every copy to its source."""
    source = published_instrument()
    draft = create_draft_from(source=source, version="9.9")
    items = {item.id: item for item in ItemVersion.objects.all()}
    copies = [item for item in items.values() if item.instrument_version_id == draft.pk]

    ends = {list(same_statement_chain(copy, items))[-1].instrument_version_id for copy in copies}

    assert len(copies) == source.items.count()
    assert ends == {source.pk}
