"""The support page lists the help lines and emergency line that staff keep in the admin."""

import pytest
from django.urls import reverse

from assessments.models import SupportResource

pytestmark = pytest.mark.django_db


def test_support_page_shows_admin_entered_help_lines_and_emergency_line(client):
    SupportResource.objects.create(
        name="Emergency services", region="EU", phone="112", is_emergency=True
    )
    SupportResource.objects.create(
        name="Night line", region="Somewhere", phone="0800 000", description="Talk any night."
    )
    SupportResource.objects.create(name="Closed service", is_active=False)

    html = client.get(reverse("support")).content.decode()

    assert "contact emergency services now" in html
    assert 'href="tel:112"' in html
    assert html.index("Emergency services") < html.index("Support options")
    assert "Night line" in html and "Talk any night." in html
    assert "Closed service" not in html


def test_support_page_without_resources_still_points_somewhere(client):
    html = client.get(reverse("support")).content.decode()

    assert "Your doctor, a local counselling service" in html
    assert "not a crisis service" in html
