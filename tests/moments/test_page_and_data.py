"""The practice page, the follow-up, consent, deletion, export, retention (issue 18 lines 1, 5,
8, 9, 10)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.copy_release import copy_3_texts
from moments import chips, registry, services, tasks
from moments.models import Moment, MomentsSettings
from practice import notes
from profiles import privacy
from tests.factories import UserFactory
from tests.moments.helpers import consented, entry_data, moment
from tests.practice.helpers import client_for, connect, practitioner, submitted_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return consented(UserFactory())


# --- consent ------------------------------------------------------------------------------------
def test_first_use_asks_for_a_separate_consent_recorded_with_its_copy_version():
    person = UserFactory()
    client = client_for(person)

    first = client.get(reverse("moments:practice"))
    assert first.status_code == 302 and first.url.startswith(reverse("moments:consent"))
    page = client.get(first.url)
    assert "I agree that relcap stores my live moments" in page.content.decode()

    refused = client.post(reverse("moments:consent"), {"next": "/moments/"})
    assert refused.status_code == 400
    assert not MomentsSettings.objects.filter(consented_at__isnull=False).exists()

    agreed = client.post(reverse("moments:consent"), {"agree": "on", "next": "/moments/log/"})
    assert agreed.status_code == 302 and agreed.url == "/moments/log/"
    found = MomentsSettings.objects.get(person=person)
    assert found.consented_at is not None and found.consent_copy_version == "copy-3"
    assert client.get(reverse("moments:practice")).status_code == 200


def test_consent_never_sends_someone_off_site():
    client = client_for(UserFactory())

    response = client.post(
        reverse("moments:consent"), {"agree": "on", "next": "https://evil.example/"}
    )

    assert response.url == reverse("moments:practice")


# --- the practice page ------------------------------------------------------------------------
def test_the_page_shows_the_focus_of_the_latest_profile_and_this_week_only(person):
    submitted_profile(person)
    this_week = moment(person, trigger_text="Said in the kitchen")
    moment(person, hours_ago=24 * 9, trigger_text="Long ago")
    moment(UserFactory(), trigger_text="Someone else's")

    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert "What you are practising" in body
    assert "Primary focus" in body or "focus" in body.lower()
    assert "Said in the kitchen" in body
    assert "Long ago" not in body and "Someone else" not in body
    assert '<strong class="week-count">1</strong>' in body
    assert str(this_week.client_id) in body
    assert reverse("moments:log") in body and "Log a moment" in body


def test_without_a_profile_the_page_says_where_the_focus_will_come_from(person):
    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert "Once you have a profile" in body


def test_an_entry_is_shown_in_the_words_of_its_own_copy_version(person, monkeypatch):
    moment(person, responses=["withdrew"])

    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert "Withdrew or shut down" in body


def test_registry_parts_are_rendered_on_the_page(person, monkeypatch):
    def note(request):
        assert request.user == person
        return ("moments/_text_part.html", {"heading": "Agreed", "text": "Pause before replying"})

    def nothing(request):
        return None

    monkeypatch.setattr(registry, "PRACTICE_PAGE_PARTS", [note, nothing])
    monkeypatch.setattr(registry, "PRACTICE_PAGE_VIEWS", [note])

    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert body.count("Pause before replying") == 2
    assert "Over the weeks" in body


def test_the_page_shows_the_4_week_summary_with_the_way_to_the_views(person):
    moment(person, hours_ago=2)
    moment(UserFactory(), hours_ago=2)

    response = client_for(person).get(reverse("moments:practice"))

    body = response.content.decode()
    assert "Over the weeks" in body and reverse("moments:views") in body
    assert 'id="practice-moments-heading"' in body
    assert "moments-chart" not in body  # the measures only; the chart is on the views page


def test_without_parts_the_views_section_is_left_out(person, monkeypatch):
    monkeypatch.setattr(registry, "PRACTICE_PAGE_VIEWS", [])
    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert "Over the weeks" not in body


def test_the_service_worker_is_served_under_the_practice_area():
    from django.test import Client

    response = Client().get(reverse("moments:service_worker"))
    body = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert '"scope": "/moments/"' in body and '"form": "/moments/log/"' in body
    assert 'addEventListener("fetch"' in body
    assert "http" not in body.split("self.RELCAP_MOMENTS")[1].split(";")[0]  # no other origin


@pytest.mark.parametrize("count", [10, 5000])
def test_the_page_is_constant_in_queries(person, count, django_assert_num_queries):
    submitted_profile(person)
    now = timezone.now()
    Moment.objects.bulk_create(
        Moment(
            person=person,
            occurred_at=now - timedelta(minutes=n % 600),
            entered_at=now - timedelta(minutes=n % 600),
            copy_version="copy-3",
            triggers=["tone"],
            responses=["paused", "snapped"],
            follow_up="no_need",
        )
        for n in range(count)
    )
    for name in ("Robin Example", "Alex Other")[: 1 + count // 5000]:  # 1 or 2 practitioners
        connection = connect(practitioner(name), person)
        notes.set_agreed_practice(connection=connection, text=f"Pause first, says {name}")
    client = client_for(person)
    client.get(reverse("moments:practice"))  # copy texts read once per process

    # session, user, moments settings, published copy, snapshot, this week, due follow-ups;
    # the agreed-practice part (practice): its notes with their practitioners;
    # the "Over the weeks" part: the published copy, the person's time zone, the 4 weeks' rows
    with django_assert_num_queries(11):
        response = client.get(reverse("moments:practice"))

    assert response.status_code == 200
    assert "Pause first, says Robin Example" in response.content.decode()


# --- the follow-up ------------------------------------------------------------------------------
def test_the_next_visit_after_12_hours_asks_once_per_open_moment(person):
    client = client_for(person)
    open_one = moment(person, hours_ago=13)
    recent = moment(person, hours_ago=2)
    answered = moment(person, hours_ago=20, follow_up="repaired")
    too_old = moment(person, hours_ago=24 * 8)

    first = client.get(reverse("moments:practice")).content.decode()
    second = client.get(reverse("moments:practice")).content.decode()

    assert "Did you come back to it?" in first
    assert reverse("moments:follow_up", args=[open_one.client_id]) in first
    for other in (recent, answered, too_old):
        assert reverse("moments:follow_up", args=[other.client_id]) not in first
    assert "Did you come back to it?" not in second  # asked once
    open_one.refresh_from_db()
    assert open_one.follow_up_asked_at is not None
    recent.refresh_from_db()
    assert recent.follow_up_asked_at is None


def test_a_moment_noted_late_waits_12_hours_from_when_it_was_noted(person):
    late = moment(person, hours_ago=30)
    late.entered_at = timezone.now() - timedelta(hours=1)
    late.save()

    body = client_for(person).get(reverse("moments:practice")).content.decode()

    assert "Did you come back to it?" not in body


@pytest.mark.parametrize("answer", ["repaired", "not_yet", "no_need"])
def test_a_follow_up_answer_is_stored_once(person, answer):
    client = client_for(person)
    asked = moment(person, hours_ago=13)
    client.get(reverse("moments:practice"))
    url = reverse("moments:follow_up", args=[asked.client_id])

    assert client.post(url, {"answer": answer}).status_code == 302
    assert client.post(url, {"answer": "repaired"}).status_code == 302
    asked.refresh_from_db()
    assert asked.follow_up == answer and asked.follow_up_at is not None


def test_a_follow_up_never_asked_or_unknown_is_refused(person):
    client = client_for(person)
    fresh = moment(person)
    asked = moment(person, follow_up_asked_at=timezone.now())

    never = client.post(reverse("moments:follow_up", args=[fresh.client_id]), {"answer": "no_need"})
    wrong = client.post(reverse("moments:follow_up", args=[asked.client_id]), {"answer": "maybe"})

    assert never.status_code == wrong.status_code == 400
    assert "one of the three answers" in never.content.decode()
    assert not Moment.objects.exclude(follow_up="").exists()


# --- deletion, keeping, export, retention -------------------------------------------------------
def test_one_entry_is_deleted_after_a_confirmation(person):
    client = client_for(person)
    gone, kept = moment(person), moment(person)
    url = reverse("moments:delete", args=[gone.client_id])

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete this moment?" in confirm.content.decode()
    assert Moment.objects.count() == 2

    assert client.post(url).status_code == 302
    assert list(Moment.objects.all()) == [kept]
    assert client.post(url).status_code == 404


def test_delete_all_removes_only_the_persons_moments_after_a_confirmation(person):
    client = client_for(person)
    moment(person), moment(person)
    theirs = moment(UserFactory())

    assert "Delete all your moments?" in client.get(reverse("moments:delete_all")).content.decode()
    assert Moment.objects.count() == 3
    assert client.post(reverse("moments:delete_all")).status_code == 302
    assert list(Moment.objects.all()) == [theirs]


def test_keeping_beyond_12_months_is_the_persons_choice(person):
    client = client_for(person)

    client.post(reverse("moments:keep"), {"keep": "on"})
    assert MomentsSettings.objects.get(person=person).keep_entries
    client.post(reverse("moments:keep"), {})
    assert not MomentsSettings.objects.get(person=person).keep_entries


def test_retention_deletes_moments_older_than_12_months_unless_kept(person):
    keeper = consented(UserFactory())
    services.set_keep(person=keeper, keep=True)
    old = moment(person, hours_ago=24 * 370)
    recent = moment(person, hours_ago=24 * 300)
    kept_old = moment(keeper, hours_ago=24 * 400)

    assert tasks.apply_retention() == 1
    assert tasks.apply_retention() == 0  # idempotent
    assert set(Moment.objects.all()) == {recent, kept_old}
    assert not Moment.objects.filter(pk=old.pk).exists()


def test_retention_runs_daily_in_beat(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks.apply_retention.name in schedule


def test_the_account_export_holds_the_moments_with_a_code_book(person):
    client_for(person).post(
        reverse("moments:log"), entry_data(responses=["snapped", "paused"], trigger_text="Hm")
    )
    moment(UserFactory(), trigger_text="not mine")

    response = client_for(person).get(reverse("profiles:account_export"))
    data = json.loads(response.content)["moments"]

    assert data["consent_copy_version"] == "copy-3"
    [entry] = data["entries"]
    assert entry["trigger_text"] == "Hm"
    assert entry["responses"] == [
        {"code": "snapped", "capacity": "REG2", "kind": "reactive"},
        {"code": "paused", "capacity": "REG2", "kind": "steering"},
    ]
    book = data["code_book"]
    assert book["chips"]["copy-3"]["response"]["snapped"] == "Snapped or said something I regret"
    assert set(book["fields"]) >= {"client_id", "origin", "occurred_at", "entered_at"}
    assert book["capacities_of_responses"] == chips.RESPONSES
    assert "not mine" not in response.content.decode()


def test_the_export_holds_the_reminder_choice_and_every_reminder_sent(person):
    from datetime import time

    from moments import reminders
    from moments.models import Reminder

    reminders.set_reminders(
        person=person, frequency="weekly", at=time(19, 30), weekday=2, time_zone="Europe/Berlin",
        base_url="https://relcap.example", now=timezone.now(),
    )  # fmt: skip
    entry = moment(person)
    due = timezone.now() - timedelta(days=1)
    Reminder.objects.create(person=person, due_at=due, sent_at=due, moment=entry)
    Reminder.objects.create(person=UserFactory(), due_at=due)

    data = json.loads(client_for(person).get(reverse("profiles:account_export")).content)

    choice = data["moments"]["reminders"]
    assert (choice["frequency"], choice["time"], choice["weekday"]) == ("weekly", "19:30:00", 2)
    assert choice["time_zone"] == "Europe/Berlin"
    assert choice["site_address"] == "https://relcap.example"
    [sent] = data["moments"]["reminders_sent"]
    assert sent["entry"] == str(entry.client_id) and sent["sent_at"] == due.isoformat()


def test_deleting_the_account_deletes_the_moments(person):
    moment(person)
    other = moment(UserFactory())

    privacy.delete_account(user=person)

    assert list(Moment.objects.all()) == [other]
    assert not MomentsSettings.objects.filter(person_id=person.pk).exists()


def test_the_account_page_links_to_the_practice_page(person):
    body = client_for(person).get(reverse("profiles:account")).content.decode()

    assert reverse("moments:practice") in body


# --- wording ----------------------------------------------------------------------------------
def test_every_chip_code_has_its_words_in_copy_3():
    words = copy_3_texts()["moments"]["chips"]

    assert set(words["when"]) == set(chips.WHEN)
    assert set(words["context"]) == set(chips.CONTEXTS)
    assert set(words["role"]) == set(chips.ROLES)
    assert set(words["trigger"]) == set(chips.TRIGGERS)
    assert set(words["signal"]) == set(chips.SIGNALS)
    assert set(words["response"]) == set(chips.RESPONSES)
    assert set(copy_3_texts()["moments"]["follow_up"]) >= set(Moment.FollowUp.values)


def test_steering_responses_map_to_the_capacities_of_the_spec_and_each_reactive_has_one():
    assert chips.STEERING == {
        "paused": "REG2", "wondered": "MEN", "noticed_body": "EMP1", "felt_with": "EMP2",
        "benefit_of_doubt": "TRU1", "reached_out": "REP1", "let_repair_in": "REP2",
        "stayed_close": "BON2",
    }  # fmt: skip
    assert set(chips.REACTIVE) == {"snapped", "withdrew", "gave_in"}
    suggestions = copy_3_texts()["suggestions"]
    assert all(code in suggestions or code in ("MEN",) for code in chips.RESPONSES.values())


def test_the_wording_never_calls_a_reaction_a_failure_or_a_disorder():
    text = json.dumps(copy_3_texts()["moments"]).lower()

    for word in ("disorder", "symptom", "diagnos", "pathol", "dysfunction", "toxic", "bad "):
        assert word not in text
    assert "not a failure" in text
