"""axe-core (WCAG 2.2 AA tags), statement markup and 320px reflow on every page and state."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments import services as instrument_services
from assessments.models import InstrumentVersion
from profiles import tasks as profile_tasks
from tests.browser.conftest import (
    BROWSER_DB,
    accessibility_problems,
    answer_quickly,
    sign_in,
    statement_markup_problems,
    submitted_profile,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PAGES = 7
PASSWORD = "a long browser test password"


def report(problems: list[str]) -> str:
    return "\n".join(["accessibility problems:", *problems])


def test_questionnaire_from_landing_page_to_report_has_no_serious_problems(page: Page):
    problems: list[str] = []
    answers: dict[str, int] = {}

    page.goto("/")
    problems += accessibility_problems(page, "landing page")
    page.get_by_role("link", name="Begin").click()
    problems += accessibility_problems(page, "consent")
    page.get_by_role("button", name="Agree and start").click()
    expect(page.get_by_role("alert")).to_be_visible()
    problems += accessibility_problems(page, "consent with errors")
    page.get_by_label("Yes: ask me about close relationships and about that setting").check()
    page.get_by_label("I agree that relcap stores my answers").check()
    page.get_by_label("I am 18 or older.").check()
    page.get_by_role("button", name="Agree and start").click()
    for number in range(1, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        where = f"questionnaire page {number}"
        problems += accessibility_problems(page, where)
        problems += statement_markup_problems(page, where)
        answer_quickly(page, answers)
        page.get_by_role("button", name=re.compile(r"^Next")).click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    problems += accessibility_problems(page, "review")
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page).to_have_url(re.compile(r"/p/[0-9a-f-]{36}/$"))
    problems += accessibility_problems(page, "report")

    assert not problems, report(problems)


def test_page_with_a_validation_message_has_no_serious_problems(page: Page):
    page.goto("/start/")
    page.get_by_label("Yes: ask me about close relationships and about that setting").check()
    page.get_by_label("I agree that relcap stores my answers").check()
    page.get_by_label("I am 18 or older.").check()
    page.get_by_role("button", name="Agree and start").click()
    expect(page).to_have_url(re.compile(r"/page/1/$"))
    # A value outside the scale, as a tampered or stale form would send it.
    page.locator("fieldset.statement input[type=radio]").first.evaluate(
        "radio => { radio.value = '9'; radio.checked = true; }"
    )

    with page.expect_response(re.compile(r"/page/1/$")) as response:
        page.get_by_role("button", name="Next").click()

    assert response.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Choose one of the seven answers")
    problems = accessibility_problems(page, "page 1 with a validation message")
    problems += statement_markup_problems(page, "page 1 with a validation message")
    assert not problems, report(problems)


def test_support_and_sign_in_pages_have_no_serious_problems(page: Page):
    page.goto("/support/")
    problems = accessibility_problems(page, "support")
    page.goto("/accounts/login/")
    problems += accessibility_problems(page, "sign in")

    assert not problems, report(problems)


def test_my_profiles_and_comparison_have_no_serious_problems(page: Page):
    user = User.objects.create_user("lee", "lee@example.org", PASSWORD)
    submitted_profile(user, value=3)
    submitted_profile(user, value=5)

    sign_in(page, "lee", PASSWORD, next_url="/mine/")
    expect(page).to_have_url(re.compile(r"/mine/$"))
    problems = accessibility_problems(page, "my profiles")
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare/\?"))
    problems += accessibility_problems(page, "comparison")

    assert not problems, report(problems)


def test_admin_item_editor_of_a_draft_has_no_serious_problems(page: Page):
    User.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    source = InstrumentVersion.objects.get(version="1.0")
    draft = instrument_services.create_draft_from(
        source=source, version=instrument_services.next_draft_version(source)
    )
    item = draft.items.order_by("position").first()

    page.goto(f"/admin/login/?next=/admin/assessments/itemversion/{item.pk}/change/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#id_text")).to_be_visible()

    problems = accessibility_problems(page, "admin item editor")
    assert not problems, report(problems)


def test_account_pages_have_no_serious_problems(page: Page):
    user = User.objects.create_user("sam", "sam@example.org", PASSWORD)
    profile = submitted_profile(user, value=4)
    pages = {
        "sign up": "/accounts/signup/",
        "password reset": "/accounts/password/reset/",
    }
    problems: list[str] = []
    for where, url in pages.items():
        page.goto(url)
        problems += accessibility_problems(page, where)

    sign_in(page, "sam", PASSWORD, next_url="/account/")
    expect(page).to_have_url(re.compile(r"/account/$"))
    signed_in_pages = {
        "account": "/account/",
        "password change": "/accounts/password/change/",
        "delete account": "/account/delete/",
        "withdraw consent": "/account/consent/withdraw/",
        "delete one profile": f"/p/{profile.public_id}/delete/",
        "support before results": f"/p/{profile.public_id}/support/",
    }
    for where, url in signed_in_pages.items():
        page.goto(url)
        problems += accessibility_problems(page, where)

    assert not problems, report(problems)


def test_pdf_being_prepared_page_has_no_serious_problems(page: Page, settings, monkeypatch):
    # With a broker the first PDF request answers this page while a worker makes the file.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/5"
    monkeypatch.setattr(profile_tasks.make_report_pdf, "apply_async", lambda **options: None)
    user = User.objects.create_user("kim", "kim@example.org", PASSWORD)
    profile = submitted_profile(user, value=4)
    sign_in(page, "kim", PASSWORD, next_url="/mine/")
    expect(page).to_have_url(re.compile(r"/mine/$"))

    page.goto(f"/p/{profile.public_id}/pdf/")
    expect(page.get_by_role("heading", name="Your PDF is being prepared")).to_be_visible()

    problems = accessibility_problems(page, "PDF being prepared")
    assert not problems, report(problems)
