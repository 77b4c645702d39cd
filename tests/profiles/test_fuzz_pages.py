"""Fuzz: thousands of tampered page POSTs from a seeded generator, the database diffed after
every one: bad input writes nothing and nothing answers 5xx (issue 13, "Done when").

Between the tampered requests, ordinary saves (a fresh render, a random partial form, a
random button) move the draft on, so stamps go stale and replays meet changed answers; each
of those must write exactly what its form changed. The figures are printed and recorded in
docs/reliability.md.
"""

import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.core.signals import got_request_exception
from django.db import connection
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from assessments import services as instrument_services
from profiles import services
from profiles.forms import RENDER_SALT
from profiles.models import Answer, PageTime, Profile, ResultSnapshot
from tests.factories import answer_all, published_instrument
from tests.profiles.helpers import FIELD, STAMP, page_url, start

pytestmark = pytest.mark.django_db

SEED = 20261213
TAMPERED = 2_000
CONTROL_EVERY = 16  # one ordinary save per this many tampered requests
FORM = "application/x-www-form-urlencoded"
VALUES = [str(v) for v in range(1, 8)]
BAD_VALUES = ["0", "8", "-1", "abc", "4.5", " 5", "5 ", "5\n", "٥", "５", "1e0", "0x5", "\x00"]
BAD_VALUES += ["5" * 300, "None", "null", "true", "[5]", "7.0", "+5", "05"]
NOT_FORMS = ["application/json", "text/plain", "application/xml", "", "text/html"]
NOT_FORMS += ["application/x-www-form-urlencoded2", "multipart/mixed; boundary=x", "image/png"]
CHARSETS = ["utf-16", "utf-16-le", "utf-32", "latin-1", "iso-8859-1", "cp1252", "rot13", "bogus"]
EXTRA_NAMES = ["score", "user", "submitted_at", "nav2", "q", "q0", "q-1", "Q1", "q1 ", "q１"]
EXTRA_NAMES += ["csrfmiddlewaretoken2", "rendered[]", "page", "public_id", "\x00", "q" + "9" * 40]


@dataclass
class Shot:
    """One request and what it may do."""

    kind: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    method: str = "POST"
    path: str = ""
    content_type: str = FORM
    body: bytes | None = None  # sent as is when given, instead of `pairs`
    client: Client | None = None
    headers: dict[str, str] = field(default_factory=dict)
    statuses: tuple[int, ...] = (400,)  # the answers a refusal may give


@dataclass
class Form:
    """A page as a tab rendered it: its statement names, stamp and the answers it showed."""

    page: int
    names: list[str]
    stamp: str
    shown: dict[str, int | None]


STATE_QUERIES = [  # raw SQL: the diff runs after every request, so it is kept cheap
    f"SELECT profile_id, item_version_id, value, answered_at FROM {Answer._meta.db_table}"
    " ORDER BY profile_id, item_version_id",
    f"SELECT profile_id, page, total_ms, visits, last_render FROM {PageTime._meta.db_table}"
    " ORDER BY profile_id, page",
    "SELECT id, updated_at, submitted_at, user_id, resume_token_hash, context_mode,"
    f" research_opt_in FROM {Profile._meta.db_table} ORDER BY id",
    f"SELECT id, profile_id, created_at FROM {ResultSnapshot._meta.db_table} ORDER BY id",
]


def database_state() -> tuple:
    """Every row a page POST could change: answers, page times, profiles and snapshots."""
    state = []
    with connection.cursor() as cursor:
        for sql in STATE_QUERIES:
            cursor.execute(sql)
            state.append(tuple(cursor.fetchall()))
    return tuple(state)


def answers_of(profile: Profile) -> dict[str, int | None]:
    rows = Answer.objects.filter(profile=profile).values_list("item_version_id", "value")
    return {f"q{item_id}": value for item_id, value in rows}


