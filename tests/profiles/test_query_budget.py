"""SQL queries per request on the way through the questionnaire (issue 20, line 8).

Budgets, signed in and anonymous, at 72, 144 and 288 scored items: a page GET ≤ 5, a page's
first save ≤ 8, a re-save ≤ 8, the review ≤ 4, the submit ≤ 8, the report ≤ 4, and a whole
72-item completion (19 requests, start form to report) ≤ 100. Counted as the test client
sees them inside the test's transaction, so each atomic block shows as SAVEPOINT + RELEASE.

A server process reads a published or retired version's items once and keeps them (its
pages, spec and report copy never change), so each test first warms those caches by
rendering the instrument's pages, as an earlier respondent in the same process would have.
The 144- and 288-item versions are the ones `make bench` generates.
"""

import re
import threading
import time
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import queries as instrument_queries
from assessments.models import InstrumentVersion, ItemVersion
from profiles import services
from profiles.forms import PageForm, render_stamp
from profiles.models import Answer, PageTime, Profile, ResultSnapshot
from tests.db import TRANSACTIONAL_DB
from tests.factories import UserFactory
from tests.perf.bench_pages import build_instrument
from tests.profiles.helpers import FIELD, RESUME, STAMP, page_url

pytestmark = pytest.mark.django_db

PAGE_GET, FIRST_SAVE, RESAVE, REVIEW, SUBMIT, REPORT = 5, 8, 8, 4, 8, 4
COMPLETION = 100
SIZES = (1, 2, 4)  # 72·k scored items


def counted(send) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        response = send()
    return response, len(queries.captured_queries)


def warm(instrument) -> None:
    """What an earlier request of this process left cached: the version's pages and spec,
    and its questionnaire texts in English (issue 16 line 4: two queries, once a process)."""
    pages = instrument_queries.instrument_spec(instrument.pk).items[-1].page
    for page in range(1, pages + 1):
        for mode in ("both", "close_only", "work_only"):
            instrument_queries.page_items(instrument.pk, page, mode)
    instrument_queries.copy_texts(instrument_queries.published_copy().version)
    instrument_queries.questionnaire_texts(instrument, "en")


def client_for(signed_in: bool) -> tuple[Client, object]:
    client = Client()
    user = None
    if signed_in:
        user = UserFactory()
        client.force_login(user)
    return client, user


def draft_of(client: Client, user, instrument) -> Profile:
    """A draft on `instrument` this client may answer, opened as the start form opens one."""
    profile = services.start_profile(
        instrument=instrument,
        context_mode="both",
        research_opt_in=False,
        start_nonce=uuid.uuid4(),
        user=user,
    )
    if user is None:
        session = client.session
        services.grant_session_access(session=session, profile=profile)
        session.save()
    return profile


def form_of(html: str) -> tuple[list[str], dict[str, str]]:
    hidden = {"rendered": STAMP.search(html).group(1)}
    if token := RESUME.search(html):
        hidden["resume"] = token.group(1)
    return sorted(set(FIELD.findall(html))), hidden


