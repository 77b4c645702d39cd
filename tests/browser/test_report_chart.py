"""The report's capacity chart is readable on a phone and explains itself with a legend."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from assessments.models import ItemVersion
from profiles import services
from tests.browser.conftest import BROWSER_DB, sign_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long browser test password"
PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 900}
SMALLEST_CHART_TEXT_PX = 12


def uneven_profile(user) -> str:
    """Regulation strong, bonding low: BON-CONTAINED fires, so one bar is hatched."""
    profile = ProfileFactory(user=user)
    level = {"MEN": 5, "EMP": 5, "REG": 7, "TRU": 4, "REP": 5, "BON": 2}
    items = ItemVersion.objects.filter(instrument_version=profile.instrument_version)
    values = {}
    for item in items:
        value = level.get(item.dimension, 2 if item.code in ("QC1", "WB1") else 5)
        values[item.pk] = (8 - value) if item.reverse else value
    submission = services.PageSubmission(
        item_ids=tuple(values),
        shown={},
        posted=values,
        moving_on=True,
        render_id="chart",
        elapsed_ms=600_000,
    )
    services.save_page(profile=profile, page=1, submission=submission)
    services.submit_profile(profile=profile)
    return str(profile.public_id)


def chart_font_sizes(page: Page) -> list[float]:
    """Rendered size in CSS pixels of every text of the chart that is on screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.report-chart svg[role=img]')]
          .filter(svg => svg.getBoundingClientRect().width > 0)
          .flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(
              text => parseFloat(getComputedStyle(text).fontSize) * scale);
          })"""
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_chart_text_is_at_least_12_px_with_a_visible_legend(page: Page, viewport):
    user = User.objects.create_user("rae", "rae@example.org", PASSWORD)
    public_id = uneven_profile(user)
    page.set_viewport_size(viewport)
    sign_in(page, "rae", PASSWORD, next_url=f"/p/{public_id}/")

    sizes = chart_font_sizes(page)
    print(f"\nchart at {viewport['width']} px: {len(sizes)} texts, smallest {min(sizes):.1f} px")

    assert len(sizes) >= 6 * 2 + 4  # a label and a score per capacity, four scale marks
    assert min(sizes) >= SMALLEST_CHART_TEXT_PX
    legend = page.locator(".chart-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("from 0 (left) to 100 (right)")
    expect(legend).to_contain_text("50 and 75")
    expect(legend).to_contain_text("Striped bar: Uneven")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
