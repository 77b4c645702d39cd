"""Starting the questionnaire: only a real tick is consent, and however many Start requests
race, every tab that reaches page 1 holds the one working private link (issue 13, 3 and 4)."""

import re
import threading
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from profiles import queries, services
from profiles.models import Profile
from tests.db import TRANSACTIONAL_DB
from tests.factories import published_instrument
from tests.profiles.helpers import page_url, start

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/r/([A-Za-z0-9_-]{20,})/")
VALID = {"context_mode": "both", "consent": "on", "adult": "on"}


def start_data(**changes) -> dict:
    return {**VALID, "nonce": str(uuid.uuid4()), **changes}


@pytest.mark.parametrize("value", ["0", "no", "off", "false", "yes", "1", "true", "ON", ""])
@pytest.mark.parametrize("box", ["consent", "adult"])
def test_only_the_checkboxs_own_value_counts_as_a_tick(client, box, value):
    response = client.post(reverse("profiles:start"), start_data(**{box: value}))

    assert response.status_code == 400
    assert Profile.objects.count() == 0


@pytest.mark.parametrize("value", ["0", "no", "off"])
def test_a_research_opt_in_that_is_not_the_tick_is_refused_not_taken(client, value):
    response = client.post(reverse("profiles:start"), start_data(research_opt_in=value))

    assert response.status_code == 400
    assert Profile.objects.count() == 0


def test_the_rendered_checkboxes_send_the_value_that_counts(client):
    html = client.get(reverse("profiles:start")).content.decode()

    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', html)

    assert len(boxes) == 3
    assert all('value="on"' in box for box in boxes)


def test_a_ticked_research_opt_in_is_recorded(client):
    client.post(reverse("profiles:start"), start_data(research_opt_in="on"))

    assert Profile.objects.get().research_opt_in is True


@pytest.mark.parametrize("values", [["both", "close_only"], ["both", "both"]])
def test_a_duplicated_context_mode_is_refused(client, values):
    response = client.post(reverse("profiles:start"), start_data(context_mode=values))

    assert response.status_code == 400
    assert "please choose once" in response.content.decode()
    assert Profile.objects.count() == 0


def test_a_duplicated_consent_is_refused(client):
    response = client.post(reverse("profiles:start"), start_data(consent=["on", "on"]))

    assert response.status_code == 400
    assert Profile.objects.count() == 0


def shown_link(client: Client, profile: Profile) -> str:
    """The private link that page 1 shows this browser."""
    page = client.get(page_url(profile, 1))
    assert page.status_code == 200
    return LINK.search(page.content.decode()).group(1)


def link_opens(token: str, profile: Profile) -> bool:
    landed = Client().get(reverse("profiles:resume_link", args=[token]), follow=True)
    return landed.redirect_chain[-1][0] == page_url(profile, 1)


def test_a_replayed_start_shows_the_same_link_and_the_first_still_works(client):
    data = start_data()
    first = Client()
    first.post(reverse("profiles:start"), data)
    profile = Profile.objects.get()
    first_link = shown_link(first, profile)

    client.post(reverse("profiles:start"), data)  # the same form, sent again from a retry

    assert shown_link(client, profile) == first_link
    assert link_opens(first_link, profile)


def test_no_raw_resume_token_is_put_in_the_session(client):
    profile = start(client)
    token = shown_link(client, profile)
    client.post(reverse("profiles:resume_link", args=[token]))
    Client().get(reverse("profiles:resume_link", args=[token]))

    decoded = [s.get_decoded() for s in Session.objects.all()]

    assert decoded and all(token not in repr(data) for data in decoded)
    assert profile.resume_token_hash == queries.token_hash(token)


def test_the_link_survives_a_secret_key_rotation(client, settings):
    profile = start(client)
    token = shown_link(client, profile)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40

    assert queries.resume_token(profile) == token
    assert link_opens(token, profile)


def test_a_signed_in_persons_draft_shows_no_private_link(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    profile = start(client)

    assert LINK.search(client.get(page_url(profile, 1)).content.decode()) is None
    assert queries.resume_token(profile) is None


def race(tabs: list[Client], data: dict) -> tuple[list[str], list[BaseException]]:
    """Send the same start form from every tab at once, each thread on its own connection;
    each tab then opens the page it was sent to and keeps the private link shown there."""
    barrier = threading.Barrier(len(tabs))
    links: list[str] = []
    errors: list[BaseException] = []

    def send(tab: Client) -> None:
        try:
            barrier.wait()
            response = tab.post(reverse("profiles:start"), data)
            page = tab.get(response.url)
            assert page.status_code == 200, page.status_code
            links.append(LINK.search(page.content.decode()).group(1))
        except BaseException as error:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return links, errors


@TRANSACTIONAL_DB  # threads need committed rows
def test_two_start_clicks_at_the_same_moment_leave_both_tabs_a_working_link():
    browser = Client()
    browser.get(reverse("profiles:start"))
    tabs = [browser, Client()]
    tabs[1].cookies = browser.cookies  # two tabs of one browser share its cookies

    links, errors = race(tabs, start_data())

    assert errors == []
    profile = Profile.objects.get()
    assert len(links) == 2 and len(set(links)) == 1
    assert link_opens(links[0], profile)
    assert shown_link(browser, profile) == links[0]


@TRANSACTIONAL_DB  # threads need committed rows
def test_fifty_concurrent_anonymous_starts_all_hold_the_one_working_link():
    tabs = [Client() for _ in range(50)]

    links, errors = race(tabs, start_data())

    assert errors == []
    profile = Profile.objects.get()
    assert len(links) == 50 and len(set(links)) == 1
    assert link_opens(links[0], profile)


def test_start_profile_returns_the_same_draft_for_the_same_nonce():
    nonce = uuid.uuid4()
    kwargs = {"instrument": published_instrument(), "context_mode": "both"}

    first = services.start_profile(**kwargs, research_opt_in=False, start_nonce=nonce)
    second = services.start_profile(**kwargs, research_opt_in=True, start_nonce=nonce)

    assert first.pk == second.pk
    assert second.resume_token_hash == first.resume_token_hash
