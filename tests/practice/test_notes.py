"""A practitioner's private notes and the agreed practice (PRACTICE.md §5; issue 17 line 4,
issue 18 line 1): private, dated, never shown to the person nor in their export; readable and
exportable for 30 days after the connection ends, then deleted by a daily task."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice import notes, services, tasks
from practice.models import AgreedPractice, Connection, PractitionerNote
from profiles import privacy
from tests.factories import UserFactory
from tests.moments.helpers import consented
from tests.practice.helpers import client_for, connect, practitioner, submitted_profile
from tests.relcap import test_url_ownership as ownership

pytestmark = pytest.mark.django_db
world = ownership.world  # the ownership matrix's fixture: a person with everything of theirs

SECRET = "Wonders whether the silence is about the mother zq9"
AGREED = "Pause for three breaths before answering zq9"


@pytest.fixture
def pair():
    robin, person = practitioner(), UserFactory()
    return robin, person, connect(robin, person)


def page(robin, connection):
    return client_for(robin.user).get(reverse("practice:client", args=[connection.public_id]))


def add(robin, connection, body=SECRET, nonce=None):
    return client_for(robin.user).post(
        reverse("practice:note_add", args=[connection.public_id]),
        {"body": body, "nonce": str(nonce or uuid.uuid4())},
    )


def note(connection, body=SECRET, **extra):
    made, _created = notes.add_note(connection=connection, nonce=uuid.uuid4(), body=body)
    if extra:
        PractitionerNote.objects.filter(pk=made.pk).update(**extra)
        made.refresh_from_db()
    return made


def end(connection, by, days_ago=0):
    if by == Connection.EndedBy.DELETION:
        privacy.delete_account(user=connection.person)
    else:
        services.end_connection(connection=connection, by=by)
    Connection.objects.filter(pk=connection.pk).update(
        ended_at=timezone.now() - timedelta(days=days_ago)
    )
    connection.refresh_from_db()


# --- writing notes ------------------------------------------------------------------------------
def test_notes_are_added_dated_and_listed_newest_first(pair):
    robin, _person, connection = pair
    assert add(robin, connection, "First thought").status_code == 302
    PractitionerNote.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert add(robin, connection, "Second thought").status_code == 302

    body = page(robin, connection).content.decode()

    assert body.index("Second thought") < body.index("First thought")
    two_days_ago = timezone.localdate() - timedelta(days=2)
    assert f"Note of {two_days_ago:%-d %B %Y}" in body
    assert "Only you can read these notes" in body
    assert 'for="id_body"' in body  # the form is labelled


def test_a_double_submit_makes_one_note(pair):
    robin, _person, connection = pair
    nonce = uuid.uuid4()

    first = add(robin, connection, nonce=nonce)
    second = add(robin, connection, nonce=nonce)

    assert first.status_code == second.status_code == 302
    assert PractitionerNote.objects.count() == 1


def test_a_form_id_used_on_another_connection_is_refused(pair):
    robin, _person, connection = pair
    other = connect(robin, UserFactory())
    nonce = uuid.uuid4()
    add(robin, connection, nonce=nonce)

    response = add(robin, other, "Elsewhere", nonce=nonce)

    assert response.status_code == 400
    assert list(PractitionerNote.objects.values_list("connection", flat=True)) == [connection.pk]


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_an_empty_or_too_long_note_is_refused_and_nothing_is_written(pair, body):
    robin, _person, connection = pair

    response = add(robin, connection, body)

    assert response.status_code == 400
    assert "id_body" in response.content.decode()  # the page again, with the form's error
    assert not PractitionerNote.objects.exists()


@pytest.mark.parametrize("nonce", ["", "not-a-uuid"])
def test_a_note_without_its_form_id_is_refused(pair, nonce):
    robin, _person, connection = pair

    response = client_for(robin.user).post(
        reverse("practice:note_add", args=[connection.public_id]), {"body": SECRET, "nonce": nonce}
    )

    assert response.status_code == 400
    assert not PractitionerNote.objects.exists()


def test_a_note_of_5000_characters_is_kept_whole(pair):
    robin, _person, connection = pair

    assert add(robin, connection, "y" * 5000).status_code == 302

    assert PractitionerNote.objects.get().body == "y" * 5000


def test_the_practitioner_edits_and_deletes_their_note(pair):
    robin, _person, connection = pair
    made = note(connection, created_at=timezone.now() - timedelta(hours=3))
    made.updated_at = made.created_at
    made.save()
    url = reverse("practice:note_edit", args=[connection.public_id, made.public_id])
    client = client_for(robin.user)
    assert SECRET in client.get(url).content.decode()

    assert client.post(url, {"body": "Changed my mind"}).status_code == 302
    made.refresh_from_db()
    assert made.body == "Changed my mind" and made.updated_at > made.created_at
    assert "changed" in page(robin, connection).content.decode()
    assert client.post(url, {"body": ""}).status_code == 400
    made.refresh_from_db()
    assert made.body == "Changed my mind"

    delete = reverse("practice:note_delete", args=[connection.public_id, made.public_id])
    assert client.post(delete).status_code == 302
    assert client.post(delete).status_code == 404  # a second click finds nothing to delete
    assert not PractitionerNote.objects.exists()


def test_a_note_is_reached_only_through_its_own_connection(pair):
    robin, _person, connection = pair
    other = connect(robin, UserFactory())
    made = note(connection)
    client = client_for(robin.user)

    edit = client.get(reverse("practice:note_edit", args=[other.public_id, made.public_id]))
    delete = client.post(reverse("practice:note_delete", args=[other.public_id, made.public_id]))

    assert edit.status_code == delete.status_code == 404
    assert PractitionerNote.objects.get().body == SECRET


def test_the_client_page_is_constant_in_queries_whatever_the_number_of_notes(pair):
    robin, _person, connection = pair
    counts = []
    for wanted in (1, 30):
        while PractitionerNote.objects.count() < wanted:
            note(connection, body=f"Note {PractitionerNote.objects.count()}")
        notes.set_agreed_practice(connection=connection, text=AGREED)
        client = client_for(robin.user)
        url = reverse("practice:client", args=[connection.public_id])
        client.get(url)
        with CaptureQueriesContext(db) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="note-body') == wanted
        counts.append(len(queries))

    # session, user, practitioner, connection with its agreed practice, shares, dates, notes
    assert counts[0] == counts[1] == 7, counts


# --- never the person's ------------------------------------------------------------------------
def persons_urls(world):
    """Every page the person of the ownership matrix can open with a GET."""
    for name, kind in sorted(ownership.COVERAGE.items()):
        if name in ownership.POST_ONLY:
            continue
        if kind in (ownership.PUBLIC, ownership.SIGNED_IN, ownership.MOMENTS_OWN):
            yield name, reverse(name)
        elif kind in (
            ownership.DRAFT,
            ownership.SUBMITTED,
            ownership.PAIR,
            ownership.CONNECTION,
            ownership.MOMENT,
        ):
            yield name, ownership.target(name, world)


def test_no_page_the_person_can_open_shows_a_note(world):
    connection, person = world["connection"], world["owner"]
    note(connection)
    notes.set_agreed_practice(connection=connection, text=AGREED)
    ended = connect(practitioner("Alex Ended"), person)
    note(ended, body=SECRET + " (ended)")
    end(ended, Connection.EndedBy.PERSON)
    client = client_for(person)

    opened = []
    for name, url in persons_urls(world):
        response = client.get(url)
        body = response.content.decode(errors="replace")
        assert SECRET not in body and "Private note zq7" not in body, name
        if response.status_code == 200:
            opened.append(name)

    assert {"practice:sharing", "moments:practice", "profiles:account_export"} <= set(opened)
    assert AGREED in client.get(reverse("moments:practice")).content.decode()


def test_the_persons_export_holds_the_agreed_practice_and_no_note(pair):
    robin, person, connection = pair
    note(connection)
    notes.set_agreed_practice(connection=connection, text=AGREED)

    response = client_for(person).get(reverse("profiles:account_export"))

    body = response.content.decode()
    assert SECRET not in body
    [exported] = json.loads(body)["practice"]["connections"]
    assert exported["agreed_practice"]["text"] == AGREED
    assert "notes" not in json.dumps(exported)


# --- the agreed practice -----------------------------------------------------------------------
def test_the_person_sees_each_live_connections_agreed_practice_with_the_name(pair):
    robin, person, connection = pair
    consented(person)
    other = connect(practitioner("Alex Other"), person)
    gone = connect(practitioner("Sam Gone"), person)
    connect(practitioner("Kim Silent"), person)  # no agreed practice: nothing of it
    client = client_for(robin.user)
    response = client.post(
        reverse("practice:agreed_practice", args=[connection.public_id]), {"text": AGREED}
    )
    assert response.status_code == 302
    notes.set_agreed_practice(connection=other, text="Name the feeling first")
    notes.set_agreed_practice(connection=gone, text="Never shown again")
    end(gone, Connection.EndedBy.PRACTITIONER)

    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert "Agreed with Robin Example" in body and AGREED in body
    assert "Agreed with Alex Other" in body and "Name the feeling first" in body
    assert "Sam Gone" not in body and "Never shown again" not in body
    assert "Kim Silent" not in body
    sharing = client_for(person).get(reverse("practice:sharing")).content.decode()
    assert AGREED in sharing and "Never shown again" not in sharing


def test_the_agreed_practice_is_changed_removed_and_checked(pair):
    robin, person, connection = pair
    consented(person)
    url = reverse("practice:agreed_practice", args=[connection.public_id])
    client = client_for(robin.user)
    client.post(url, {"text": AGREED})
    first = AgreedPractice.objects.get().updated_at

    assert client.post(url, {"text": AGREED}).status_code == 302  # the same again: no change
    assert AgreedPractice.objects.get().updated_at == first
    assert AGREED in page(robin, connection).content.decode()
    assert client.post(url, {"text": "z" * 1001}).status_code == 400
    assert AgreedPractice.objects.get().text == AGREED
    assert client.post(url, {"text": "z" * 1000}).status_code == 302
    assert AgreedPractice.objects.get().text == "z" * 1000

    assert client.post(url, {"text": "  "}).status_code == 302
    assert not AgreedPractice.objects.exists()
    assert "Agreed with" not in client_for(person).get(reverse("moments:practice")).content.decode()


# --- after the end ------------------------------------------------------------------------------
@pytest.mark.parametrize("by", Connection.EndedBy.values)
def test_after_the_end_the_notes_are_read_only_with_their_deletion_date(pair, by):
    robin, _person, connection = pair
    made = note(connection)
    notes.set_agreed_practice(connection=connection, text=AGREED)
    end(connection, by, days_ago=3)
    client = client_for(robin.user)

    response = page(robin, connection)

    body = response.content.decode()
    assert response.status_code == 200
    assert SECRET in body and AGREED in body
    deleted_on = timezone.localdate(connection.ended_at + timedelta(days=30))
    assert f"will be deleted on {deleted_on:%-d %B %Y}" in body
    assert f'action="{reverse("practice:note_add", args=[connection.public_id])}"' not in body
    assert reverse("practice:agreed_practice", args=[connection.public_id]) not in body
    assert "note_edit" not in body and "Delete" not in body
    edit = reverse("practice:note_edit", args=[connection.public_id, made.public_id])
    delete = reverse("practice:note_delete", args=[connection.public_id, made.public_id])
    agreed = reverse("practice:agreed_practice", args=[connection.public_id])
    assert add(robin, connection, "Too late").status_code == 400
    assert client.post(edit, {"body": "Too late"}).status_code == 400
    assert client.post(delete).status_code == 400
    assert client.post(agreed, {"text": "Too late"}).status_code == 400
    assert list(PractitionerNote.objects.values_list("body", flat=True)) == [SECRET]
    assert AgreedPractice.objects.get().text == AGREED
    export = client.get(reverse("practice:notes_export", args=[connection.public_id]))
    assert export.status_code == 200 and SECRET in export.content.decode()


def test_a_note_written_as_the_connection_ends_is_refused(pair):
    _robin, _person, connection = pair
    services.end_connection(connection=connection, by=Connection.EndedBy.PERSON)

    with pytest.raises(services.NotAllowed):
        notes.add_note(connection=connection, nonce=uuid.uuid4(), body="Late")  # a stale row
    assert not PractitionerNote.objects.exists()


def test_the_export_is_the_notes_of_that_connection_as_json(pair):
    robin, _person, connection = pair
    note(connection, body="Older", created_at=timezone.now() - timedelta(days=1))
    note(connection, body="Newer")
    note(connect(robin, UserFactory()), body="Another client")
    notes.set_agreed_practice(connection=connection, text=AGREED)

    response = client_for(robin.user).get(
        reverse("practice:notes_export", args=[connection.public_id])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="relcap-notes-')
    data = json.loads(response.content)
    assert data["connection"] == str(connection.public_id)
    assert [n["body"] for n in data["notes"]] == ["Newer", "Older"]
    assert {"id", "created_at", "updated_at", "body"} == set(data["notes"][0])
    assert data["agreed_practice"]["text"] == AGREED
    assert data["ended_at"] is None and data["notes_deleted_on"] is None


@pytest.mark.parametrize(("days", "kept"), [(29, True), (31, False)])
def test_notes_of_a_connection_ended_more_than_30_days_ago_are_deleted(pair, days, kept):
    robin, _person, connection = pair
    note(connection)
    notes.set_agreed_practice(connection=connection, text=AGREED)
    live = connect(robin, UserFactory())
    note(live, body="A live client's note")
    end(connection, Connection.EndedBy.PRACTITIONER, days_ago=days)
    export_url = reverse("practice:notes_export", args=[connection.public_id])

    # Until the task runs, the page and the download already follow the 30 days.
    assert (SECRET in page(robin, connection).content.decode()) is kept
    assert client_for(robin.user).get(export_url).status_code == (200 if kept else 404)

    assert tasks.delete_ended_notes() == (0 if kept else 1)

    assert PractitionerNote.objects.filter(connection=connection).exists() is kept
    assert AgreedPractice.objects.filter(connection=connection).exists() is kept
    assert PractitionerNote.objects.filter(connection=live).exists()
    response = page(robin, connection)
    assert response.status_code == 200  # the ended connection's page still opens
    assert (SECRET in response.content.decode()) is kept
    assert ("were deleted on" in response.content.decode()) is not kept
    assert tasks.delete_ended_notes() == 0  # idempotent


def test_deleting_notes_runs_daily_in_beat(settings):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == tasks.delete_ended_notes.name
    ]

    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {45}


def test_the_brief_and_shared_views_are_untouched_by_notes(pair):
    """Notes are the practitioner's own: the brief is made from shared snapshots only."""
    robin, person, connection = pair
    profile = submitted_profile(person)
    services.set_share(connection=connection, profile=profile, level="summary")
    note(connection)

    brief = client_for(robin.user).get(reverse("practice:brief", args=[connection.public_id]))

    assert brief.status_code == 200 and SECRET not in brief.content.decode()


def test_deleting_the_practitioners_account_deletes_their_notes(pair):
    robin, _person, connection = pair
    note(connection)
    notes.set_agreed_practice(connection=connection, text=AGREED)

    privacy.delete_account(user=robin.user)

    assert not PractitionerNote.objects.exists() and not AgreedPractice.objects.exists()


@pytest.mark.parametrize("body", ["", "x" * 5001])
def test_the_database_refuses_an_empty_or_too_long_note(pair, body):
    from django.db import IntegrityError, transaction

    _robin, _person, connection = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        PractitionerNote.objects.create(connection=connection, nonce=uuid.uuid4(), body=body)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreedPractice.objects.create(connection=connection, text=body or "x" * 1001)