class Fuzzer:
    """Seeded generator of tampered page POSTs against one anonymous draft."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.browser.get(reverse("profiles:start"))
        self.token = self.browser.cookies["csrftoken"].value
        self.profile = start_checked(self.browser, self.token)
        self.stranger = start(Client())  # somebody else's draft
        self.submitted = self.submitted_profile()
        draft = instrument_services.create_draft_from(source=published_instrument(), version="9.9")
        self.foreign_items = [f"q{pk}" for pk in draft.items.values_list("pk", flat=True)[:20]]
        self.forms = {page: self.render(page) for page in range(1, 8)}
        self.accepted: list[tuple[Form, Shot]] = []  # the latest ordinary saves, for replays

    def submitted_profile(self) -> Profile:
        profile = start_checked(self.browser, self.token)
        answer_all(profile, 4)
        services.submit_profile(profile=profile)
        return profile

    def render(self, page: int) -> Form:
        html = self.browser.get(page_url(self.profile, page)).content.decode()
        names = sorted(set(FIELD.findall(html)))
        shown = {n: v for n, v in answers_of(self.profile).items() if n in names}
        return Form(page, names, STAMP.search(html).group(1), shown)

    def valid_pairs(self, form: Form) -> list[tuple[str, str]]:
        chosen = self.rng.sample(form.names, self.rng.randint(1, len(form.names)))
        answers = [(n, self.rng.choice([*VALUES, ""])) for n in chosen]
        nav = self.rng.choice(["next", "save", "back"])
        return [
            ("csrfmiddlewaretoken", self.token),
            ("rendered", form.stamp),
            *answers,
            ("nav", nav),
        ]

    # ------------------------------------------------------------------ tampered requests
    def tampered(self) -> Shot:
        form = self.forms[self.rng.randint(1, 7)]
        shot = self.rng.choice(MUTATIONS)(self, form, self.valid_pairs(form))
        shot.path = shot.path or page_url(self.profile, form.page)
        return shot

    def unknown_field(self, form: Form, pairs: list) -> Shot:
        name = self.rng.choice(EXTRA_NAMES)
        return Shot("unknown field", self.insert(pairs, (name, self.rng.choice(VALUES))))

    def duplicated_field(self, form: Form, pairs: list) -> Shot:
        name, value = self.rng.choice(pairs)
        again = self.rng.choice([value, *VALUES])
        # A second, different CSRF token is the one Django reads: that is a CSRF failure.
        return Shot("duplicated field", self.insert(pairs, (name, again)), statuses=(400, 403))

    def foreign_item(self, form: Form, pairs: list) -> Shot:
        other_pages = [n for f in self.forms.values() if f.page != form.page for n in f.names]
        name = self.rng.choice([*other_pages, *self.foreign_items, f"q{10**6 + len(pairs)}"])
        return Shot("foreign item id", self.insert(pairs, (name, self.rng.choice(VALUES))))

    def out_of_range(self, form: Form, pairs: list) -> Shot:
        name = self.rng.choice(form.names)
        kept = [p for p in pairs if p[0] != name]
        return Shot("out-of-range value", self.insert(kept, (name, self.rng.choice(BAD_VALUES))))

    def missing_fields(self, form: Form, pairs: list) -> Shot:
        if self.rng.random() < 0.5:
            return Shot("missing render stamp", [p for p in pairs if p[0] != "rendered"])
        kept = [p for p in pairs if not p[0].startswith("q") and p[0] != "nav"]
        return Shot("no statement and no button", kept)

    def bad_navigation(self, form: Form, pairs: list) -> Shot:
        nav = self.rng.choice(["", "submit", "NEXT", "next ", "review", "finish", "0"])
        return Shot("unknown navigation", [p for p in pairs if p[0] != "nav"] + [("nav", nav)])

    def bad_stamp(self, form: Form, pairs: list) -> Shot:
        other = self.forms[form.page % 7 + 1].stamp
        stranger = signing.dumps(
            [str(self.stranger.public_id), form.page, 1, "x", []], salt=RENDER_SALT
        )
        flipped = form.stamp[:-3] + ("AAA" if not form.stamp.endswith("AAA") else "BBB")
        old = signing.dumps([str(self.profile.public_id), form.page, 1], salt=RENDER_SALT)
        stamp = self.rng.choice([other, stranger, flipped, old, "", "x" * 500, form.stamp[:20]])
        kept = [p for p in pairs if p[0] != "rendered"]
        return Shot("stale or forged stamp", [*kept, ("rendered", stamp)])

    def wrong_content_type(self, form: Form, pairs: list) -> Shot:
        content_type = self.rng.choice(NOT_FORMS)
        body = self.rng.choice([json.dumps(dict(pairs)), urlencode(pairs), ""]).encode()
        method = self.rng.choice(["POST", "POST", "PUT", "PATCH"])
        headers = {"HTTP_X_CSRFTOKEN": self.token}
        return Shot("wrong content type", method=method, content_type=content_type, body=body,
                    headers=headers)  # fmt: skip

    def form_by_put(self, form: Form, pairs: list) -> Shot:
        method = self.rng.choice(["PUT", "PATCH", "DELETE"])
        headers = {"HTTP_X_CSRFTOKEN": self.token}
        return Shot("form sent with PUT/PATCH/DELETE", pairs, method=method, headers=headers,
                    statuses=(405,))  # fmt: skip

    def charset(self, form: Form, pairs: list) -> Shot:
        charset = self.rng.choice(CHARSETS)
        try:
            body = urlencode(pairs).encode(charset)
        except LookupError:
            body = urlencode(pairs).encode()
        if self.rng.random() < 0.5:
            return Shot("charset", content_type=f"{FORM}; charset={charset}", body=body)
        body = encode_multipart(BOUNDARY, self.multidict(pairs))
        return Shot("charset", content_type=f"{MULTIPART_CONTENT}; charset={charset}", body=body)

    def oversized(self, form: Form, pairs: list) -> Shot:
        if self.rng.random() < 0.4:
            many = [(f"x{k}", "1") for k in range(2600)]
            return Shot("oversized body: too many fields", [*pairs, *many])
        name = self.rng.choice(form.names)
        big = [p for p in pairs if p[0] != name] + [(name, "5" * (1024 * 1024 + 10))]
        content_type = self.rng.choice([FORM, MULTIPART_CONTENT])
        return Shot("oversized body: over 1 MB", big, content_type=content_type)

    def broken_multipart(self, form: Form, pairs: list) -> Shot:
        body = encode_multipart(BOUNDARY, self.multidict(pairs))
        cut = body[: self.rng.randint(0, len(body) - 1)]
        content_type = self.rng.choice([MULTIPART_CONTENT, "multipart/form-data", FORM])
        shot = Shot("broken multipart", content_type=content_type, body=b"--" + cut[::-1])
        shot.statuses = (400, 403)  # unreadable, or read as a form without its CSRF token
        return shot

    def missing_csrf(self, form: Form, pairs: list) -> Shot:
        kept = [p for p in pairs if p[0] != "csrfmiddlewaretoken"]
        stale = self.rng.choice([None, "stale", "x" * 64, self.token[::-1]])
        shot = Shot("missing or stale CSRF token", kept, statuses=(403,))
        if stale:
            shot.pairs.append(("csrfmiddlewaretoken", stale))
        return shot

    def other_profile(self, form: Form, pairs: list) -> Shot:
        target = self.rng.choice([self.stranger, self.submitted, None])
        if target is None:
            path = page_url(self.profile, self.rng.choice([0, 8, 99]))
            return Shot("page out of range", pairs, path=path, statuses=(404,))
        statuses = (404,) if target == self.stranger else (302,)
        return Shot("someone else's or a submitted draft", pairs, path=page_url(target, form.page),
                    statuses=statuses)  # fmt: skip

    def forged_resume(self, form: Form, pairs: list) -> Shot:
        fresh = Client(enforce_csrf_checks=True, raise_request_exception=False)
        fresh.cookies["csrftoken"] = self.token
        token = self.rng.choice(["not-the-token", "A" * 43, "", "x" * 200])
        return Shot("cookieless with a forged resume token", [*pairs, ("resume", token)],
                    client=fresh, statuses=(404,))  # fmt: skip

    def replay(self, form: Form, pairs: list) -> Shot:
        """The last ordinary save sent again (a double click), or an older one whose answers
        were changed since (a stale tab): the first writes nothing more, the second conflicts."""
        if not self.accepted:
            return self.unknown_field(form, pairs)
        stored = answers_of(self.profile)
        stale = [shot for old, shot in self.accepted[:-1] if clashes(old, shot, stored)]
        if stale and self.rng.random() < 0.5:
            old = self.rng.choice(stale)
            return Shot("replay of a stale form", list(old.pairs), path=old.path, statuses=(409,))
        last = self.accepted[-1][1]
        return Shot("replay of the last save", list(last.pairs), path=last.path, statuses=(302,))

    # ------------------------------------------------------------------ helpers
    def insert(self, pairs: list, extra: tuple[str, str]) -> list:
        at = self.rng.randint(0, len(pairs))
        return [*pairs[:at], extra, *pairs[at:]]

    @staticmethod
    def multidict(pairs: list) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return data

    # ------------------------------------------------------------------ ordinary saves
    def ordinary_save(self) -> None:
        """Render a page afresh and save a random partial form; it must write exactly that."""
        page = self.rng.randint(1, 7)
        form = self.forms[page] = self.render(page)
        shot = Shot("ordinary save", self.valid_pairs(form), path=page_url(self.profile, page))
        expected = expected_answers(answers_of(self.profile), form, shot.pairs)
        visits = page_visits(self.profile, page)

        response = send(self, shot)

        assert response.status_code == 302, response.content.decode()[:500]
        assert answers_of(self.profile) == expected
        assert page_visits(self.profile, page) == visits + 1
        self.accepted = [*self.accepted[-20:], (form, shot)]


def posted_answers(pairs: list) -> dict[str, int | None]:
    return {n: (int(v) if v else None) for n, v in pairs if n.startswith("q")}


def clashes(form: Form, shot: Shot, stored: dict[str, int | None]) -> bool:
    """Whether this earlier save, sent again now, changes an answer that moved elsewhere."""
    return any(
        (n not in form.shown or form.shown[n] != v) and stored.get(n) not in (form.shown.get(n), v)
        for n, v in posted_answers(shot.pairs).items()
    )


def expected_answers(stored: dict, form: Form, pairs: list) -> dict[str, int | None]:
    """What a save of this form must leave: its changes, and Next's skipped statements."""
    result = dict(stored)
    for name, value in posted_answers(pairs).items():
        if name not in form.shown or form.shown[name] != value:
            result[name] = value
    if dict(pairs)["nav"] == "next":
        result.update({n: None for n in form.names if n not in result})
    return result


