"""Every kind of bad or tampered page submission gets a clear error and writes nothing."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as instrument_services
from profiles import services
from profiles.models import Answer, PageTime, ResultSnapshot
from tests.db import TRANSACTIONAL_DB
from tests.factories import UserFactory, published_instrument
from tests.profiles.helpers import answer_all_pages, page_fields, page_url, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_page(client):
    profile = start(client)
    names, hidden = page_fields(client, profile, 1)
    return profile, names, {**hidden, "nav": "next", **{n: "5" for n in names}}


def assert_nothing_written(profile) -> None:
    assert not Answer.objects.filter(profile=profile).exists()
    assert not PageTime.objects.filter(profile=profile).exists()


@pytest.mark.parametrize("value", ["9", "0", "-1", "abc", "4.5", " 5"])
def test_value_outside_the_scale_is_refused_with_a_message(client, draft_page, value):
    profile, names, data = draft_page
    data[names[0]] = value

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert "Choose one of the seven answers" in response.content.decode()
    assert_nothing_written(profile)


def test_invalid_value_keeps_the_other_choices_selected(client, draft_page):
    profile, names, data = draft_page
    data[names[0]] = "8"

    html = client.post(page_url(profile, 1), data).content.decode()

    assert html.count('value="5" id=') >= 11
    assert html.count(" checked") == 11


def test_item_from_another_page_is_refused(client, draft_page):
    profile, _, data = draft_page
    other_page_item = page_fields(client, profile, 2)[0][0]
    data[other_page_item] = "3"

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert "did not ask for" in response.content.decode()
    assert_nothing_written(profile)


def test_item_of_another_instrument_version_is_refused(client, draft_page):
    profile, _, data = draft_page
    draft = instrument_services.create_draft_from(source=published_instrument(), version="1.1")
    data[f"q{draft.items.get(code='MEN1-C1').pk}"] = "3"

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert_nothing_written(profile)


def test_repeated_field_is_refused(client, draft_page):
    profile, names, data = draft_page
    data[names[0]] = ["5", "2"]

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert "more than one answer" in response.content.decode()
    assert_nothing_written(profile)


@pytest.mark.parametrize("extra", ["score", "user", "submitted", "submitted_at", "q999999"])
def test_extra_fields_are_refused(client, draft_page, extra):
    profile, _, data = draft_page
    data[extra] = "1"

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert_nothing_written(profile)


def test_unknown_navigation_is_refused(client, draft_page):
    profile, _, data = draft_page
    data["nav"] = "submit"

    assert client.post(page_url(profile, 1), data).status_code == 400
    assert_nothing_written(profile)


@pytest.mark.parametrize("page", [0, 8, 99])
def test_page_number_out_of_range_is_404(client, draft_page, page):
    profile, _, data = draft_page

    assert client.get(page_url(profile, page)).status_code == 404
    assert client.post(page_url(profile, page), data).status_code == 404
    assert_nothing_written(profile)


def test_someone_elses_attempt_is_404_for_read_and_write(client, draft_page):
    profile, _, data = draft_page
    data.pop("resume", None)
    stranger = Client()
    stranger.force_login(UserFactory())

    assert stranger.get(page_url(profile, 1)).status_code == 404
    assert stranger.post(page_url(profile, 1), data).status_code == 404
    assert stranger.post(reverse("profiles:review", args=[profile.public_id])).status_code == 404
    assert_nothing_written(profile)


def test_forged_resume_token_gives_no_access(draft_page):
    profile, _, data = draft_page
    data["resume"] = "not-the-token"

    assert Client().post(page_url(profile, 1), data).status_code == 404
    assert_nothing_written(profile)


def test_unknown_resume_link_is_a_friendly_404():
    response = Client().get(reverse("profiles:resume_link", args=["x" * 43]))

    assert response.status_code == 404
    assert "could not find that link" in response.content.decode()


def test_scores_are_never_accepted_from_the_client(client):
    profile = start(client)
    answer_all_pages(client, profile, value=4)

    client.post(reverse("profiles:review", args=[profile.public_id]), {"score": "100"})

    snapshot = ResultSnapshot.objects.get(profile=profile)
    assert snapshot.data["dimensions"]["MEN"]["score"] == "50.00"


def test_page_render_and_save_cost_the_same_queries_for_1_or_13_statements(client):
    profile = start(client)
    counts = {}
    for page in (2, 7):
        names, hidden = page_fields(client, profile, page)
        data = {**hidden, "nav": "next", **{n: "5" for n in names}}
        with CaptureQueriesContext(connection) as render:
            client.get(page_url(profile, page))
        with CaptureQueriesContext(connection) as save:
            client.post(page_url(profile, page), data)
        counts[page] = (len(render.captured_queries), len(save.captured_queries))

    assert counts[2] == counts[7]
    assert counts[2][0] <= 8 and counts[2][1] <= 20


@TRANSACTIONAL_DB
def test_concurrent_double_submit_gives_one_snapshot(client):
    profile = start(client)
    answer_all_pages(client, profile)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.submit_profile(profile=profile)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert ResultSnapshot.objects.filter(profile=profile).count() == 1


def test_oversized_page_post_is_refused_and_writes_nothing(client, draft_page):
    profile, _, data = draft_page
    data.update({f"x{i}": "1" for i in range(3000)})

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert_nothing_written(profile)


def test_huge_page_body_is_refused_and_writes_nothing(client, draft_page):
    profile, names, data = draft_page
    data[names[0]] = "5" * (2 * 1024 * 1024)

    response = client.post(page_url(profile, 1), data)

    assert response.status_code == 400
    assert_nothing_written(profile)
