"""Helpers for driving the questionnaire through Django's test client."""

import re
import uuid

from django.test import Client
from django.urls import reverse

from profiles.models import Profile

FIELD = re.compile(r'name="(q\d+)"')
STAMP = re.compile(r'name="rendered" value="([^"]+)"')
RESUME = re.compile(r'name="resume" value="([^"]+)"')


def start(client: Client, mode: str = "both") -> Profile:
    response = client.post(
        reverse("profiles:start"),
        {"context_mode": mode, "consent": "on", "adult": "on", "nonce": str(uuid.uuid4())},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Profile.objects.get(public_id=response.url.split("/")[2])


def page_url(profile: Profile, page: int) -> str:
    return reverse("profiles:answer_page", args=[profile.public_id, page])


def page_fields(client: Client, profile: Profile, page: int) -> tuple[list[str], dict[str, str]]:
    html = client.get(page_url(profile, page)).content.decode()
    hidden = {"rendered": STAMP.search(html).group(1)}
    if token := RESUME.search(html):
        hidden["resume"] = token.group(1)
    return sorted(set(FIELD.findall(html))), hidden


def answer_page(client: Client, profile: Profile, page: int, value: int | str | None = 5, **extra):
    """Post one page as a browser would: `value` chosen for every statement, "" for Skip on
    each, None for nothing chosen (a browser then sends none of the statements)."""
    names, hidden = page_fields(client, profile, page)
    data = {**hidden, "nav": "next", **{n: str(value) for n in names if value is not None}}
    data.update(extra)
    return client.post(page_url(profile, page), data)


def answer_all_pages(client: Client, profile: Profile, value: int = 5) -> None:
    for page in range(1, 8):
        response = answer_page(client, profile, page, value)
        assert response.status_code == 302, response.content.decode()[:2000]
