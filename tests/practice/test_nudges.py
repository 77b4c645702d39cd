"""Reminders to share and the notice of a new share (PRACTICE.md §5, issue 17 line 4)."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from practice import services, tasks, tokens
from practice.models import Connection, Share, ShareReminder
from practice.privacy import export_part
from tests.db import TRANSACTIONAL_DB
from tests.factories import UserFactory
from tests.practice.helpers import client_for, connect, practitioner, submitted_profile

pytestmark = pytest.mark.django_db

# Words of a person's results and of share levels: none may appear in these e-mails.
RESULT_WORDS = (
    "summary", "report", "answer", "score", "level", "pattern", "focus", "strength",
    "quality", "capacity", "well-developed", "underdeveloped", "check-in", "note",
)  # fmt: skip


def without_links(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


def assert_content_free(message, *profiles) -> None:
    text = without_links(f"{message.subject}\n{message.body}").lower()
    for word in RESULT_WORDS:
        assert word not in text, word
    assert not re.search(r"\d", text)  # no score, no date, no count
    for profile in profiles:
        assert str(profile.public_id) not in message.body


def remind_url(connection) -> str:
    return reverse("practice:client_remind", args=[connection.public_id])


def client_url(connection) -> str:
    return reverse("practice:client", args=[connection.public_id])


@pytest.fixture
def pair():
    robin, person = practitioner(), UserFactory()
    profile = submitted_profile(person)
    return robin, person, profile, connect(robin, person)


# --- reminders to share ------------------------------------------------------------------------


def test_a_reminder_is_offered_sent_once_and_says_only_who_reminds(
    pair, django_capture_on_commit_callbacks
):
    robin, person, profile, connection = pair
    client = client_for(robin.user)

    page = client.get(client_url(connection)).content.decode()
    assert "Send a reminder to share" in page and remind_url(connection) in page
    assert "Reminders sent: 0 of 3." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(connection))

    assert response.status_code == 302 and response.url == client_url(connection)
    [message] = mail.outbox
    assert message.to == [person.email]
    assert "Robin Example" in message.subject and "Robin Example" in message.body
    assert reverse("practice:sharing") in message.body
    [reminder] = ShareReminder.objects.filter(connection=connection)
    off = reverse(
        "practice:share_reminders_off", args=[tokens.share_reminders_off_token(reminder.pk)]
    )
    assert off in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [header_url] = re.findall(r"<(\S+)>", message.extra_headers["List-Unsubscribe"])
    assert tokens.share_reminder_id(header_url.rstrip("/").rsplit("/", 1)[1]) == reminder.pk
    assert_content_free(message, profile)
    assert str(connection.public_id) not in message.body
    connection.refresh_from_db()
    assert connection.share_reminders_sent == 1
    assert connection.share_reminder_last_at == reminder.sent_at
    page = client.get(client_url(connection)).content.decode()
    assert "Reminders sent: 1 of 3." in page
    assert "Send a reminder to share" not in page and "the next one is possible on" in page


def test_a_double_click_or_two_tabs_send_exactly_one_reminder(
    pair, django_capture_on_commit_callbacks
):
    robin, _person, _profile, connection = pair
    first, second = client_for(robin.user), client_for(robin.user)

    with django_capture_on_commit_callbacks(execute=True):
        one = first.post(remind_url(connection))
        two = second.post(remind_url(connection), follow=True)

    assert one.status_code == 302 and two.status_code == 200
    assert len(mail.outbox) == 1
    assert ShareReminder.objects.filter(connection=connection).count() == 1
    assert Connection.objects.get(pk=connection.pk).share_reminders_sent == 1
    assert "the next one is possible on" in two.content.decode()


def test_reminders_are_seven_days_apart_and_three_in_all(pair, django_capture_on_commit_callbacks):
    _robin, _person, _profile, connection = pair
    start = timezone.now()

    def send(days: float):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_share_reminder(
                connection=connection,
                base_url="http://testserver/",
                now=start + timedelta(days=days),
            )

    assert send(0) is not None
    assert send(6.99) is None  # not yet a week
    assert send(7) is not None
    assert send(13) is None
    assert send(14) is not None
    assert send(21) is None and send(100) is None  # three in all
    assert len(mail.outbox) == 3
    connection.refresh_from_db()
    assert connection.share_reminders_sent == 3
    assert list(ShareReminder.objects.values_list("sent_at", flat=True)) == [
        start,
        start + timedelta(days=7),
        start + timedelta(days=14),
    ]
    refusal = services.share_reminder_refusal(
        connection, has_shares=False, now=start + timedelta(days=30)
    )
    assert refusal == "All three reminders have been sent."


def test_the_page_names_the_day_of_the_next_possible_reminder(
    pair, django_capture_on_commit_callbacks
):
    robin, _person, _profile, connection = pair
    client = client_for(robin.user)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remind_url(connection))
    later = start + timedelta(days=3)
    day = f"{timezone.localtime(start + timedelta(days=7)):%-d %B %Y}"

    with mock.patch("django.utils.timezone.now", return_value=later):
        waiting = client.get(client_url(connection)).content.decode()
        refused = client.post(remind_url(connection), follow=True)
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(days=7, seconds=5)):
        allowed = client.get(client_url(connection)).content.decode()

    assert f"the next one is possible on {day}." in waiting
    assert f"the next one is possible on {day}." in refused.content.decode()
    assert "Send a reminder to share" in allowed
    assert len(mail.outbox) == 1


def test_a_person_who_switched_reminders_off_gets_none(pair, django_capture_on_commit_callbacks):
    robin, person, _profile, connection = pair
    prefix = str(connection.public_id)[:8]
    sharing = client_for(person).get(reverse("practice:sharing")).content.decode()
    assert re.search(rf'name="{prefix}-allows_share_reminders"[^>]*checked', sharing)  # on

    saved = client_for(person).post(
        reverse("practice:choices", args=[connection.public_id]),
        {f"{prefix}-show_submission_dates": "on", f"{prefix}-future_level": "summary"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        refused = client_for(robin.user).post(remind_url(connection), follow=True)

    assert saved.status_code == 302
    assert Connection.objects.get(pk=connection.pk).allows_share_reminders is False
    assert "This person has switched reminders off." in refused.content.decode()
    assert "Send a reminder to share" not in refused.content.decode()
    assert mail.outbox == [] and not ShareReminder.objects.exists()
    assert Connection.objects.get(pk=connection.pk).share_reminders_sent == 0


def test_nothing_to_remind_about_once_something_is_shared(pair, django_capture_on_commit_callbacks):
    robin, _person, profile, connection = pair
    services.set_share(connection=connection, profile=profile, level="summary")
    mail.outbox.clear()  # the notice of the share

    with django_capture_on_commit_callbacks(execute=True):
        refused = client_for(robin.user).post(remind_url(connection), follow=True)

    assert "Something is shared on this connection" in refused.content.decode()
    assert mail.outbox == [] and not ShareReminder.objects.exists()


def test_an_ended_connection_gets_no_reminder(pair, django_capture_on_commit_callbacks):
    robin, _person, _profile, connection = pair
    services.end_connection(connection=connection, by=Connection.EndedBy.PERSON)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(robin.user).post(remind_url(connection))

    assert response.status_code == 404
    assert mail.outbox == [] and not ShareReminder.objects.exists()
    assert services.send_share_reminder(connection=connection, base_url="") is None


@pytest.mark.parametrize("who", ["other_practitioner", "person", "other_person", "anonymous"])
def test_only_the_connections_practitioner_can_send_a_reminder(
    pair, who, django_capture_on_commit_callbacks
):
    _robin, person, _profile, connection = pair
    user = {
        "other_practitioner": lambda: practitioner("Alex Other").user,
        "person": lambda: person,
        "other_person": UserFactory,
        "anonymous": lambda: None,
    }[who]()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(remind_url(connection))

    assert response.status_code == 404
    assert mail.outbox == [] and not ShareReminder.objects.exists()
    assert Connection.objects.get(pk=connection.pk).share_reminders_sent == 0


def test_a_retried_reminder_task_mails_once(pair):
    _robin, _person, _profile, connection = pair
    reminder = ShareReminder.objects.create(connection=connection)
    kwargs = {"reminder_id": reminder.pk, "base_url": "http://testserver/"}

    first = tasks.send_share_reminder.apply(kwargs=kwargs, task_id="remind-1").get()
    again = tasks.send_share_reminder.apply(kwargs=kwargs, task_id="remind-1").get()

    assert (first, again) == (True, False)
    assert len(mail.outbox) == 1


def test_a_reminder_queued_before_the_person_switched_off_or_shared_is_not_mailed(pair):
    _robin, _person, profile, connection = pair
    off = ShareReminder.objects.create(connection=connection)
    Connection.objects.filter(pk=connection.pk).update(allows_share_reminders=False)
    assert (
        tasks.send_share_reminder.apply(
            kwargs={"reminder_id": off.pk, "base_url": ""}, task_id="a"
        ).get()
        is False
    )

    Connection.objects.filter(pk=connection.pk).update(allows_share_reminders=True)
    connection.refresh_from_db()
    services.set_share(connection=connection, profile=profile, level="summary")
    mail.outbox.clear()
    assert (
        tasks.send_share_reminder.apply(
            kwargs={"reminder_id": off.pk, "base_url": ""}, task_id="b"
        ).get()
        is False
    )
    assert mail.outbox == []


def test_the_switch_off_link_asks_then_switches_reminders_off(
    pair, django_capture_on_commit_callbacks
):
    robin, _person, _profile, connection = pair
    with django_capture_on_commit_callbacks(execute=True):
        client_for(robin.user).post(remind_url(connection))
    [link] = re.findall(r"https?://\S+/sharing/reminders-off/\S+", mail.outbox[0].body)
    path = link.split("testserver", 1)[1]
    anonymous = client_for(None)

    shown = anonymous.get(path)
    assert shown.status_code == 200 and "Switch reminders off" in shown.content.decode()
    assert Connection.objects.get(pk=connection.pk).allows_share_reminders is True
    done = anonymous.post(path)  # no session, no CSRF token: the signed link is the proof
    again = anonymous.post(path)

    assert done.status_code == again.status_code == 200
    assert "Reminders switched off" in done.content.decode()
    assert Connection.objects.get(pk=connection.pk).allows_share_reminders is False
    expired = timezone.now() + tokens.SHARE_REMINDERS_OFF_MAX_AGE + timedelta(minutes=1)
    with mock.patch("time.time", return_value=expired.timestamp()):
        assert anonymous.get(path).status_code == 404


def test_the_person_can_switch_reminders_on_again_on_the_sharing_page(pair):
    _robin, person, _profile, connection = pair
    Connection.objects.filter(pk=connection.pk).update(allows_share_reminders=False)
    prefix = str(connection.public_id)[:8]

    client_for(person).post(
        reverse("practice:choices", args=[connection.public_id]),
        {f"{prefix}-allows_share_reminders": "on", f"{prefix}-future_level": "summary"},
    )

    assert Connection.objects.get(pk=connection.pk).allows_share_reminders is True


def test_the_export_holds_the_reminder_choice_and_every_reminder(pair):
    _robin, person, _profile, connection = pair
    start = timezone.now()
    services.send_share_reminder(connection=connection, base_url="", now=start)
    services.send_share_reminder(connection=connection, base_url="", now=start + timedelta(days=8))

    [exported] = export_part(person)["connections"]

    assert exported["allows_share_reminders"] is True
    assert exported["share_reminders"] == {
        "sent": 2,
        "dates": [start.isoformat(), (start + timedelta(days=8)).isoformat()],
    }


def test_deleting_the_account_deletes_its_reminders_and_their_switch_off_link(pair):
    _robin, person, _profile, connection = pair
    reminder = services.send_share_reminder(connection=connection, base_url="")
    path = reverse(
        "practice:share_reminders_off", args=[tokens.share_reminders_off_token(reminder.pk)]
    )

    person.delete()

    assert not ShareReminder.objects.exists()
    assert Connection.objects.get(pk=connection.pk).ended_by == Connection.EndedBy.DELETION
    assert client_for(None).get(path).status_code == 404


def test_the_client_page_and_the_reminder_use_a_constant_number_of_queries(
    pair, django_assert_max_num_queries
):
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    robin, _person, _profile, connection = pair
    client = client_for(robin.user)
    client.get(client_url(connection))  # warm the session and caches

    def page_queries() -> int:
        with CaptureQueriesContext(db) as captured:
            assert client.get(client_url(connection)).status_code == 200
        return len(captured)

    before = page_queries()
    with CaptureQueriesContext(db) as posted:
        client.post(remind_url(connection))  # the e-mail's task is not run here
    start = timezone.now()
    for days in (8, 16):
        services.send_share_reminder(
            connection=connection, base_url="", now=start + timedelta(days=days)
        )

    assert page_queries() == before  # however many reminders were sent
    assert len(posted) <= 10
    reminder = ShareReminder.objects.first()
    with django_assert_max_num_queries(7):  # the task: its TaskDone row, the reminder, the mail
        tasks.send_share_reminder.apply(
            kwargs={"reminder_id": reminder.pk, "base_url": ""}, task_id="count-1"
        )


# --- the notice of a new share ------------------------------------------------------------------


def share_url(connection) -> str:
    return reverse("practice:share", args=[connection.public_id])


def test_a_new_share_tells_the_practitioner_once_without_content(
    pair, django_capture_on_commit_callbacks
):
    robin, person, profile, connection = pair
    client = client_for(person)
    form = {"profile": profile.public_id, "level": "report_answers"}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(share_url(connection), form)
        second = client.post(share_url(connection), form)  # a double click

    assert first.status_code == second.status_code == 302
    [message] = mail.outbox
    assert message.to == [robin.user.email]
    assert message.subject == "A client shared something with you on relcap"
    assert client_url(connection) in message.body
    assert_content_free(message, profile)
    assert person.username not in message.body and person.email not in message.body
    assert Share.objects.get().notified_at is not None


def test_a_change_of_level_or_a_revoke_sends_nothing_and_a_new_share_names_the_chosen_name(
    pair, django_capture_on_commit_callbacks
):
    robin, person, profile, connection = pair
    Connection.objects.filter(pk=connection.pk).update(person_display_name="Kim & Co")
    client = client_for(person)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(share_url(connection), {"profile": profile.public_id, "level": "summary"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(share_url(connection), {"profile": profile.public_id, "level": "report"})
        client.post(share_url(connection), {"profile": profile.public_id, "level": "none"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Kim & Co shared something with you on relcap"
    assert "Kim & Co shared something with you on relcap." in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):  # shared again later: a new share
        client.post(share_url(connection), {"profile": profile.public_id, "level": "summary"})
    assert len(mail.outbox) == 2


def test_a_share_revoked_before_its_notice_went_is_not_announced(
    pair, django_capture_on_commit_callbacks
):
    _robin, person, profile, connection = pair
    client = client_for(person)

    with django_capture_on_commit_callbacks(execute=True):  # both before the task runs
        client.post(share_url(connection), {"profile": profile.public_id, "level": "summary"})
        client.post(share_url(connection), {"profile": profile.public_id, "level": "none"})

    assert mail.outbox == []


def test_a_retried_notice_task_mails_once_and_a_revoked_share_is_not_announced(pair):
    robin, _person, profile, connection = pair
    share = Share.objects.create(connection=connection, profile=profile)

    first = tasks.notify_share.apply(kwargs={"share_id": share.pk}).get()
    again = tasks.notify_share.apply(kwargs={"share_id": share.pk}).get()

    assert (first, again) == (True, False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [robin.user.email]
    share.delete()
    assert tasks.notify_share.apply(kwargs={"share_id": share.pk}).get() is False


def test_a_future_profile_shared_by_the_task_tells_each_practitioner_once(
    django_capture_on_commit_callbacks,
):
    robin, alex, person = practitioner(), practitioner("Alex Other"), UserFactory()
    for who in (robin, alex):
        Connection.objects.filter(pk=connect(who, person).pk).update(
            share_future=True, future_level="report"
        )

    with django_capture_on_commit_callbacks(execute=True):
        profile = submitted_profile(person)

    assert Share.objects.filter(profile=profile).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([robin.user.email, alex.user.email])
    for message in mail.outbox:
        assert_content_free(message, profile)
    # The task run again (a redelivery) shares and tells nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.share_future_profile.apply(kwargs={"profile_id": profile.pk})
    assert len(mail.outbox) == 2


@TRANSACTIONAL_DB  # threads need committed rows
def test_two_reminder_posts_at_the_same_moment_send_one():
    import threading

    from django.db import connection as db

    robin, person = practitioner(), UserFactory()
    connection = connect(robin, person)
    tabs = [client_for(robin.user), client_for(robin.user)]
    barrier = threading.Barrier(len(tabs))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(tab) -> None:
        try:
            barrier.wait()
            statuses.append(tab.post(remind_url(connection)).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [] and statuses == [302, 302]
    assert ShareReminder.objects.filter(connection=connection).count() == 1
    assert Connection.objects.get(pk=connection.pk).share_reminders_sent == 1
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_the_share_notice_speaks_the_practitioners_chosen_language(pair):
    from relcap.accounts.models import LanguageChoice

    robin, _person, profile, connection = pair
    LanguageChoice.objects.create(user=robin.user, language="de")
    share = Share.objects.create(connection=connection, profile=profile)

    assert tasks.notify_share.apply(kwargs={"share_id": share.pk}).get() is True

    (notice,) = mail.outbox
    assert "relcap etwas mit Ihnen geteilt" in notice.subject
    assert "nach der Anmeldung" in notice.body
