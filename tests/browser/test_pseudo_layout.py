"""At 320 px nothing scrolls sideways in the pseudo locales (issue 16.1): every interface text
about 30 % longer (accented and bracketed), and the whole page right to left with Bootstrap's
RTL stylesheet. tests/i18n/test_pseudo_locale.py makes the catalogues and checks the text."""

import pytest
from django.conf import settings
from playwright.sync_api import Page

from tests.browser.conftest import BROWSER_DB, NARROW, Contexts
from tests.factories import UserFactory
from tests.i18n.pseudo import (
    PSEUDO,
    PSEUDO_RTL,
)

pytestmark = [pytest.mark.browser, BROWSER_DB]

PASSWORD = "a long test password"
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width)
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable")) continue;
    if (box.left < -1 || box.right > width + 1) {
      const inside = [...el.children].some(c => {
        const b = c.getBoundingClientRect();
        return b.left < -1 || b.right > width + 1;
      });
      const text = el.textContent.trim().slice(0, 40);
      if (!inside) problems.push(`${el.tagName.toLowerCase()}.${el.className}: ` +
        `${Math.round(box.left)}..${Math.round(box.right)} "${text}"`);
    }
  }
  return problems.slice(0, 8);
}"""


def narrow_page(contexts: Contexts, language: str) -> Page:
    context = contexts.new(viewport=NARROW)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": contexts.base_url}]
    )
    return context.new_page()


def overflow(page: Page, where: str) -> list[str]:
    page.wait_for_load_state("load")
    return [f"{where}: {problem}" for problem in page.evaluate(OVERFLOW)]


@pytest.mark.parametrize("language", [PSEUDO, PSEUDO_RTL])
def test_key_pages_fit_320_px_in_the_pseudo_locales(pseudo_locales, contexts, language):
    page = narrow_page(contexts, language)
    problems = []

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == PSEUDO_RTL else "ltr")
    problems += overflow(page, "home")
    page.goto("/accounts/login/")
    problems += overflow(page, "sign-in")
    page.goto("/start/")
    problems += overflow(page, "start")
    page.locator("input[name=context_mode][value=both]").check()
    page.locator("input[name=consent]").check()
    page.locator("input[name=adult]").check()
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/page/1/")
    problems += overflow(page, "questionnaire page 1")

    UserFactory(username="quietfox", password=PASSWORD)
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("quietfox")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto("/account/")
    assert page.locator("h1").inner_text().startswith("[")
    problems += overflow(page, "account")

    assert problems == [], "\n".join(problems)
