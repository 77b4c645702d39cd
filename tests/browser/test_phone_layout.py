"""On a phone (360 × 740) a questionnaire page is compact and readable and scrolls half as far as
it did, and the start page's choices sit beside their labels (issue 14.6)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ALL_IMPACTS,
    BROWSER_DB,
    Contexts,
    accessibility_problems,
    answer_quickly,
    begin,
    statement_markup_problems,
    statements,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PAGES = 7
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Page 1's document scroll height at 360 × 740 on main at cdbf524, before issue 14.6 (one answer
# per line, each statement in a frame), measured with scroll_height() below in this machine's
# Chromium with DejaVu Sans, as CI runs it.
MAIN_SCROLL_HEIGHT = 5577
MIN_LABEL_PX = 14

LAYOUT_PROBLEMS = """minimum => {
  const problems = [];
  const width = document.documentElement.clientWidth, height = window.innerHeight;
  if (document.documentElement.scrollWidth > width)
    problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
  for (const fieldset of document.querySelectorAll("fieldset.statement")) {
    const name = fieldset.querySelector("input[type=radio]").name;
    const box = fieldset.getBoundingClientRect();
    if (box.height > height) problems.push(`${name} is ${box.height}px tall, the screen ${height}`);
    for (const text of fieldset.querySelectorAll("legend, label")) {
      const where = `${name} "${text.textContent.trim().slice(0, 30)}"`;
      const size = parseFloat(getComputedStyle(text).fontSize);
      const edges = text.getBoundingClientRect();
      if (size < minimum) problems.push(`${where} is set in ${size}px`);
      if (edges.left < 0 || edges.right > width) problems.push(`${where} leaves the screen`);
      if (text.scrollWidth > text.clientWidth + 1) problems.push(`${where} overflows its box`);
    }
  }
  return problems;
}"""


# The footer's language switcher (issue 16) came after MAIN_SCROLL_HEIGHT was measured: it is on
# every page and no part of how compact the questionnaire is, so its own height (with margins)
# is left out of the comparison.
SCROLL_HEIGHT = """() => {
  const switcher = document.querySelector("footer form.language-switcher");
  let own = 0;
  if (switcher) {
    const style = getComputedStyle(switcher);
    own = switcher.getBoundingClientRect().height
      + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
  }
  return document.documentElement.scrollHeight - Math.round(own);
}"""


def scroll_height(page: Page) -> int:
    return page.evaluate(SCROLL_HEIGHT)


def test_page_one_at_360_px_needs_at_most_half_the_scrolling_it_needed_on_main(page: Page):
    page.set_viewport_size(PHONE)
    begin(page)
    assert len(statements(page)) == 12

    height = scroll_height(page)

    ratio = height / MAIN_SCROLL_HEIGHT
    print(
        f"\npage 1 (12 statements) at 360×740: document scroll height {MAIN_SCROLL_HEIGHT} px "
        f"on main, {height} px now (ratio {ratio:.2f})"
    )
    assert ratio <= 0.5


def test_every_statement_fits_one_phone_screen_with_labels_of_at_least_14_px(page: Page):
    page.set_viewport_size(PHONE)
    answers: dict[str, int] = {}
    problems: list[str] = []
    heights: list[int] = []
    begin(page)

    for number in range(1, PAGES + 1):
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        problems += [f"page {number}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS, MIN_LABEL_PX)]
        heights.append(scroll_height(page))
        answer_quickly(page, answers)
        page.get_by_role("button", name=re.compile(r"^Next")).click()

    print("\nscroll height per page at 360×740:", ", ".join(f"{h} px" for h in heights))
    assert not problems, "\n".join(problems)


def test_context_mode_radios_sit_beside_their_labels_at_360_px(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/start/")

    radios = page.locator("#f-context_mode input[type=radio]")
    expect(radios).to_have_count(3)
    misplaced = radios.evaluate_all(
        """radios => radios.flatMap(radio => {
          const label = document.querySelector(`label[for="${radio.id}"]`);
          const r = radio.getBoundingClientRect(), l = label.getBoundingClientRect();
          const firstLine = parseFloat(getComputedStyle(label).lineHeight);
          const middle = (r.top + r.bottom) / 2;
          const beside = r.right <= l.left && middle >= l.top && middle <= l.top + firstLine;
          return beside ? [] : [`${radio.value}: radio at ${r.x},${r.y}, label at ${l.x},${l.y}`];
        })"""
    )

    assert misplaced == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_start_page_and_page_one_have_no_axe_violations_of_any_impact(
    contexts: Contexts, viewport: dict[str, int]
):
    page = contexts.new_page()
    page.set_viewport_size(viewport)
    page.goto("/start/")
    problems = accessibility_problems(page, "start", ALL_IMPACTS)
    begin(page)
    problems += accessibility_problems(page, "page 1", ALL_IMPACTS)
    (first, _), (second, _), *_ = statements(page)
    first.get_by_label("Slightly agree").check()
    second.get_by_label("Skip").check()

    problems += accessibility_problems(page, "page 1 with answers", ALL_IMPACTS)
    problems += statement_markup_problems(page, "page 1 with answers")

    assert not problems, "\n".join(problems)
