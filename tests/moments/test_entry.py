"""The entry form (PRACTICE.md §7, issue 18 line 2): what is stored, what is refused, and that a
resend never duplicates."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from moments import chips
from moments.copy import published_version
from moments.forms import occurred_at
from moments.models import Moment
from tests.factories import UserFactory
from tests.moments.helpers import consented, entry_data
from tests.practice.helpers import client_for, submitted_profile

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def person():
    return consented(UserFactory())


def test_an_entry_is_stored_with_every_field_in_tap_order(person):
    data = entry_data(
        trigger_text="  They sighed when I came in.  ",
        responses=["paused", "snapped", "reached_out"],  # form order
        response_order="snapped,paused,reached_out",  # tapped order
        used_practice="on",
        focus="REG2",
    )
    before = timezone.now()

    response = client_for(person).post(reverse("moments:log"), data)

    assert response.status_code == 302 and response.url == reverse("moments:practice")
    moment = Moment.objects.get()
    assert moment.person == person
    assert str(moment.client_id) == data["client_id"]
    assert moment.origin == "self"
    assert (moment.context, moment.role) == ("close", "partner")
    assert moment.triggers == ["criticised"]
    assert moment.trigger_text == "They sighed when I came in."
    assert moment.signals == ["tight_chest"]
    assert moment.intensity == 6
    assert moment.responses == ["snapped", "paused", "reached_out"]
    assert moment.used_practice and moment.focus_key == "REG2"
    assert moment.copy_version == published_version() == "copy-3"
    assert before <= moment.entered_at <= timezone.now()
    assert moment.occurred_at == moment.entered_at


def test_a_resend_with_the_same_client_id_stores_one_entry_and_answers_alike(person):
    client = client_for(person)
    data = entry_data()

    first = client.post(reverse("moments:log"), data, **JSON)
    again = client.post(reverse("moments:log"), data | {"intensity": "9"}, **JSON)
    html = client.post(reverse("moments:log"), data)

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"moment": data["client_id"], "saved": True}
    assert html.status_code == 302
    assert Moment.objects.get().intensity == 6  # the first sending is kept as it was


def test_the_same_client_id_from_two_people_makes_two_entries(person):
    other = consented(UserFactory())
    data = entry_data()

    client_for(person).post(reverse("moments:log"), data)
    client_for(other).post(reverse("moments:log"), data)

    assert Moment.objects.filter(client_id=data["client_id"]).count() == 2


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"triggers": None, "signals": None, "responses": None, "trigger_text": ""}, "need_one"),
        ({"trigger_text": "x" * 281}, "too_long"),
        ({"triggers": ["shouting"]}, "bad_choice"),
        ({"responses": ["sulked"]}, "bad_choice"),
        ({"intensity": "11"}, "bad_choice"),
        ({"intensity": "-1"}, "bad_choice"),
        ({"role": "Alex"}, "bad_choice"),
        ({"context": "home"}, "bad_choice"),
        ({"client_id": "not-a-uuid"}, "bad_choice"),
        ({"client_id": None}, "bad_choice"),
        ({"copy_version": "copy-2"}, "bad_choice"),  # has no moments words
        ({"copy_version": "copy-99"}, "bad_choice"),
        ({"focus": "NOPE"}, "bad_choice"),
        ({"when": "tomorrow"}, "bad_choice"),
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_is_written(person, change, problem):
    client = client_for(person)
    data = {k: v for k, v in (entry_data() | change).items() if v is not None}

    response = client.post(reverse("moments:log"), data, **JSON)
    page = client.post(reverse("moments:log"), data)

    assert response.status_code == 400
    assert response.json()["error"] == problem
    assert response.json()["message"]
    assert page.status_code == 400
    assert response.json()["message"] in page.content.decode()
    assert not Moment.objects.exists()


def test_a_refused_form_comes_back_with_what_was_chosen(person):
    data = entry_data(trigger_text="y" * 300, signals=["heat", "tears"])

    body = client_for(person).post(reverse("moments:log"), data).content.decode()

    assert 'value="heat" checked' in body and 'value="tears" checked' in body
    assert 'value="partner" checked' in body
    assert "y" * 300 in body


def test_one_trigger_text_alone_is_enough(person):
    data = entry_data(triggers=None, signals=None, responses=None, trigger_text="A long day.")

    assert client_for(person).post(reverse("moments:log"), data).status_code == 302
    assert Moment.objects.get().trigger_text == "A long day."


def test_every_field_but_the_id_is_optional_given_one_signal(person):
    data = {
        "client_id": str(uuid.uuid4()),
        "copy_version": published_version(),
        "signals": "numb",
    }

    assert client_for(person).post(reverse("moments:log"), data).status_code == 302
    moment = Moment.objects.get()
    assert (moment.context, moment.role, moment.intensity, moment.origin) == ("", "", None, "self")


def test_a_reminders_link_marks_the_entry_prompted_and_answers_the_reminder(person):
    from moments import reminders
    from moments.models import MomentsSettings, Reminder

    MomentsSettings.objects.filter(person=person).update(ignored_in_row=3)
    reminder = Reminder.objects.create(person=person, due_at=timezone.now(), sent_at=timezone.now())
    token = reminders.prompted_token(reminder)
    client = client_for(person)

    page = client.get(reverse("moments:log"), {"reminder": token}).content.decode()
    assert f'name="reminder" value="{token}"' in page
    assert 'name="reminder"' not in client.get(reverse("moments:log")).content.decode()
    client.post(reverse("moments:log"), entry_data(reminder=token))

    moment = Moment.objects.get()
    reminder.refresh_from_db()
    assert moment.origin == "prompted"
    assert reminder.opened_at is not None and reminder.moment == moment
    assert MomentsSettings.objects.get(person=person).ignored_in_row == 0


def test_an_entry_is_prompted_only_with_a_valid_token_of_ones_own_reminder(person):
    from moments import reminders
    from moments.models import Reminder

    someone_elses = Reminder.objects.create(person=UserFactory(), due_at=timezone.now())
    client = client_for(person)

    client.post(reverse("moments:log"), entry_data(origin="prompted"))  # no token: self
    client.post(reverse("moments:log"), entry_data(reminder="forged:token"))
    client.post(
        reverse("moments:log"), entry_data(reminder=reminders.prompted_token(someone_elses))
    )

    assert set(Moment.objects.values_list("origin", flat=True)) == {"self"}
    assert Moment.objects.count() == 3
    someone_elses.refresh_from_db()
    assert someone_elses.moment is None and someone_elses.opened_at is None


def test_the_form_offers_the_current_focus_for_i_used_my_practice(person):
    submitted_profile(person)

    body = client_for(person).get(reverse("moments:log")).content.decode()

    assert 'name="focus" value="' in body
    assert 'name="focus" value=""' not in body
    assert "I used my practice" in body


def test_every_chip_is_a_real_input_in_a_fieldset_with_its_copy_label(person):
    body = client_for(person).get(reverse("moments:log")).content.decode()

    assert body.count("<fieldset") == 9 and body.count("<legend") == 9
    for code in (*chips.TRIGGERS, *chips.SIGNALS, *chips.RESPONSES):
        assert f'value="{code}"' in body
    assert "Snapped or said something I regret" in body
    assert "understandable, learned reactions" in body


def test_a_device_clock_keeps_an_offline_entry_s_time(person):
    noted = timezone.now() - timedelta(hours=3)

    client_for(person).post(reverse("moments:log"), entry_data(entered_at=noted.isoformat()))

    moment = Moment.objects.get()
    assert moment.entered_at == noted == moment.occurred_at


def test_a_device_clock_far_off_is_not_trusted(person):
    client_for(person).post(
        reverse("moments:log"), entry_data(entered_at="2001-01-01T00:00:00+00:00")
    )

    assert timezone.now() - Moment.objects.get().entered_at < timedelta(minutes=1)


ZONE = ZoneInfo("Europe/Berlin")
NOTED = datetime(2026, 12, 2, 15, 30, tzinfo=ZONE)


@pytest.mark.parametrize(
    "when, at, expected",
    [
        ("now", None, NOTED),
        ("earlier", None, datetime(2026, 12, 2, 13, 30, tzinfo=ZONE)),
        ("earlier", "09:15", datetime(2026, 12, 2, 9, 15, tzinfo=ZONE)),
        ("yesterday", None, datetime(2026, 12, 1, 12, 0, tzinfo=ZONE)),
        ("yesterday", "22:40", datetime(2026, 12, 1, 22, 40, tzinfo=ZONE)),
        ("earlier", "16:00", None),  # later than now: refused
    ],
)
def test_when_it_happened(when, at, expected):
    from datetime import time

    chosen = time.fromisoformat(at) if at else None

    assert occurred_at(when, chosen, NOTED, ZONE) == expected


def test_earlier_today_just_after_midnight_stays_today():
    noted = datetime(2026, 12, 2, 0, 40, tzinfo=ZONE)

    assert occurred_at("earlier", None, noted, ZONE) == datetime(2026, 12, 2, tzinfo=ZONE)


def test_a_time_later_than_when_it_was_noted_is_refused_with_its_message(person):
    day_before = (timezone.now() - timedelta(days=1)).astimezone(ZoneInfo("UTC"))
    noted = day_before.replace(hour=10, minute=0, second=0, microsecond=0)
    data = entry_data(when="earlier", at_time="11:00", tz="UTC", entered_at=noted.isoformat())

    response = client_for(person).post(reverse("moments:log"), data, **JSON)

    assert response.status_code == 400 and response.json()["error"] == "bad_time"
    assert not Moment.objects.exists()


def test_logging_an_entry_takes_at_most_six_queries(person, django_assert_max_num_queries):
    client = client_for(person)
    client.get(reverse("moments:log"))  # the form was shown: its copy is read

    with django_assert_max_num_queries(6):
        response = client.post(reverse("moments:log"), entry_data(), **JSON)

    assert response.status_code == 200
    assert Moment.objects.count() == 1


def test_without_consent_the_form_leads_to_the_consent_page_and_nothing_is_written():
    person = UserFactory()
    client = client_for(person)

    page = client.get(reverse("moments:log") + "?reminder=a-token")
    posted = client.post(reverse("moments:log"), entry_data(), **JSON)

    assert page.status_code == 302
    assert page.url.startswith(reverse("moments:consent"))
    assert "reminder%3Da-token" in page.url or "reminder=a-token" in page.url
    assert posted.status_code == 403
    assert not Moment.objects.exists()


def test_a_time_given_with_now_means_today_at_that_time(person):
    noted = (timezone.now() - timedelta(days=1)).replace(hour=20, minute=0, microsecond=0)
    data = entry_data(when="now", at_time="08:30", tz="UTC", entered_at=noted.isoformat())

    client_for(person).post(reverse("moments:log"), data)

    assert Moment.objects.get().occurred_at == noted.replace(hour=8, minute=30, second=0)


def test_280_characters_with_line_breaks_as_a_browser_sends_them_are_accepted(person):
    text = "\r\n".join(["x" * 69] * 4) + "x"  # 280 characters once \r\n is one line break

    response = client_for(person).post(reverse("moments:log"), entry_data(trigger_text=text))

    assert response.status_code == 302
    assert len(Moment.objects.get().trigger_text) == 280
