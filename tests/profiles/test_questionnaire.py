"""Taking the questionnaire through the web: consent, pages, resume, review and submit."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from profiles.models import Answer, PageTime, Profile, ResultSnapshot
from tests.factories import UserFactory
from tests.profiles.helpers import answer_all_pages, answer_page, page_fields, page_url, start

pytestmark = pytest.mark.django_db


def test_landing_page_explains_the_tool_before_anything_is_stored(client):
    html = client.get("/").content.decode()

    assert "not a diagnosis" in html
    assert "9–12 minutes" in html
    assert "skip any statement" in html
    assert "pause and come back" in html
    assert "past hurt" in html
    assert reverse("profiles:start") in html


def test_start_without_consent_stores_nothing_and_says_why(client):
    response = client.post(reverse("profiles:start"), {"context_mode": "both", "adult": "on"})

    assert response.status_code == 400
    assert "Your agreement is needed before any answer is stored" in response.content.decode()
    assert Profile.objects.count() == 0


def test_start_without_adult_confirmation_is_refused(client):
    response = client.post(reverse("profiles:start"), {"context_mode": "both", "consent": "on"})

    assert response.status_code == 400
    assert "18 or older" in response.content.decode()
    assert Profile.objects.count() == 0


def test_start_records_consent_notice_version_and_time(client):
    profile = start(client)

    assert profile.consent_notice_version == "consent-1"
    assert profile.consented_at is not None
    assert profile.context_mode == "both"
    assert Answer.objects.count() == 0


def test_start_replayed_with_the_same_form_makes_one_draft(client):
    data = {"context_mode": "both", "consent": "on", "adult": "on"}
    data["nonce"] = "6b1c9a34-6f7c-4a55-9d5e-5b3f0e1c2d7a"

    first = client.post(reverse("profiles:start"), data)
    second = client.post(reverse("profiles:start"), data)

    assert first.url == second.url
    assert Profile.objects.count() == 1


def test_whole_flow_anonymous_ends_on_one_report(client):
    profile = start(client)

    answer_all_pages(client, profile, value=5)
    review = client.get(reverse("profiles:review", args=[profile.public_id]))
    submitted = client.post(reverse("profiles:review", args=[profile.public_id]))

    assert review.status_code == 200
    assert submitted.url == reverse("profiles:report", args=[profile.public_id])
    assert client.get(submitted.url).status_code == 200
    profile.refresh_from_db()
    assert profile.is_submitted
    assert profile.answers.count() == 76
    snapshot = ResultSnapshot.objects.get(profile=profile)
    assert snapshot.scoring_version == "score-1" and snapshot.copy_version == "copy-3"


def test_whole_flow_signed_in_belongs_to_the_account(client):
    user = UserFactory()
    client.force_login(user)
    profile = start(client)

    answer_all_pages(client, profile, value=3)
    client.post(reverse("profiles:review", args=[profile.public_id]))

    profile.refresh_from_db()
    assert profile.user == user and profile.is_submitted


def test_pages_follow_the_instrument_order_with_check_items_in_place(client):
    profile = start(client)
    expected = {1: 12, 2: 13, 3: 12, 4: 13, 5: 12, 6: 13, 7: 1}

    counts = {page: len(page_fields(client, profile, page)[0]) for page in expected}

    assert counts == expected
    page2 = client.get(page_url(profile, 2)).content.decode()
    assert "please choose &quot;Disagree&quot; for this line" in page2
    assert "Page 2 of 7" in page2
    assert "Think about the last three months. There are no right or wrong answers." in page2


def test_close_only_mode_hides_work_statements(client):
    profile = start(client, mode="close_only")

    html = client.get(page_url(profile, 1)).content.decode()

    assert len(page_fields(client, profile, 1)[0]) == 6
    assert "At work" not in html


def test_every_statement_is_a_fieldset_with_seven_labelled_radios_and_skip(client):
    profile = start(client)

    html = client.get(page_url(profile, 1)).content.decode()

    assert html.count("<fieldset") == 12
    assert html.count("<legend>") == 12
    assert html.count('type="radio"') == 96
    assert html.count("Neither agree nor disagree</label>") == 12
    assert (
        len(re.findall(r'value="" id="(id_q\d+_skip)">\s*<label for="\1">Skip</label>', html)) == 12
    )


def test_skipped_statements_are_stored_as_skipped(client):
    profile = start(client)

    response = answer_page(client, profile, 1, value=None)

    assert response.status_code == 302
    assert Answer.objects.filter(profile=profile).count() == 12
    assert not Answer.objects.filter(profile=profile, value__isnull=False).exists()


def test_back_saves_the_page_too(client):
    profile = start(client)
    answer_page(client, profile, 1, value=4)

    response = answer_page(client, profile, 2, value=6, nav="back")

    assert response.url == page_url(profile, 1)
    assert Answer.objects.filter(profile=profile, value=6).count() == 13


def test_page_time_adds_up_across_visits(client):
    profile = start(client)
    answer_page(client, profile, 1)
    first = PageTime.objects.get(profile=profile, page=1).total_ms

    answer_page(client, profile, 1)

    timing = PageTime.objects.get(profile=profile, page=1)
    assert timing.visits == 2
    assert timing.total_ms >= first


def test_save_and_continue_later_shows_the_private_link(client):
    profile = start(client)

    response = answer_page(client, profile, 1, nav="save")
    html = client.get(response.url).content.decode()

    assert "Your answers are saved" in html
    assert "/r/" in html


def test_resume_link_in_a_fresh_browser_lands_on_the_first_unfinished_page(client):
    profile = start(client)
    answer_page(client, profile, 1, value=2)
    answer_page(client, profile, 2, value=6)
    token = page_fields(client, profile, 3)[1]["resume"]
    fresh = Client()

    landed = fresh.get(reverse("profiles:resume_link", args=[token]), follow=True)
    back = fresh.get(page_url(profile, 2)).content.decode()

    assert landed.redirect_chain[-1][0] == page_url(profile, 3)
    assert len(re.findall(r'value="6" id="[^"]+" checked', back)) == 13


def test_resume_after_sign_in_on_another_device(client):
    user = UserFactory()
    client.force_login(user)
    profile = start(client)
    answer_page(client, profile, 1)
    other_device = Client()
    other_device.force_login(user)

    response = other_device.get(reverse("profiles:resume", args=[profile.public_id]))

    assert response.url == page_url(profile, 2)


def test_session_expiry_mid_way_keeps_answers_and_the_form_still_saves(client):
    profile = start(client)
    answer_page(client, profile, 1, value=3)
    names, hidden = page_fields(client, profile, 2)
    client.cookies.clear()  # the session has expired

    response = client.post(
        page_url(profile, 2), {**hidden, "nav": "next", **{n: "4" for n in names}}
    )

    assert response.status_code == 302
    assert Answer.objects.filter(profile=profile, value=3).count() == 12
    assert Answer.objects.filter(profile=profile, value=4).count() == 13


def test_stale_csrf_token_shows_a_friendly_page_with_choices_kept(client):
    profile = start(client)
    names, hidden = page_fields(client, profile, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies

    response = strict.post(
        page_url(profile, 1),
        {**hidden, "csrfmiddlewaretoken": "stale", "nav": "next", **{n: "7" for n in names}},
    )

    html = response.content.decode()
    assert response.status_code == 403
    assert "could not save it yet" in html
    assert len(re.findall(r'value="7" id="[^"]+" checked', html)) == 12
    assert not Answer.objects.filter(profile=profile).exists()


def test_review_lists_skips_per_capacity_and_warns_below_the_minimum(client):
    profile = start(client)
    answer_all_pages(client, profile, value=5)
    for page in (1, 2, 3, 4):
        answer_page(client, profile, page, value="")  # "Skip" on every statement

    html = client.get(reverse("profiles:review", args=[profile.public_id])).content.decode()

    assert "Needs 9 answers for a result." in html
    assert page_url(profile, 1) in html


def test_submit_twice_gives_one_profile_and_the_same_report(client):
    profile = start(client)
    answer_all_pages(client, profile)
    url = reverse("profiles:review", args=[profile.public_id])

    first = client.post(url)
    second = client.post(url)

    assert first.url == second.url
    assert ResultSnapshot.objects.filter(profile=profile).count() == 1


def test_answering_after_submit_changes_nothing(client):
    profile = start(client)
    answer_all_pages(client, profile, value=5)
    names, hidden = page_fields(client, profile, 1)
    client.post(reverse("profiles:review", args=[profile.public_id]))

    response = client.post(page_url(profile, 1), {**hidden, **{n: "1" for n in names}})

    assert response.url == reverse("profiles:report", args=[profile.public_id])
    assert not Answer.objects.filter(profile=profile, value=1).exists()


def test_wellbeing_answer_of_agree_shows_support_page_first(client):
    profile = start(client)
    for page in range(1, 7):
        answer_page(client, profile, page, value=4)
    answer_page(client, profile, 7, value=6)

    response = client.post(reverse("profiles:review", args=[profile.public_id]))
    html = client.get(response.url).content.decode()

    assert response.url == reverse("profiles:profile_support", args=[profile.public_id])
    assert "contact emergency services now" in html
    assert "Continue to my results" in html


def test_queries_for_resume_and_review_do_not_depend_on_the_number_of_pages_answered(
    client, django_assert_max_num_queries
):
    profile = start(client)
    answer_all_pages(client, profile)

    with django_assert_max_num_queries(8):
        client.get(reverse("profiles:resume", args=[profile.public_id]))


def test_attach_gives_an_anonymous_attempt_to_the_signed_in_account(client):
    profile = start(client)
    answer_page(client, profile, 1)
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("profiles:attach", args=[profile.public_id]))

    profile.refresh_from_db()
    assert profile.user == user
    other = Client()
    other.force_login(user)
    assert other.get(reverse("profiles:resume", args=[profile.public_id])).status_code == 302


def test_start_replayed_after_a_lost_response_still_opens_the_draft(client):
    data = {"context_mode": "both", "consent": "on", "adult": "on"}
    data["nonce"] = "0d4b3f1e-2c7a-4f55-8e21-9a6b7c5d4e3f"
    Client().post(reverse("profiles:start"), data)  # the response never reached the browser

    replay = client.post(reverse("profiles:start"), data)
    page = client.get(replay.url)

    assert page.status_code == 200
    assert Profile.objects.count() == 1
    assert "/r/" in page.content.decode()


def test_anonymous_report_offers_to_save_it_to_an_account_after_sign_in(client):
    profile = start(client)
    answer_all_pages(client, profile)
    report = client.post(reverse("profiles:review", args=[profile.public_id])).url
    anonymous_view = client.get(report).content.decode()
    user = UserFactory()
    client.force_login(user)

    signed_in_view = client.get(report).content.decode()
    client.post(reverse("profiles:attach", args=[profile.public_id]))

    assert "Sign in</a> or" in anonymous_view
    assert "Save this profile to my account" in signed_in_view
    profile.refresh_from_db()
    assert profile.user == user
