"""Real-browser fixtures: one headless Chromium for this package, a fresh context per test.

Every test here runs against pytest-django's `live_server`, so it is transactional: the
database is flushed after each test. `BROWSER_DB` (tests/db.py, set in each module) reloads what
the migrations stored, instrument 1.0 and report copy copy-1, before each test, and
tests/conftest.py loads it again after the flush, so that any test that runs after these ones
still finds the migrated data.
"""

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from assessments import queries as instrument_queries
from assessments.models import ItemVersion
from profiles import queries as profile_queries
from profiles import services
from profiles.models import Profile
from tests.db import TRANSACTIONAL_DB
from tests.factories import ProfileFactory, answer_all

CHROMIUM = Path(os.environ.get("RELCAP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
ALL_IMPACTS = frozenset({"minor", "moderate", "serious", "critical"})
NARROW = {"width": 320, "height": 640}
# Schemes that never touch the network (Bootstrap's CSS draws some icons from data: URLs).
OFFLINE_SCHEMES = {"data", "blob", "about"}
BROWSER_DB = TRANSACTIONAL_DB

# Answers for the non-scored items: pass every check and stay below the support rule (§7.3).
CHECK_ANSWERS = {"QC1": 2, "QC2": 1, "QC3": 5, "WB1": 2}
# A different level per capacity, so that the report shows six different scores.
DIMENSION_LEVEL = {"MEN": 6, "EMP": 5, "REG": 3, "TRU": 4, "REP": 7, "BON": 2}

_axe = Axe()


# --------------------------------------------------------------------------- pytest hooks
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Fixtures read item.rep_call in their teardown to save a screenshot when the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- browser fixtures
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API drives Chromium from an asyncio event loop that stays running in
    # this thread while Chromium is open. Django then refuses every ORM call made here (the
    # tests' own queries and pytest-django's flush) with SynchronousOnlyOperation, because it
    # cannot tell them from a blocking call inside a coroutine. Nothing here is async code, so
    # the check is switched off, only while Chromium runs; no other test package is affected.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        c.alias: c._test_serialized_contents
        for c in connections.all()
        if hasattr(c, "_test_serialized_contents")
    }
    try:
        with sync_playwright() as playwright:
            # With a running loop, Django's thread-critical connection handler hands this
            # thread a second connection object. Give it the migrated data that setup_databases
            # serialized onto the first one, or serialized_rollback silently does nothing.
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
            connections.close_all()  # that second connection, before the loop stops
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@dataclass
class Contexts:
    """Browser contexts of one test (each is a fresh browser profile: no cookies, no storage)."""

    browser: Browser
    base_url: str
    opened: list[BrowserContext] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def new(self, **options) -> BrowserContext:
        """A fresh context; `options` go to Playwright's new_context (a phone's touch screen)."""
        context = self.browser.new_context(base_url=self.base_url, **options)
        context.set_default_timeout(10_000)
        context.on("request", lambda request: self.requested.append(request.url))
        self.opened.append(context)
        return context

    def new_page(self) -> Page:
        return self.new().new_page()

    def offsite_requests(self) -> list[str]:
        host = urlsplit(self.base_url).netloc
        return [
            url
            for url in self.requested
            if urlsplit(url).scheme not in OFFLINE_SCHEMES and urlsplit(url).netloc != host
        ]


@pytest.fixture
def contexts(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Contexts]:
    made = Contexts(browser, live_server.url)
    yield made
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_screenshots(request.node.name, made.opened)
    for context in made.opened:
        context.close()
    # §7.4: no third-party scripts, fonts or analytics. Every request stays on this server.
    assert made.offsite_requests() == [], "requests left the local server"


@pytest.fixture
def page(contexts: Contexts) -> Page:
    return contexts.new_page()


def save_screenshots(test_name: str, opened: list[BrowserContext]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "-", test_name)
    pages = [p for context in opened for p in context.pages if not p.is_closed()]
    for number, open_page in enumerate(pages, start=1):
        suffix = "" if number == len(pages) else f"-{number}"
        open_page.screenshot(path=ARTIFACTS / f"{stem}{suffix}.png", full_page=True)


# --------------------------------------------------------------------------- the questionnaire
def chosen_value(item: ItemVersion) -> int:
    """The answer the tests give to a statement: fixed per item, varied within a capacity."""
    if item.kind != "scored":
        return CHECK_ANSWERS[item.code]
    return max(1, min(7, DIMENSION_LEVEL[item.dimension] + item.position % 3 - 1))


def begin(page: Page) -> None:
    """From the landing page through consent to page 1, with both contexts of life."""
    page.goto("/")
    page.get_by_role("link", name="Begin").click()
    page.get_by_label("Yes: ask me about close relationships and about that setting").check()
    page.get_by_label("I agree that relcap stores my answers").check()
    page.get_by_label("I am 18 or older.").check()
    page.get_by_role("button", name="Agree and start").click()
    expect(page).to_have_url(re.compile(r"/a/[0-9a-f-]{36}/page/1/$"))


def statements(page: Page) -> list[tuple[Locator, ItemVersion]]:
    """Each statement's fieldset on the current page with the item version it asks about."""
    fieldsets = page.locator("fieldset.statement")
    names = fieldsets.evaluate_all(
        "sets => sets.map(set => set.querySelector('input[type=radio]').name)"
    )
    items = ItemVersion.objects.in_bulk([int(name.removeprefix("q")) for name in names])
    return [(fieldsets.nth(k), items[int(n.removeprefix("q"))]) for k, n in enumerate(names)]


def answer_by_clicking(page: Page, answers: dict[str, int]) -> None:
    """Choose every statement's answer on this page by clicking its label; record it by code."""
    for fieldset, item in statements(page):
        value = chosen_value(item)
        fieldset.locator("label").nth(value - 1).click()
        expect(fieldset.locator(f"input[value='{value}']")).to_be_checked()
        answers[item.code] = value


def answer_quickly(page: Page, answers: dict[str, int]) -> None:
    """Tick the same answers as answer_by_clicking in one script, for tests about other things."""
    items = [item for _, item in statements(page)]
    choices = {f"q{item.pk}": chosen_value(item) for item in items}
    page.evaluate(
        """choices => { for (const [name, value] of Object.entries(choices))
             document.querySelector(`input[name="${name}"][value="${value}"]`).checked = true; }""",
        choices,
    )
    answers.update({item.code: chosen_value(item) for item in items})


def answer_pages(
    page: Page, pages: range, answers: dict[str, int], *, by_clicking: bool = True
) -> None:
    """Answer each page in turn and press Next; the last page's Next leads to the review."""
    for number in pages:
        expect(page).to_have_url(re.compile(rf"/page/{number}/$"))
        (answer_by_clicking if by_clicking else answer_quickly)(page, answers)
        page.get_by_role("button", name=re.compile(r"^Next")).click()


def assert_still_selected(page: Page, answers: dict[str, int]) -> None:
    for fieldset, item in statements(page):
        expect(fieldset.locator(f"input[value='{answers[item.code]}']")).to_be_checked()


def answered_draft() -> tuple[str, dict[str, int]]:
    """An anonymous draft with every page saved through the services, for tests about the last
    step: returns its private resume token and the answers by item code."""
    instrument = instrument_queries.published_instrument()
    profile = services.start_profile(
        instrument=instrument, context_mode="both", research_opt_in=False, start_nonce=uuid.uuid4()
    )
    answers: dict[str, int] = {}
    for number in range(1, 8):
        items = instrument_queries.page_items(instrument.pk, number, "both")
        values = {item.pk: chosen_value(item) for item in items}
        submission = services.PageSubmission(
            item_ids=tuple(values),
            shown={},
            posted=values,
            moving_on=True,
            render_id=f"seed-{number}",
            elapsed_ms=90_000,
        )
        services.save_page(profile=profile, page=number, submission=submission)
        answers.update({item.code: chosen_value(item) for item in items})
    return profile_queries.resume_token(profile), answers


def submitted_profile(user, value: int) -> Profile:
    """A profile scored through the service, every statement answered `value` (keep it < 6)."""
    profile = ProfileFactory(user=user)
    answer_all(profile, value)
    services.submit_profile(profile=profile)
    return profile


def public_id_of(page: Page) -> str:
    return re.search(r"/(?:a|p)/([0-9a-f-]{36})/", page.url).group(1)


def sign_in(page: Page, username: str, password: str, next_url: str = "") -> None:
    page.goto(f"/accounts/login/?next={next_url}" if next_url else "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label(re.compile(r"\bPassword\b")).fill(password)
    page.locator("main").get_by_role("button", name=re.compile("sign in|log in", re.I)).click()


# --------------------------------------------------------------------------- accessibility
def accessibility_problems(
    page: Page, where: str, impacts: frozenset[str] = BLOCKING_IMPACTS
) -> list[str]:
    """axe-core findings (WCAG 2.2 AA tags) of these impacts (serious and critical unless told,
    ALL_IMPACTS for every one) and sideways scrolling at 320px."""
    page.wait_for_load_state("load")  # stylesheets applied: a click's new page may still load them
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    problems = [
        f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}\n"
        + "\n".join(
            f"    {node['target']} {node['html'][:160]}\n      {node['failureSummary']}"
            for node in violation["nodes"]
        )
        for violation in results.response["violations"]
        if violation["impact"] in impacts
    ]
    return problems + reflow_problems(page, where)


def reflow_problems(page: Page, where: str) -> list[str]:
    """WCAG 1.4.10: at 320 CSS pixels wide nothing may need sideways scrolling."""
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    width, widest = page.evaluate(
        """limit => [
          document.documentElement.scrollWidth,
          [...document.querySelectorAll("body *")]
            .filter(el => el.getBoundingClientRect().right > limit
                          && ![...el.children].some(c => c.getBoundingClientRect().right > limit))
            .slice(0, 5)
            .map(el => el.outerHTML.slice(0, 120)),
        ]""",
        NARROW["width"],
    )
    page.set_viewport_size(size)
    if width <= NARROW["width"]:
        return []
    return [f"{where}: scrolls sideways at 320px (scrollWidth {width}); widest: {widest}"]


def statement_markup_problems(page: Page, where: str) -> list[str]:
    """Every statement is a fieldset with a non-empty legend holding exactly its seven answers
    and one "Skip" (value ""), and every radio has a <label for> with text."""
    return page.evaluate(
        """where => {
          const problems = [];
          const radios = [...document.querySelectorAll("main form input[type=radio]")];
          const groups = Map.groupBy(radios, radio => radio.name);
          if (!groups.size) problems.push(`${where}: no statements`);
          for (const [name, group] of groups) {
            const fieldset = group[0].closest("fieldset");
            const legend = fieldset && fieldset.querySelector(":scope > legend");
            if (!legend || !legend.textContent.trim())
              problems.push(`${where}: ${name} is not in a fieldset with a legend`);
            else if (fieldset.querySelectorAll("input[type=radio]").length !== group.length)
              problems.push(`${where}: the fieldset of ${name} holds other radios too`);
            const answers = group.filter(radio => radio.value !== "");
            if (answers.length !== 7 || group.length !== 8)
              problems.push(`${where}: ${name} has ${answers.length} answers and `
                            + `${group.length - answers.length} Skip, not 7 and 1`);
            for (const radio of group) {
              const label = radio.id && document.querySelector(`label[for="${radio.id}"]`);
              if (!label || !label.textContent.trim())
                problems.push(`${where}: ${name} answer ${radio.value} has no label text`);
            }
          }
          return problems;
        }""",
        where,
    )
