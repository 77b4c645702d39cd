"""An anonymous profile's private link (issue 14, line 1): shown with a copy button, e-mailed
on request without the address being kept, and enough on its own to export or delete the
profile; unclaimed profiles are deleted 24 months after submission."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from profiles import privacy, queries
from profiles.models import Answer, Profile
from tests.factories import ProfileFactory, UserFactory, answer_all
from tests.profiles.helpers import answer_all_pages, start

pytestmark = pytest.mark.django_db

ADDRESS = "river.stone@example.org"


def submitted_anonymously(client: Client) -> Profile:
    profile = start(client)
    answer_all_pages(client, profile)
    response = client.post(reverse("profiles:review", args=[profile.public_id]))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.is_submitted
    return profile


def link_of(profile: Profile) -> str:
    return reverse("profiles:resume_link", args=[queries.resume_token(profile)])


@pytest.fixture
def mail_form(django_capture_on_commit_callbacks):
    """Post "e-mail me this link". The tests run in a transaction that never commits, so what
    the post queued for the commit (the mail task, inline without a broker) runs after it."""

    def post(client: Client, profile: Profile, email: str = ADDRESS, nonce=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("profiles:email_link", args=[profile.public_id]),
                {"email": email, "nonce": str(nonce or uuid.uuid4())},
            )

    return post


def test_the_report_shows_the_private_link_and_says_it_is_the_only_way_back(client):
    profile = submitted_anonymously(client)

    html = client.get(reverse("profiles:report", args=[profile.public_id])).content.decode()

    assert f"http://testserver{link_of(profile)}" in html
    assert "Without this link, or an account, it cannot be found again" in html
    assert (
        'class="btn btn-outline-primary btn-sm copy-link" data-copy="private-link-url" hidden'
        in html
    )
    assert "deleted 24 months after it was submitted" in html
    assert reverse("profiles:email_link", args=[profile.public_id]) in html


def test_the_private_link_opens_the_report_in_another_browser(client):
    profile = submitted_anonymously(client)
    elsewhere = Client()
    assert elsewhere.get(profile.get_absolute_url()).status_code == 404

    response = elsewhere.get(link_of(profile), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == profile.get_absolute_url()


def test_the_saved_page_shows_the_private_link_and_the_mail_form(client):
    profile = start(client)
    html = client.get(reverse("profiles:saved", args=[profile.public_id])).content.decode()

    assert f"http://testserver{link_of(profile)}" in html
    assert "they cannot be found again" in html
    assert 'name="email"' in html


def test_a_profile_in_an_account_shows_no_private_link(client):
    person = UserFactory()
    client.force_login(person)
    profile = submitted_anonymously(client)
    assert profile.user == person

    html = client.get(profile.get_absolute_url()).content.decode()

    assert "/r/" not in html
    assert "private-link-url" not in html


def test_the_link_is_mailed_once_and_the_address_is_kept_nowhere(client, mail_form):
    profile = submitted_anonymously(client)

    response = mail_form(client, profile)

    assert response.status_code == 302
    assert response.url == profile.get_absolute_url()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS]
    assert f"http://testserver{link_of(profile)}" in mail.outbox[0].body
    dumped = json_dump_of_everything()
    assert ADDRESS not in dumped
    assert ADDRESS.split("@")[0] not in dumped


def json_dump_of_everything() -> str:
    """Every model row (sessions, task records, profiles…) and the cache table, as text."""
    from io import StringIO

    out = StringIO()
    call_command("dumpdata", stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM relcap_cache")
        cached = repr(cursor.fetchall())
    return out.getvalue() + cached


def test_a_double_submit_sends_one_mail(client, mail_form):
    profile = submitted_anonymously(client)
    nonce = uuid.uuid4()

    first = mail_form(client, profile, nonce=nonce)
    second = mail_form(client, profile, nonce=nonce)

    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 1


def test_at_most_three_mails_a_day_per_profile(client, mail_form):
    profile = submitted_anonymously(client)
    for _ in range(3):
        assert mail_form(client, profile).status_code == 302

    refused = mail_form(client, profile, email="someone.else@example.org")

    assert refused.status_code == 429
    assert "already been e-mailed 3 times today" in refused.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("email", ["", "not-an-address", "a@", "x" * 250 + "@example.org"])
def test_a_bad_address_is_a_form_error_and_sends_nothing(client, email, mail_form):
    profile = submitted_anonymously(client)

    response = mail_form(client, profile, email=email)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "The link was not sent" in html
    assert len(mail.outbox) == 0


def test_a_stranger_can_neither_mail_export_nor_delete_the_profile(client, mail_form):
    profile = submitted_anonymously(client)
    stranger = Client()

    assert mail_form(stranger, profile).status_code == 404
    assert (
        stranger.get(reverse("profiles:profile_export", args=[profile.public_id])).status_code
        == 404
    )
    delete = reverse("profiles:profile_delete", args=[profile.public_id])
    assert stranger.post(delete).status_code == 404
    assert Profile.objects.filter(pk=profile.pk).exists()
    assert len(mail.outbox) == 0


def test_a_profile_in_an_account_cannot_have_its_link_mailed(client, mail_form):
    client.force_login(UserFactory())
    profile = submitted_anonymously(client)

    response = mail_form(client, profile)

    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_holding_the_link_is_enough_to_export_the_profile(client):
    profile = submitted_anonymously(client)
    elsewhere = Client()
    elsewhere.get(link_of(profile))

    response = elsewhere.get(reverse("profiles:profile_export", args=[profile.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    (exported,) = data["profiles"]
    assert exported["id"] == str(profile.public_id)
    assert len(exported["answers"]) == Answer.objects.filter(profile=profile).count()
    assert exported["snapshots"] and exported["submitted_at"]


def test_holding_the_link_is_enough_to_delete_the_profile_after_confirming(client):
    profile = submitted_anonymously(client)
    elsewhere = Client(enforce_csrf_checks=True)
    elsewhere.get(link_of(profile))
    delete = reverse("profiles:profile_delete", args=[profile.public_id])

    confirm = elsewhere.get(delete)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert Profile.objects.filter(pk=profile.pk).exists()

    assert elsewhere.post(delete).status_code == 403  # no CSRF token: nothing deleted
    assert Profile.objects.filter(pk=profile.pk).exists()

    token = elsewhere.cookies["csrftoken"].value
    response = elsewhere.post(delete, {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not Answer.objects.filter(profile_id=profile.pk).exists()


NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def anonymous_submitted(at: datetime, **fields) -> Profile:
    profile = ProfileFactory(submitted_at=at, **fields)
    answer_all(profile)
    return profile


def test_retention_deletes_unclaimed_profiles_24_months_after_submission(
    django_capture_on_commit_callbacks,
):
    old = anonymous_submitted(datetime(2024, 3, 30, 12, 0, tzinfo=UTC))
    recent = anonymous_submitted(datetime(2024, 4, 1, 12, 0, tzinfo=UTC))
    claimed = anonymous_submitted(
        datetime(2024, 3, 1, tzinfo=UTC), user=UserFactory(last_login=NOW)
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = privacy.apply_retention(now=NOW)

    assert report.anonymous_deleted == 1
    assert "1 unclaimed anonymous profiles" in report.summary()
    assert not Profile.objects.filter(pk=old.pk).exists()
    assert not Answer.objects.filter(profile_id=old.pk).exists()
    assert Profile.objects.filter(pk__in=[recent.pk, claimed.pk]).count() == 2


def test_the_mail_task_sends_nothing_for_a_profile_saved_to_an_account_since(client):
    from profiles import private_link

    profile = submitted_anonymously(client)
    Profile.objects.filter(pk=profile.pk).update(user=UserFactory())

    sent = private_link.send_link_mail(
        public_id=str(profile.public_id), email=ADDRESS, base_url="http://testserver/"
    )

    assert sent is False
    assert mail.outbox == []


def test_the_privacy_page_states_the_period(settings):
    text = (settings.BASE_DIR / "docs" / "privacy.md").read_text()
    assert "24 months after" in text and "unclaimed" in text.lower()
