"""The practitioner's clients list (PRACTICE.md §5, issue 17 lines 4 and 9): one row per
invitation or connection with its status, the last shared profile, "retake due" and a quality
caution; search by name, sorting, and a query count that does not grow with the clients."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from practice import services
from practice.clients import PAGE_SIZE
from practice.models import Connection, Invitation, Share
from profiles.models import Profile, ResultSnapshot
from tests.factories import UserFactory
from tests.practice.helpers import (
    client_for,
    connect,
    invite,
    many_clients,
    practitioner,
    submitted_profile,
)

pytestmark = pytest.mark.django_db

ROW = re.compile(r'client-row" data-status="(\w+)">.*?<a href="[^"]+">([^<]+)</a>', re.S)


def rows_of(response) -> list[tuple[str, str]]:
    """(status, name) of each row, in the order shown."""
    return ROW.findall(response.content.decode())


def listing(robin, **params):
    return client_for(robin.user).get(reverse("practice:clients"), params)


def shared_at(robin, name: str, days_ago: int) -> Connection:
    person = UserFactory()
    connection = connect(robin, person)
    Connection.objects.filter(pk=connection.pk).update(person_display_name=name)
    profile = submitted_profile(person)
    Profile.objects.filter(pk=profile.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    services.set_share(connection=connection, profile=profile, level="summary")
    return connection


def test_every_invitation_and_connection_is_one_row_with_its_status():
    robin = practitioner()
    invite(robin, email="invited@example.org")
    expired, _ = invite(robin, email="expired@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    declined, _ = invite(robin, email="declined@example.org")
    services.decline(invitation=declined)
    connected = connect(robin, UserFactory())
    Connection.objects.filter(pk=connected.pk).update(person_display_name="Sam")
    shared_at(robin, "Kim", days_ago=3)
    ended = connect(robin, UserFactory())
    Connection.objects.filter(pk=ended.pk).update(person_display_name="Lee")
    services.end_connection(connection=ended, by=Connection.EndedBy.PERSON)

    shown = dict((name, status) for status, name in rows_of(listing(robin, sort="status")))

    assert shown == {
        "invited@example.org": "invited",
        "expired@example.org": "expired",
        "declined@example.org": "not_accepted",
        "Sam": "connected",
        "Kim": "shared",
        "Lee": "ended",
    }
    text = listing(robin).content.decode()
    for word in ("invited", "expired", "not accepted", "connected", "shared", "ended"):
        assert f'<span class="client-status">{word}</span>' in text
    assert "Showing 6 of 6." in text


def test_an_accepted_invitation_is_shown_once_as_its_connection():
    robin = practitioner()
    invitation, _ = invite(robin, email="kim@example.org")
    services.accept(invitation=invitation, person=UserFactory(), show_submission_dates=True)

    assert rows_of(listing(robin)) == [("connected", "kim@example.org")]


def test_the_last_shared_profile_date_and_retake_due_from_six_weeks_after_it():
    robin = practitioner()
    shared_at(robin, "Recent", days_ago=41)
    shared_at(robin, "Due", days_ago=43)
    text = listing(robin, sort="name").content.decode()

    due_row = text[text.index(">Due<") : text.index(">Recent<")]
    recent_row = text[text.index(">Recent<") :]
    due_from = (timezone.now() - timedelta(days=43) + timedelta(weeks=6)).strftime("%-d %B %Y")
    recent_from = (timezone.now() - timedelta(days=41) + timedelta(weeks=6)).strftime("%-d %B %Y")
    assert f"Retake due (since {due_from})" in due_row
    assert f"Retake from {recent_from}" in recent_row and "Retake due (" not in recent_row
    shared_on = (timezone.now() - timedelta(days=41)).strftime("%-d %B %Y")
    assert f"Last shared profile: {shared_on}" in recent_row


def test_the_newest_shared_profile_counts_and_an_ended_connection_shows_no_share():
    robin = practitioner()
    connection = shared_at(robin, "Kim", days_ago=60)
    newer = submitted_profile(connection.person)
    services.set_share(connection=connection, profile=newer, level="summary")

    text = listing(robin).content.decode()
    assert "Retake from" in text and "Retake due (since" not in text

    services.end_connection(connection=connection, by=Connection.EndedBy.PRACTITIONER)
    text = listing(robin).content.decode()
    assert rows_of(listing(robin)) == [("ended", "Kim")]
    assert "Last shared profile:" not in text and "client-retake" not in text


def test_a_connection_with_nothing_shared_shows_its_reminders_to_share():
    robin = practitioner()
    connection = connect(robin, UserFactory())
    Connection.objects.filter(pk=connection.pk).update(
        person_display_name="Sam", share_reminders_sent=2, allows_share_reminders=False
    )
    shared_at(robin, "Kim", days_ago=3)

    text = listing(robin, sort="name").content.decode()

    sam = text[text.index(">Sam<") :]
    kim = text[text.index(">Kim<") : text.index(">Sam<")]
    assert "Reminders to share sent: 2 of 3 · switched off by them" in sam
    assert "Reminders to share" not in kim


def test_a_quality_caution_when_the_last_shared_profile_is_not_ok():
    robin = practitioner()
    [careful, fine] = many_clients(robin, 2)
    profile = Share.objects.get(connection=careful).profile
    snapshot = ResultSnapshot.objects.filter(profile=profile).get()
    data = dict(snapshot.data, quality=dict(snapshot.data["quality"], level="caution"))
    ResultSnapshot.objects.create(
        profile=profile,
        scoring_version=snapshot.scoring_version,
        copy_version=snapshot.copy_version,
        reason=ResultSnapshot.Reason.RESCORE,
        data=data,
    )  # a re-score: the newest snapshot is the one that counts

    text = listing(robin, sort="name").content.decode()

    careful_row = text[text.index(">Client 000<") : text.index(">Client 001<")]
    fine_row = text[text.index(">Client 001<") :]
    caution = "Answer quality of the last shared profile: read with some caution"
    assert caution in careful_row
    assert "Answer quality" not in fine_row


def test_search_finds_by_display_name_or_invitation_address_whatever_the_case():
    robin = practitioner()
    many_clients(robin, 3)
    invite(robin, email="sam.river@example.org")

    assert rows_of(listing(robin, q="client 001")) == [("shared", "Client 001")]
    assert rows_of(listing(robin, q="RIVER")) == [("invited", "sam.river@example.org")]
    nothing = listing(robin, q="nobody")
    assert rows_of(nothing) == [] and "No one matches that search." in nothing.content.decode()
    assert "Showing 0 of 4." in nothing.content.decode()


def test_each_sort_orders_the_rows():
    robin = practitioner()
    shared_at(robin, "Bea", days_ago=50)
    shared_at(robin, "Ada", days_ago=5)
    connect_named = connect(robin, UserFactory())
    Connection.objects.filter(pk=connect_named.pk).update(person_display_name="Cy")
    invite(robin, email="dee@example.org")  # the newest row

    def names(sort):
        return [name for _status, name in rows_of(listing(robin, sort=sort))]

    assert names("recent") == ["dee@example.org", "Cy", "Ada", "Bea"]
    assert names("name") == ["Ada", "Bea", "Cy", "dee@example.org"]
    assert names("status") == ["Ada", "Bea", "Cy", "dee@example.org"]
    assert names("last_shared") == ["Ada", "Bea", "dee@example.org", "Cy"]
    assert names("retake") == ["Bea", "Ada", "dee@example.org", "Cy"]
    assert names("recent") == [name for _s, name in rows_of(listing(robin))]  # the default


@pytest.mark.parametrize("params", [{"sort": "age"}, {"q": "x" * 101}, {"page": "two"}])
def test_a_bad_search_or_sort_is_a_400_that_says_what_is_wrong(params):
    robin = practitioner()
    many_clients(robin, 1)

    response = listing(robin, **params)

    assert response.status_code == 400
    assert 'class="invalid-feedback' in response.content.decode()
    assert rows_of(response) == []


def test_another_practitioners_clients_are_never_listed():
    robin, alex = practitioner(), practitioner("Alex Other")
    many_clients(alex, 2)
    invite(alex, email="alex-invite@example.org")

    response = listing(robin)

    assert rows_of(response) == []
    assert "Client 00" not in response.content.decode()
    assert "alex-invite" not in response.content.decode()


def test_the_list_is_shown_fifty_rows_a_page_keeping_the_search_and_sort():
    robin = practitioner()
    many_clients(robin, 120)

    first = listing(robin, sort="name", q="client")
    last = listing(robin, sort="name", q="client", page=3)
    beyond = listing(robin, sort="name", q="client", page=99)

    names = [name for _s, name in rows_of(first)]
    assert names == [f"Client {n:03d}" for n in range(50)]
    assert [name for _s, name in rows_of(last)] == [f"Client {n:03d}" for n in range(100, 120)]
    assert rows_of(beyond) == rows_of(last)  # past the end: the last page
    text = first.content.decode()
    assert "Showing 1 to 50 of 120 (120 in all)." in text and "Page 1 of 3" in text
    assert 'href="?q=client&amp;sort=name&amp;page=2">Next<' in text
    assert "Previous" not in text
    assert 'page=2">Previous<' in last.content.decode()


@pytest.mark.parametrize("count", [1, 50, 500])
def test_the_clients_list_takes_the_same_queries_at_1_50_and_500_clients(
    count, django_assert_num_queries
):
    robin = practitioner()
    many_clients(robin, count)
    invite(robin, email="open@example.org")
    client = client_for(robin.user)
    client.get(reverse("practice:clients"))  # the published copy's texts are cached from here

    # session, user, practitioner, connections with their counts, the newest shared profiles'
    # quality, invitations not accepted, the published copy
    with django_assert_num_queries(7):
        response = client.get(reverse("practice:clients"), {"sort": "retake", "q": "e"})

    assert response.status_code == 200
    assert len(rows_of(response)) == min(count + 1, PAGE_SIZE)


@pytest.mark.parametrize("count", [1, 50, 500])
def test_the_brief_takes_the_same_queries_at_1_50_and_500_clients(count, django_assert_num_queries):
    robin = practitioner()
    first = many_clients(robin, count)[0]
    client = client_for(robin.user)
    url = reverse("practice:brief", args=[first.public_id])
    client.get(url)  # copy texts cached

    with django_assert_num_queries(BRIEF_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert "Client 000" in response.content.decode()


# session, user, practitioner, connection, shares, snapshots, the log row of the profile shown
BRIEF_QUERIES = 7
