"""The organisation admin area in a real browser (issue 17 line 6): the admin sees counts only,
sets a contrast-checked accent colour, and the practitioner's branded invitation and join page
carry it through the accent stylesheet. axe finds no violation of any impact at 360 and 1280 px.
"""

import uuid

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from practice import organisations, tokens
from practice.models import Membership, Organisation, PractitionerProfile
from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    sign_in,
)
from tests.practice.helpers import invite

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
WIDTHS = [{"width": 360, "height": 740}, {"width": 1280, "height": 900}]


def check(page: Page, where: str, problems: list[str]) -> None:
    for size in WIDTHS:
        page.set_viewport_size(size)
        problems += accessibility_problems(page, f"{where} at {size['width']}px", ALL_IMPACTS)


def test_the_organisation_area_branding_and_the_branded_invitation(contexts: Contexts):
    harbour = Organisation.objects.create(name="Harbour Practice")
    admin = User.objects.create_user("ada", "ada@example.org", PASSWORD)
    organisations.add_admin(organisation=harbour, user=admin, added_by=None)
    robin = PractitionerProfile.objects.create(
        user=User.objects.create_user("robin", "robin@example.org", PASSWORD),
        display_name="Robin Example",
        profession="Couples therapist",
        status=PractitionerProfile.Status.APPROVED,
    )
    Membership.objects.create(organisation=harbour, practitioner=robin)
    for _ in range(6):
        invite(robin)
    problems: list[str] = []
    page = contexts.new_page()

    sign_in(page, "ada", PASSWORD, next_url="/organisation/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbour Practice")
    expect(page.get_by_role("table", name="Robin Example")).to_be_visible()
    expect(
        page.get_by_role("table", name="Robin Example").locator("tbody tr").first
    ).to_contain_text("6")
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    check(page, "organisation", problems)

    # A colour too light for white is refused in words; a dark one is saved.
    page.get_by_role("link", name="How your organisation appears").click()
    page.get_by_label("Accent colour (optional)").fill("#ffcc00")
    page.get_by_role("button", name="Save how we appear").click()
    expect(page.get_by_text("too light to read against white")).to_be_visible()
    check(page, "branding, refused", problems)
    page.get_by_label("Name shown on invitations").fill("Harbour Counselling")
    page.get_by_label("Accent colour (optional)").fill("#1a5c8e")
    page.get_by_role("button", name="Save how we appear").click()
    band = page.locator("[data-organisation]")
    expect(band).to_have_text("Harbour Counselling")
    expect(band).to_have_css("background-color", "rgb(26, 92, 142)")
    check(page, "branding", problems)

    # Someone opens Robin's invitation: branded, with the colour from the stylesheet.
    _invitation, token = invite(robin)
    visitor = contexts.new_page()
    visitor.goto(f"/invitation/{token}/")
    expect(visitor.locator("[data-organisation]")).to_have_text("On behalf of Harbour Counselling")
    expect(visitor.locator("[data-organisation]")).to_have_css(
        "background-color", "rgb(26, 92, 142)"
    )
    check(visitor, "branded invitation", problems)

    # A practitioner opens an organisation invitation.
    joining, _created = organisations.invite_practitioner(
        organisation=harbour, invited_by=admin, email="sam@example.org", nonce=uuid.uuid4()
    )
    visitor.goto(f"/organisation/join/{tokens.organisation_invitation_token(joining.nonce)}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Harbour Counselling invites you to join"
    )
    check(visitor, "join", problems)

    assert problems == [], "\n".join(problems)