def page_visits(profile: Profile, page: int) -> int:
    timing = PageTime.objects.filter(profile=profile, page=page).first()
    return timing.visits if timing else 0


MUTATIONS: list[Callable[[Fuzzer, Form, list], Shot]] = [
    getattr(Fuzzer, name)
    for name in (
        "unknown_field", "duplicated_field", "foreign_item", "out_of_range", "missing_fields",
        "bad_navigation", "bad_stamp", "wrong_content_type", "form_by_put", "charset",
        "oversized", "broken_multipart", "missing_csrf", "other_profile", "forged_resume",
        "replay",
    )
]  # fmt: skip


def start_checked(browser: Client, token: str) -> Profile:
    data = {"context_mode": "both", "consent": "on", "adult": "on", "nonce": str(uuid.uuid4())}
    response = browser.post(reverse("profiles:start"), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    return Profile.objects.get(public_id=response.url.split("/")[2])


def send(fuzzer: Fuzzer, shot: Shot):
    client = shot.client or fuzzer.browser
    if shot.body is None:
        if shot.content_type.startswith("multipart/"):
            body = encode_multipart(BOUNDARY, fuzzer.multidict(shot.pairs))
            shot.content_type = MULTIPART_CONTENT
        else:
            body = urlencode(shot.pairs).encode()
    else:
        body = shot.body
    return client.generic(
        shot.method, shot.path, body, content_type=shot.content_type, **shot.headers
    )


@dataclass
class Figures:
    kinds: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    writes: Counter = field(default_factory=Counter)  # by kind: requests that changed the data
    unexpected: Counter = field(default_factory=Counter)  # "kind: status" outside its statuses
    saves: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        server_errors = sum(n for code, n in self.statuses.items() if code >= 500)
        return (
            f"fuzz (seed {SEED}): {self.kinds.total()} tampered page POSTs of {len(self.kinds)}"
            f" kinds between {self.saves} ordinary saves, {self.seconds:.1f} s; writes from bad"
            f" input {self.writes.total()}, 5xx {server_errors}, unexpected statuses"
            f" {self.unexpected.total()}; statuses {dict(sorted(self.statuses.items()))}\n"
            + "; ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items()))
        )


def run(fuzzer: Fuzzer, figures: Figures) -> None:
    state = database_state()
    for number in range(TAMPERED):
        if number % CONTROL_EVERY == 0:
            fuzzer.ordinary_save()
            figures.saves += 1
            state = database_state()
        shot = fuzzer.tampered()
        status = send(fuzzer, shot).status_code
        after = database_state()
        figures.kinds[shot.kind] += 1
        figures.statuses[status] += 1
        figures.writes[shot.kind] += after != state
        figures.unexpected[f"{shot.kind}: {status}"] += status not in shot.statuses
        state = after


def test_tampered_page_posts_write_nothing_and_never_answer_5xx(capsys):
    fuzzer, figures = Fuzzer(random.Random(SEED)), Figures()
    exceptions: list[dict] = []
    got_request_exception.connect(record := lambda **kwargs: exceptions.append(kwargs))
    started = time.perf_counter()
    try:
        run(fuzzer, figures)
    finally:
        got_request_exception.disconnect(record)
    figures.seconds = time.perf_counter() - started

    with capsys.disabled():
        print("\n" + figures.summary())
    assert +figures.writes == Counter()
    assert [code for code in figures.statuses if code >= 500] == [] and exceptions == []
    assert +figures.unexpected == Counter()
    assert len(figures.kinds) >= len(MUTATIONS) + 3  # every kind ran (some mutations make 2)
