"""Every URL of the project against owner, other person, anonymous visitor and plain staff.

The test walks the URL configuration, so a new URL pattern without an entry in COVERAGE
fails here until someone decides who may open it.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from profiles import services
from tests.factories import ProfileFactory, UserFactory, answer_all

pytestmark = pytest.mark.django_db

PUBLIC, TOKEN, SIGNED_IN, DRAFT, SUBMITTED, PAIR = (
    "public", "token", "signed_in", "draft", "submitted", "pair",
)  # fmt: skip
COVERAGE = {
    "home": PUBLIC,
    "healthz": PUBLIC,
    "support": PUBLIC,
    "signup": PUBLIC,
    "signup_done": PUBLIC,
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_complete": PUBLIC,
    "profiles:start": PUBLIC,
    "activate": TOKEN,
    "password_reset_confirm": TOKEN,
    "profiles:resume_link": TOKEN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "profiles:mine": SIGNED_IN,
    "profiles:account": SIGNED_IN,
    "profiles:account_export": SIGNED_IN,
    "profiles:account_delete": SIGNED_IN,
    "profiles:consent_withdraw": SIGNED_IN,
    "profiles:resume": DRAFT,
    "profiles:answer_page": DRAFT,
    "profiles:saved": DRAFT,
    "profiles:review": DRAFT,
    "profiles:attach": DRAFT,
    "profiles:email_link": DRAFT,
    "profiles:report": SUBMITTED,
    "profiles:profile_support": SUBMITTED,
    "profiles:profile_delete": SUBMITTED,
    "profiles:report_pdf": SUBMITTED,
    "profiles:profile_export": SUBMITTED,
    "profiles:compare": PAIR,
}
POST_ONLY = {"profiles:attach", "profiles:email_link", "logout"}


def url_names(patterns=None, namespace: str | None = None) -> set[str]:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin has its own permission tests
            inner = pattern.namespace or namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_pattern_is_covered_by_this_matrix():
    assert url_names() == set(COVERAGE)


@pytest.fixture
def world():
    owner, other = UserFactory(), UserFactory()
    draft = ProfileFactory(user=owner)
    submitted = [ProfileFactory(user=owner), ProfileFactory(user=owner)]
    for profile in submitted:
        answer_all(profile, value=5)
        services.submit_profile(profile=profile)
    return {"owner": owner, "other": other, "draft": draft, "submitted": submitted}


def target(name: str, world: dict) -> str:
    kind = COVERAGE[name]
    if kind == DRAFT:
        args = [world["draft"].public_id] + ([1] if name == "profiles:answer_page" else [])
        return reverse(name, args=args)
    if kind == SUBMITTED:
        return reverse(name, args=[world["submitted"][0].public_id])
    if kind == PAIR:
        a, b = world["submitted"]
        return f"{reverse(name)}?a={a.public_id}&b={b.public_id}"
    raise AssertionError(name)


def fetch(client: Client, name: str, url: str):
    return client.post(url) if name in POST_ONLY else client.get(url)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


OBJECT_URLS = sorted(n for n, k in COVERAGE.items() if k in (DRAFT, SUBMITTED, PAIR))


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_owner_reaches_their_own_object(world, name):
    response = fetch(client_for(world["owner"]), name, target(name, world))

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert reverse("login") not in response.url


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_another_person_gets_404(world, name):
    response = fetch(client_for(world["other"]), name, target(name, world))

    assert response.status_code == 404


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_staff_without_permission_gets_404(world, name):
    response = fetch(client_for(UserFactory(is_staff=True)), name, target(name, world))

    assert response.status_code == 404


@pytest.mark.parametrize("name", OBJECT_URLS)
def test_anonymous_visitor_gets_404_or_the_sign_in_page(world, name):
    response = fetch(Client(), name, target(name, world))

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, k in COVERAGE.items() if k == SIGNED_IN))
def test_signed_in_pages_send_anonymous_visitors_to_sign_in(name):
    response = Client().get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, k in COVERAGE.items() if k == SIGNED_IN))
def test_signed_in_pages_never_show_another_persons_profiles(world, name):
    response = client_for(world["other"]).get(reverse(name))

    body = response.content.decode(errors="replace")
    for profile in [world["draft"], *world["submitted"]]:
        assert str(profile.public_id) not in body


def test_profile_urls_use_unguessable_ids_not_sequential_ones(world):
    url = target("profiles:report", world)

    assert str(world["submitted"][0].public_id) in url
    assert f"/{world['submitted'][0].pk}/" not in url


@pytest.mark.parametrize(
    "url",
    [
        "/r/" + "A" * 43 + "/",
        "/accounts/activate/MQ/abc-123/",
        "/accounts/password/reset/MQ/set-password/",
    ],
)
def test_forged_tokens_open_nothing(world, url):
    response = Client().get(url, follow=True)

    body = response.content.decode()
    assert all(str(p.public_id) not in body for p in [world["draft"], *world["submitted"]])
    assert response.status_code in (200, 400, 404)


@pytest.mark.parametrize("name", sorted(COVERAGE))
def test_every_url_refuses_a_post_without_a_csrf_token(world, name):
    kind = COVERAGE[name]
    if kind in (DRAFT, SUBMITTED, PAIR):
        url = target(name, world)
    elif kind == TOKEN:
        url = {
            "activate": "/accounts/activate/MQ/abc-123/",
            "password_reset_confirm": "/accounts/password/reset/MQ/set-password/",
            "profiles:resume_link": "/r/" + "A" * 43 + "/",
        }[name]
    else:
        url = reverse(name)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["owner"])

    response = client.post(url, {"nav": "next"})

    assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(n for n, k in COVERAGE.items() if k != TOKEN))
def test_every_page_carries_the_privacy_and_security_headers(world, name):
    url = target(name, world) if COVERAGE[name] in (DRAFT, SUBMITTED, PAIR) else reverse(name)

    response = fetch(client_for(world["owner"]), name, url)

    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
