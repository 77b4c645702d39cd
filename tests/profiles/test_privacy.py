"""Data rights: the account page, export, deleting a profile or the account, withdrawing consent."""

import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from profiles import privacy
from profiles.models import Answer, PageTime, Profile, ResultSnapshot
from profiles.queries import SESSION_KEY
from relcap.accounts import delays
from relcap.accounts.models import PasswordThrottle
from tests.factories import ProfileFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"


def full_profile(user, value: int = 4) -> Profile:
    profile = ProfileFactory(user=user, submitted_at=timezone.now(), research_opt_in=True)
    answer_all(profile, value=value)
    PageTime.objects.create(profile=profile, page=1, total_ms=61_000, visits=2)
    ResultSnapshot.objects.create(
        profile=profile,
        scoring_version="score-1",
        copy_version="copy-1",
        data={"dimensions": {"MEN": {"score": "58"}}, "marker": f"result-of-{user.username}"},
    )
    return profile


@pytest.fixture
def person():
    return UserFactory(username="delete-me-zq", email="delete-me-zq@example.org")


@pytest.fixture
def someone_else():
    return UserFactory(username="stays-here-qx", email="stays-here-qx@example.org")


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def personal_rows(user) -> dict[type[models.Model], set]:
    """Every row of every installed model that reaches `user` through foreign keys."""
    user_model = get_user_model()
    found: dict[type[models.Model], set] = {user_model: {user.pk}}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.related_model not in found:
                    continue
                pks = set(
                    model._default_manager.filter(
                        **{f"{field.attname}__in": found[field.related_model]}
                    ).values_list("pk", flat=True)
                )
                if pks - found.get(model, set()):
                    found.setdefault(model, set()).update(pks)
                    changed = True
    return found