def answer_every_page(client: Client, profile: Profile, costs: list[int], value: int = 4) -> None:
    pages = instrument_queries.instrument_spec(profile.instrument_version_id).items[-1].page
    for page in range(1, pages + 1):
        response, n = counted(lambda page=page: client.get(page_url(profile, page)))
        assert response.status_code == 200
        costs.append(n)
        names, hidden = form_of(response.content.decode())
        data = {**hidden, "nav": "next", **{name: str(value) for name in names}}
        response, n = counted(
            lambda page=page, data=data: client.post(page_url(profile, page), data)
        )
        assert response.status_code == 302, response.content.decode()[:500]
        costs.append(n)


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("k", SIZES, ids=[f"{72 * k}-items" for k in SIZES])
def test_each_request_stays_within_its_query_budget(k, signed_in):
    instrument = build_instrument(k)
    warm(instrument)
    client, user = client_for(signed_in)
    profile = draft_of(client, user, instrument)
    url = page_url(profile, 2)

    page, get_cost = counted(lambda: client.get(url))
    names, hidden = form_of(page.content.decode())
    first = {**hidden, "nav": "next", **{name: "5" for name in names}}
    saved, first_cost = counted(lambda: client.post(url, first))
    _, hidden = form_of(client.get(url).content.decode())
    again = {**hidden, "nav": "next", **{name: "6" for name in names}}
    resaved, resave_cost = counted(lambda: client.post(url, again))

    assert page.status_code == 200 and get_cost <= PAGE_GET
    assert saved.status_code == 302 and first_cost <= FIRST_SAVE
    assert resaved.status_code == 302 and resave_cost <= RESAVE
    stored = Answer.objects.filter(profile=profile, item_version__page=2)
    assert sorted(stored.values_list("value", flat=True)) == [6] * len(names)
    assert PageTime.objects.get(profile=profile, page=2).visits == 2

    answer_every_page(client, profile, [])
    review_url = reverse("profiles:review", args=[profile.public_id])
    review, review_cost = counted(lambda: client.get(review_url))
    submit, submit_cost = counted(lambda: client.post(review_url))
    report, report_cost = counted(lambda: client.get(submit.url))

    assert review.status_code == 200 and review_cost <= REVIEW
    assert submit.status_code == 302 and submit_cost <= SUBMIT
    assert report.status_code == 200 and report_cost <= REPORT
    assert ResultSnapshot.objects.filter(profile=profile).count() == 1
    assert len(Answer.objects.filter(profile=profile)) == 72 * k + 4  # + QC1-3 and WB1


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_a_whole_72_item_completion_costs_at_most_100_queries(signed_in):
    instrument = build_instrument(1)
    warm(instrument)
    client, _ = client_for(signed_in)
    costs = []

    start, n = counted(lambda: client.get(reverse("profiles:start")))
    costs.append(n)
    nonce = re.search(r'name="nonce" value="([^"]+)"', start.content.decode()).group(1)
    form = {"context_mode": "both", "consent": "on", "adult": "on", "nonce": nonce}
    started, n = counted(lambda: client.post(reverse("profiles:start"), form))
    costs.append(n)
    profile = Profile.objects.get(public_id=started.url.split("/")[2])
    answer_every_page(client, profile, costs)
    review_url = reverse("profiles:review", args=[profile.public_id])
    for send in (lambda: client.get(review_url), lambda: client.post(review_url)):
        response, n = counted(send)
        costs.append(n)
    _, n = counted(lambda: client.get(response.url))
    costs.append(n)

    assert len(costs) == 19
    assert sum(costs) <= COMPLETION, costs
    assert Profile.objects.get(pk=profile.pk).is_submitted


def session_row(client: Client) -> tuple[str, object]:
    row = Session.objects.get(session_key=client.cookies["sessionid"].value)
    return row.session_data, row.expire_date


def test_an_anonymous_page_post_after_the_first_leaves_the_session_as_it_was(client):
    instrument = build_instrument(1)
    profile = draft_of(client, None, instrument)
    names, hidden = form_of(client.get(page_url(profile, 1)).content.decode())
    client.post(page_url(profile, 1), {**hidden, "nav": "next", **{n: "3" for n in names}})
    before = session_row(client)

    for page, value in ((2, "4"), (1, "5"), (2, "6")):
        names, hidden = form_of(client.get(page_url(profile, page)).content.decode())
        data = {**hidden, "nav": "next", **{n: value for n in names}}
        response = client.post(page_url(profile, page), data)

        assert response.status_code == 302
        assert "sessionid" not in response.cookies  # no Set-Cookie: the session was not saved
        assert session_row(client) == before
    assert Answer.objects.filter(profile=profile, value=6).count() == len(names)


