"""In Chromium, by keyboard alone: the keys 1 to 7 answer a statement and move on to the next,
in fewer presses than Tab and the arrow keys, which still work as before (issue 14.7)."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from profiles.models import Answer
from tests.browser.conftest import (
    BROWSER_DB,
    Contexts,
    begin,
    chosen_value,
    public_id_of,
    statements,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PHONE = {"width": 360, "height": 740}
ISSUE_COUNT = 52  # the key presses issue 14 counted for page 1 on main
RADIO = "fieldset.statement input[type=radio]"


@dataclass
class Keys:
    """Presses keys on a page through Playwright's keyboard and counts every press."""

    page: Page
    count: int = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1


def stored(public_id: str) -> dict[str, int | None]:
    rows = Answer.objects.filter(profile__public_id=public_id)
    return dict(rows.values_list("item_version__code", "value"))


def tab_into_the_first_statement(keys: Keys) -> None:
    for _ in range(20):
        keys.press("Tab")
        if keys.page.evaluate(f"document.activeElement.matches('{RADIO}')"):
            return
    raise AssertionError("Tab never reached a statement")


def arrow_presses(value: int) -> tuple[str, int]:
    """From a statement's first answer, where Tab lands while nothing is chosen, the shorter way
    to `value`: right through 2 … 7, or left round the end through Skip (the eighth) to 7, 6 …"""
    right, left = value - 1, 9 - value
    return ("ArrowRight", right) if right <= left else ("ArrowLeft", left)


def answer_with_tab_and_arrows(keys: Keys) -> dict[str, int]:
    """Tab into each statement and take the shortest way to its answer with the arrow keys (Space
    for the first answer); Enter on the last statement submits the page through Next."""
    chosen = statements(keys.page)
    tab_into_the_first_statement(keys)
    for number, (fieldset, item) in enumerate(chosen, start=1):
        value = chosen_value(item)
        expect(fieldset.locator("input[value='1']")).to_be_focused()
        key, times = arrow_presses(value) if value > 1 else ("Space", 1)
        for _ in range(times):
            keys.press(key)
        expect(fieldset.locator(f"input[value='{value}']")).to_be_checked()
        keys.press("Enter" if number == len(chosen) else "Tab")
    return {item.code: chosen_value(item) for _, item in chosen}


def answer_with_number_keys(keys: Keys) -> dict[str, int]:
    """Tab into the first statement, then one number key per statement; after the last one
    focus is on Next, and Enter submits the page."""
    chosen = statements(keys.page)
    tab_into_the_first_statement(keys)
    for fieldset, item in chosen:
        value = chosen_value(item)
        expect(fieldset.locator("input[value='1']")).to_be_focused()
        keys.press(str(value))
        expect(fieldset.locator(f"input[value='{value}']")).to_be_checked()
    expect(keys.page.get_by_role("button", name="Next", exact=True)).to_be_focused()
    keys.press("Enter")
    return {item.code: chosen_value(item) for _, item in chosen}


def plain_page(contexts: Contexts) -> Page:
    """A browser without JavaScript: the page as plain radios, as it was on main."""
    context = contexts.browser.new_context(base_url=contexts.base_url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    contexts.opened.append(context)
    return context.new_page()


def test_page_one_takes_fewer_presses_with_number_keys_than_with_tab_and_arrows(
    contexts: Contexts,
):
    plain = plain_page(contexts)
    begin(plain)
    expect(plain.locator("#keyboard-hint")).to_be_hidden()
    by_arrows = Keys(plain)
    expected = answer_with_tab_and_arrows(by_arrows)
    expect(plain).to_have_url(re.compile(r"/page/2/$"))
    assert stored(public_id_of(plain)) == expected

    enhanced = contexts.new_page()
    begin(enhanced)
    expect(enhanced.locator("#keyboard-hint")).to_be_visible()
    by_numbers = Keys(enhanced)
    assert answer_with_number_keys(by_numbers) == expected
    expect(enhanced).to_have_url(re.compile(r"/page/2/$"))
    assert stored(public_id_of(enhanced)) == expected

    print(
        f"\npage 1 by keyboard, from page load to saved: {by_arrows.count} presses with Tab "
        f"and the arrow keys (the plain radios of main, also without JavaScript), "
        f"{by_numbers.count} with the number keys; issue 14 counted {ISSUE_COUNT}"
    )
    assert by_numbers.count < by_arrows.count
    assert by_numbers.count < ISSUE_COUNT


def focused_statement(page: Page) -> str:
    return page.evaluate("document.activeElement.closest('fieldset.statement')?.id ?? ''")


def test_number_keys_move_on_but_tab_shift_tab_and_other_keys_behave_as_always(page: Page):
    page.set_viewport_size(PHONE)
    begin(page)
    (first, one), (second, two), (third, three), (_, four), *_ = statements(page)
    keys = Keys(page)
    tab_into_the_first_statement(keys)

    keys.press("6")
    assert focused_statement(page) == f"f-q{two.pk}"
    expect(page.locator("#answer-status")).to_have_text("Statement 1: Agree")
    keys.press("Shift+Tab")  # back to the first statement, on its chosen answer
    expect(first.locator("input[value='6']")).to_be_focused()
    keys.press("3")
    expect(first.locator("input[value='3']")).to_be_checked()
    assert focused_statement(page) == f"f-q{two.pk}"
    box = second.bounding_box()
    in_view = box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert in_view, "the statement that has focus is not wholly on the screen"
    for key in ("8", "0", "Control+5", "Alt+5"):
        keys.press(key)
    page.keyboard.down("4")
    page.keyboard.down("4")  # held down: the repeat answers nothing more
    page.keyboard.up("4")
    assert focused_statement(page) == f"f-q{three.pk}"
    expect(second.locator("input[value='4']")).to_be_checked()
    expect(third.locator("input:checked")).to_have_count(0)
    keys.press("Tab")  # Tab still leaves a statement for the next one
    assert focused_statement(page) == f"f-q{four.pk}"
    page.get_by_role("button", name="Save and continue later").focus()
    keys.press("7")  # outside a statement a number is just a number
    expect(page.locator("fieldset.statement input[value='7']:checked")).to_have_count(0)
    page.get_by_role("button", name="Save and continue later").click()

    expect(page).to_have_url(re.compile(r"/saved/$"))
    assert stored(public_id_of(page)) == {one.code: 3, two.code: 4}


def test_each_answer_names_its_number_key_for_assistive_technology(page: Page):
    begin(page)

    shortcuts = page.locator(RADIO).evaluate_all(
        "radios => radios.map(r => [r.value, r.getAttribute('aria-keyshortcuts')])"
    )

    assert shortcuts
    assert all(key == (value or None) for value, key in shortcuts), shortcuts