def text_mentions(needle: str) -> list[str]:
    """Every table and text column, across all installed apps, that still contains `needle`."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.name}__icontains": needle}
                if model._default_manager.filter(**lookup).exists():
                    hits.append(f"{model._meta.label}.{field.name}")
    return hits


def test_account_page_lists_my_profiles_and_nothing_of_others(signed_in, person, someone_else):
    mine = full_profile(person)
    theirs = full_profile(someone_else)

    html = signed_in.get(reverse("profiles:account")).content.decode()

    assert reverse("profiles:profile_delete", args=[mine.public_id]) in html
    assert str(theirs.public_id) not in html
    assert "delete-me-zq@example.org" in html


def test_export_is_a_json_attachment(signed_in, person):
    response = signed_in.get(reverse("profiles:account_export"))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="relcap-export-')
    assert json.loads(response.content)["account"]["username"] == "delete-me-zq"


def test_export_query_count_does_not_grow_with_the_number_of_profiles(person):
    full_profile(person)
    with CaptureQueriesContext(connection) as one:
        privacy.export_user_data(user=person)
    for _ in range(4):
        full_profile(person)

    with CaptureQueriesContext(connection) as five:
        data = privacy.export_user_data(user=person)

    assert len(data["profiles"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_export_holds_answers_with_item_texts_page_times_snapshots_and_consent(signed_in, person):
    profile = full_profile(person, value=6)
    item = profile.instrument_version.items.get(code="REG1-W3")

    data = json.loads(signed_in.get(reverse("profiles:account_export")).content)

    exported = data["profiles"][0]
    answers = {a["item_code"]: a for a in exported["answers"]}
    assert exported["id"] == str(profile.public_id)
    assert len(answers) == profile.instrument_version.items.count()
    assert answers["REG1-W3"] == {**answers["REG1-W3"], "item_text": item.text, "value": 6}
    assert exported["consent"]["notice_version"] == "consent-1"
    assert exported["consent"]["research_opt_in"] is True
    assert exported["page_times"] == [{"page": 1, "total_ms": 61000, "visits": 2}]
    assert exported["snapshots"][0]["data"]["marker"] == "result-of-delete-me-zq"


def test_export_holds_nothing_of_other_people(signed_in, person, someone_else):
    full_profile(person)
    other = full_profile(someone_else)
    ProfileFactory()  # an anonymous attempt

    content = signed_in.get(reverse("profiles:account_export")).content.decode()

    assert len(json.loads(content)["profiles"]) == 1
    assert str(other.public_id) not in content
    assert "stays-here-qx" not in content


def test_profile_delete_page_asks_before_deleting(signed_in, person):
    profile = full_profile(person)

    response = signed_in.get(reverse("profiles:profile_delete", args=[profile.public_id]))

    assert response.status_code == 200
    assert "cannot be undone" in response.content.decode()
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_profile_delete_removes_the_profile_with_answers_and_snapshots(signed_in, person):
    profile = full_profile(person)
    keep = full_profile(person)

    response = signed_in.post(reverse("profiles:profile_delete", args=[profile.public_id]))

    assert response.url == reverse("profiles:account")
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not Answer.objects.filter(profile_id=profile.pk).exists()
    assert not ResultSnapshot.objects.filter(profile_id=profile.pk).exists()
    assert not PageTime.objects.filter(profile_id=profile.pk).exists()
    assert Profile.objects.filter(pk=keep.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_profile_delete_of_someone_elses_profile_answers_404(signed_in, someone_else, method):
    theirs = full_profile(someone_else)

    by_public_id = getattr(signed_in, method)(
        reverse("profiles:profile_delete", args=[theirs.public_id])
    )
    by_row_id = getattr(signed_in, method)(f"/p/{theirs.pk}/delete/")

    assert by_public_id.status_code == 404
    assert by_row_id.status_code == 404
    assert Profile.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_profile_delete_by_an_anonymous_stranger_answers_404(client, person, method):
    profile = full_profile(person)

    response = getattr(client, method)(reverse("profiles:profile_delete", args=[profile.public_id]))

    assert response.status_code == 404
    assert Profile.objects.filter(pk=profile.pk).exists()


def test_profile_delete_works_for_the_anonymous_owner_through_the_session(client):
    profile = ProfileFactory()
    session = client.session
    session[SESSION_KEY] = [str(profile.public_id)]
    session.save()

    response = client.post(reverse("profiles:profile_delete", args=[profile.public_id]))

    assert response.url == reverse("home")
    assert not Profile.objects.filter(pk=profile.pk).exists()


def test_account_delete_with_a_wrong_password_keeps_everything(signed_in, person):
    full_profile(person)

    response = signed_in.post(reverse("profiles:account_delete"), {"password": "not it at all"})

    assert response.status_code == 200
    assert "That password is not right" in response.content.decode()
    assert Profile.objects.filter(user=person).count() == 1


def test_account_delete_leaves_no_personal_row_in_any_table(signed_in, person, someone_else):
    full_profile(person)
    ProfileFactory(user=person)  # an unfinished attempt too
    AccessAttempt.objects.create(
        username=person.username, ip_address="10.0.0.9", user_agent="x", failures_since_start=1
    )
    kept = full_profile(someone_else)
    before = personal_rows(person)
    assert {Profile, Answer, PageTime, ResultSnapshot} <= before.keys()

    response = signed_in.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    assert response.url == reverse("home")
    leftovers = {
        model._meta.label: pks
        for model, pks in before.items()
        if model._default_manager.filter(pk__in=pks).exists()
    }
    assert leftovers == {}
    assert text_mentions("delete-me-zq") == []
    assert Answer.objects.filter(profile=kept).count() == kept.instrument_version.items.count()


def test_account_delete_removes_what_names_the_account_without_a_foreign_key(
    signed_in, person, someone_else
):
    typed_email = "Delete-Me-ZQ@Example.ORG"  # as typed into the sign-in form
    AccessAttempt.objects.create(
        username=typed_email, ip_address="10.0.0.9", user_agent="x", failures_since_start=2
    )
    AccessFailureLog.objects.create(username=typed_email, ip_address="10.0.0.9", locked_out=False)
    SignInLog.objects.create(username=person.username, ip_address="10.0.0.9")
    staff = UserFactory(is_staff=True)
    LogEntry.objects.log_actions(user_id=staff.pk, queryset=[person], action_flag=CHANGE)
    delays.begin_check(name=typed_email)
    delays.begin_check(name=someone_else.username)
    kept_attempt = AccessAttempt.objects.create(
        username=someone_else.email, ip_address="10.0.0.8", failures_since_start=1
    )

    signed_in.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    entry = LogEntry.objects.get()
    assert text_mentions("delete-me-zq") == []
    assert (entry.user_id, entry.object_repr, entry.object_id) == (
        staff.pk,
        "[deleted account]",
        None,
    )
    assert list(PasswordThrottle.objects.values_list("key", flat=True)) == [
        delays.name_key(someone_else.username)
    ]
    assert list(AccessAttempt.objects.all()) == [kept_attempt]


def test_account_delete_ends_every_session_of_the_user(signed_in, person, someone_else):
    laptop = Client()
    laptop.force_login(person)
    other_person = Client()
    other_person.force_login(someone_else)

    signed_in.post(reverse("profiles:account_delete"), {"password": PASSWORD})

    assert laptop.get(reverse("profiles:account")).status_code == 302
    assert not Session.objects.filter(session_key=laptop.session.session_key).exists()
    assert Session.objects.filter(session_key=other_person.session.session_key).exists()
    assert "_auth_user_id" not in signed_in.session


def test_withdraw_consent_page_explains_that_answers_are_deleted(signed_in, person):
    full_profile(person)

    html = signed_in.get(reverse("profiles:consent_withdraw")).content.decode()

    assert "withdrawing it deletes them" in html
    assert "your 1 stored profile," in html


def test_withdraw_consent_deletes_every_profile_and_keeps_the_account(
    signed_in, person, someone_else
):
    full_profile(person)
    ProfileFactory(user=person)
    kept = full_profile(someone_else)

    response = signed_in.post(reverse("profiles:consent_withdraw"))

    assert response.url == reverse("profiles:account")
    assert not Profile.objects.filter(user=person).exists()
    assert not Answer.objects.filter(profile__user=person).exists()
    assert get_user_model().objects.filter(pk=person.pk).exists()
    assert Profile.objects.filter(pk=kept.pk).exists()


def unsafe_requests(person) -> list[tuple[str, dict]]:
    profile = ProfileFactory(user=person)
    return [
        (reverse("profiles:profile_delete", args=[profile.public_id]), {}),
        (reverse("profiles:account_delete"), {"password": PASSWORD}),
        (reverse("profiles:consent_withdraw"), {}),
        (reverse("logout"), {}),
        (reverse("password_change"), {"old_password": PASSWORD}),
    ]


def test_unsafe_account_urls_refuse_posts_without_a_csrf_token(person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)

    statuses = [browser.post(url, data).status_code for url, data in unsafe_requests(person)]

    assert statuses == [403] * 5
    assert Profile.objects.filter(user=person).count() == 1
    assert get_user_model().objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize("name", ["login", "signup", "password_reset"])
def test_anonymous_forms_refuse_posts_without_a_csrf_token(name):
    response = Client(enforce_csrf_checks=True).post(reverse(name), {"username": "x"})

    assert response.status_code == 403
