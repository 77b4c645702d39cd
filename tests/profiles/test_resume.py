"""Resume lands on the first page the person has not finished (issue 14, line 3): a page is
finished when every statement on it has an answer or was passed over with Next or Skip."""

import pytest
from django.urls import reverse

from tests.profiles.helpers import answer_page, page_fields, page_url, start

pytestmark = pytest.mark.django_db


def resumed_at(client, profile) -> str:
    return client.get(reverse("profiles:resume", args=[profile.public_id])).url


def answer_some(client, profile, page: int, how_many: int, nav: str):
    names, hidden = page_fields(client, profile, page)
    data = {**hidden, "nav": nav, **{n: "4" for n in names[:how_many]}}
    return client.post(page_url(profile, page), data)


def test_a_half_answered_page_saved_for_later_is_where_resume_lands(client):
    profile = start(client)
    answer_page(client, profile, 1)
    answer_page(client, profile, 2)

    answer_some(client, profile, 3, how_many=6, nav="save")

    assert resumed_at(client, profile) == page_url(profile, 3)


def test_statements_passed_over_with_next_do_not_send_the_person_back(client):
    profile = start(client)
    answer_some(client, profile, 1, how_many=4, nav="next")
    answer_page(client, profile, 2, value=None)  # Next with nothing chosen: all skipped

    assert resumed_at(client, profile) == page_url(profile, 3)


def test_a_page_left_half_answered_with_back_stays_open(client):
    profile = start(client)
    answer_page(client, profile, 1)
    answer_page(client, profile, 2)

    answer_some(client, profile, 3, how_many=2, nav="back")

    assert resumed_at(client, profile) == page_url(profile, 3)


def test_a_fully_answered_page_saved_for_later_is_finished(client):
    profile = start(client)
    answer_page(client, profile, 1)

    answer_page(client, profile, 2, nav="save")

    assert resumed_at(client, profile) == page_url(profile, 3)


def test_skip_chosen_on_the_open_statements_finishes_a_saved_page(client):
    profile = start(client)
    names, hidden = page_fields(client, profile, 1)

    client.post(page_url(profile, 1), {**hidden, "nav": "save", **{n: "" for n in names}})

    assert resumed_at(client, profile) == page_url(profile, 2)


def test_an_earlier_open_page_comes_before_later_finished_ones(client):
    profile = start(client)
    answer_some(client, profile, 1, how_many=3, nav="save")
    for page in (2, 3, 4):
        answer_page(client, profile, page)

    assert resumed_at(client, profile) == page_url(profile, 1)


def test_every_page_finished_resumes_at_the_review(client):
    profile = start(client)
    for page in range(1, 8):
        answer_page(client, profile, page, value=None)

    assert resumed_at(client, profile) == reverse("profiles:review", args=[profile.public_id])


def test_in_close_only_mode_only_the_shown_statements_count(client):
    profile = start(client, mode="close_only")

    answer_page(client, profile, 1, nav="save")  # every shown (close) statement answered

    assert resumed_at(client, profile) == page_url(profile, 2)
