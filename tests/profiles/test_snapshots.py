"""Snapshots are the report's only source (ASSESSMENT.md §5.4): re-scoring reproduces them,
and later edits to the instrument or the report copy never change an existing report."""

import re

import pytest

from assessments import queries as instrument_queries
from assessments import scoring
from assessments import services as instrument_services
from assessments.models import Change, ReadOnlyError
from profiles import queries
from tests.factories import published_instrument
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def example_3(person):
    return submitted(raw_answers(EXAMPLE_3), user=person)


@pytest.fixture
def render(client, person):
    client.force_login(person)

    def rendered(profile) -> bytes:
        response = client.get(profile.get_absolute_url())
        assert response.status_code == 200
        # A form on the page (e.g. sign out) carries a per-request token; nothing else varies.
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)

    return rendered


def edit_in_new_draft(version: str = "1.1"):
    draft = instrument_services.create_draft_from(source=published_instrument(), version=version)
    item = draft.items.get(code="EMP2-C1")
    item.text = "When someone close to me is sad, I feel a little of that sadness too."
    item.change = Change.SUBSTANTIVE
    item.save()
    return draft


def test_rescoring_stored_answers_with_the_stored_rules_reproduces_the_snapshot(example_3):
    snapshot = queries.latest_snapshot(example_3)
    rules = scoring.get(snapshot.scoring_version)

    result = rules.score(
        instrument_queries.instrument_spec(example_3.instrument_version_id),
        queries.answers_by_code(example_3),
        mode=example_3.context_mode,
        page_ms=queries.page_ms(example_3),
    )

    assert result.as_dict() == snapshot.data


def test_snapshot_refuses_to_be_changed(example_3):
    snapshot = queries.latest_snapshot(example_3)
    snapshot.data = {}

    with pytest.raises(ReadOnlyError):
        snapshot.save()


def test_report_is_byte_identical_after_an_item_is_edited_in_a_new_draft(render, example_3):
    before = render(example_3)

    edit_in_new_draft()

    assert render(example_3) == before


def test_report_is_byte_identical_after_its_instrument_is_retired(render, example_3):
    before = render(example_3)
    draft = edit_in_new_draft()

    instrument_services.publish(instrument=draft)  # retires 1.0

    assert published_instrument().status == "retired"
    assert render(example_3) == before


def test_report_is_byte_identical_after_an_item_is_retired_and_replaced(render, example_3):
    before = render(example_3)
    draft = instrument_services.create_draft_from(source=published_instrument(), version="1.1")
    retired = draft.items.get(code="REG1-C1")
    slot = {f: getattr(retired, f) for f in ("page", "position", "dimension", "facet", "context")}
    retired.delete()  # the published original and its answers stay untouched
    draft.items.create(
        code="REG1-C1",
        text="I stay steady when someone close to me sounds a little cross.",
        kind="scored",
        reverse=False,
        change=Change.NEW,
        **slot,
    )

    instrument_services.publish(instrument=draft)

    assert render(example_3) == before
    assert example_3.answers.filter(item_version__code="REG1-C1").exists()


def test_report_is_byte_identical_after_new_report_copy_is_published(render, example_3):
    before = render(example_3)
    draft = instrument_services.create_copy_draft_from(
        source=instrument_queries.published_copy(), version="copy-snapshot-test"
    )
    draft.texts["disclaimer"] = "A new disclaimer for profiles scored from now on."
    draft.texts["suggestions"]["EMP2"]["title"] = "A new practice title"
    draft.save()

    instrument_services.publish_copy(report_copy=draft)

    assert render(example_3) == before


def test_profiles_submitted_after_a_copy_change_use_the_new_copy(render, person, example_3):
    draft = instrument_services.create_copy_draft_from(
        source=instrument_queries.published_copy(), version="copy-new-test"
    )
    draft.texts["suggestions"]["EMP2"]["title"] = "A new practice title"
    draft.save()
    instrument_services.publish_copy(report_copy=draft)

    later = submitted(raw_answers(EXAMPLE_3), user=person)

    assert b"A new practice title" in render(later)
    assert b"A new practice title" not in render(example_3)