def test_a_replayed_save_counts_its_page_time_once_and_writes_nothing(client):
    profile = draft_of(client, None, build_instrument(1))
    names, _ = form_of(client.get(page_url(profile, 1)).content.decode())
    stamp = render_stamp(profile.public_id, 1, time.time_ns() // 1_000_000 - 5_000, {})
    data = {"rendered": stamp, "nav": "next", **{n: "2" for n in names}}

    assert client.post(page_url(profile, 1), data).status_code == 302
    _, replay_cost = counted(lambda: client.post(page_url(profile, 1), data))

    timing = PageTime.objects.get(profile=profile, page=1)
    assert timing.visits == 1 and timing.total_ms >= 5_000
    # session, savepoint, the lock, the read, then rollback to and release of the savepoint,
    # which take the lock's updated_at mark back
    assert replay_cost <= 6


def test_a_frozen_versions_statements_are_rendered_once_and_exactly_as_fresh(client):
    profile = draft_of(client, None, build_instrument(1))
    _, hidden = form_of(client.get(page_url(profile, 1)).content.decode())
    items = list(instrument_queries.page_items(profile.instrument_version_id, 1, "both"))
    names = [f"q{item.pk}" for item in items]
    client.post(page_url(profile, 1), {**hidden, "nav": "save", names[0]: "3", names[1]: ""})
    shown = {items[0].pk: 3, items[1].pk: None}

    cached = client.get(page_url(profile, 1)).content.decode()
    again = client.get(page_url(profile, 1)).content.decode()
    fragments = PageForm(items, shown=shown, frozen=False).statement_fragments()
    fresh = "".join(fragments)

    assert instrument_queries.is_frozen(profile.instrument_version_id)
    assert len(fragments) == len(names)
    assert all(fragment in cached and fragment in again for fragment in fragments)
    assert f'value="3" id="id_{names[0]}_3" checked' in fresh
    assert f'value="" id="id_{names[1]}_skip" checked' in fresh
    assert fresh.count(" checked") == 2


def test_a_draft_versions_statements_are_rendered_from_its_items_as_they_are_now():
    draft = InstrumentVersion.objects.create(version="draft-cache", status="draft")
    item = ItemVersion.objects.create(
        instrument_version=draft, code="Q1", text="First wording.", kind="check", page=1, position=1
    )
    assert not instrument_queries.is_frozen(draft.pk)
    first = PageForm([item], frozen=instrument_queries.is_frozen(draft.pk)).statement_fragments()

    ItemVersion.objects.filter(pk=item.pk).update(text="Second wording.")
    item.refresh_from_db()
    second = PageForm([item], frozen=instrument_queries.is_frozen(draft.pk)).statement_fragments()

    assert "First wording." in first[0]
    assert "Second wording." in second[0] and "First wording." not in second[0]


def test_a_statement_with_an_error_is_never_served_from_the_cache(client):
    items = list(instrument_queries.page_items(build_instrument(1).pk, 1, "both"))
    name = f"q{items[0].pk}"
    PageForm(items, frozen=True).statement_fragments()  # caches the unchosen statements
    form = PageForm(items, data={name: "9"}, frozen=True)

    assert not form.is_valid()
    [with_error, *_] = form.statement_fragments()
    assert "Choose one of the seven answers" in with_error
    assert f'aria-describedby="err-{name}"' in with_error


@TRANSACTIONAL_DB  # threads need committed rows
def test_two_tabs_saving_one_page_at_the_same_moment_never_overwrite_each_other():
    """Both forms come from one render and change every answer differently: the save that
    takes the profile's lock second reads the first one's answers and gets the conflict page."""
    browser = Client()
    profile = draft_of(browser, None, build_instrument(1))
    names, hidden = form_of(browser.get(page_url(profile, 1)).content.decode())
    tabs = [browser, Client()]
    tabs[1].cookies = browser.cookies
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def save(tab: Client, value: str) -> None:
        try:
            barrier.wait()
            data = {**hidden, "nav": "next", **{n: value for n in names}}
            statuses.append(tab.post(page_url(profile, 1), data).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t, v)) for t, v in zip(tabs, "27", strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [302, 409]
    values = set(Answer.objects.filter(profile=profile).values_list("value", flat=True))
    assert values in ({2}, {7})  # one tab's answers, whole; the other tab was shown both
    assert PageTime.objects.get(profile=profile, page=1).visits == 1


def test_a_save_that_writes_nothing_leaves_updated_at_as_it_was(client):
    profile = draft_of(client, None, build_instrument(1))
    names, old_tab = form_of(client.get(page_url(profile, 1)).content.decode())
    _, new_tab = form_of(client.get(page_url(profile, 1)).content.decode())
    client.post(page_url(profile, 1), {**new_tab, "nav": "next", **{n: "6" for n in names}})
    saved = Profile.objects.get(pk=profile.pk).updated_at

    conflict = client.post(page_url(profile, 1), {**old_tab, "nav": "next", names[0]: "2"})
    refused = client.post(page_url(profile, 1), {"rendered": "forged", names[0]: "9"})

    assert conflict.status_code == 409 and refused.status_code == 400
    assert Profile.objects.get(pk=profile.pk).updated_at == saved
    assert set(Answer.objects.filter(profile=profile).values_list("value", flat=True)) == {6}
