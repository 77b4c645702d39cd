"""No stored session holds a raw resume token: the database keeps only the token's hash.

The resume link's token opens a person's answers, so it must never sit in `django_session`
(where every database dump and backup would carry it). These tests walk the anonymous flow that
shows the link (start, a page saved with "save and continue later", the saved page), then decode
every stored session and look for the token.
"""

import json
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from profiles import queries
from tests.profiles.helpers import page_fields, page_url, start

pytestmark = pytest.mark.django_db

RESUME_LINK = re.compile(r"/r/([A-Za-z0-9_\-]{16,})/")
RESUME_FIELD = re.compile(r'name="resume" value="([^"]+)"')
PURGE = import_module("profiles.migrations.0006_purge_raw_resume_tokens_from_sessions")
PROFILE_ID = "5f0c1e4a-0000-4000-8000-000000000001"


def tokens_in(html: str) -> set[str]:
    return set(RESUME_LINK.findall(html)) | set(RESUME_FIELD.findall(html))


def stored_sessions() -> list[str]:
    """Every stored session, decoded, as JSON text (with its encoded form alongside)."""
    store = session_store()
    return [
        json.dumps(store.decode(row.session_data)) + row.session_data
        for row in Session.objects.all()
    ]


def walk_the_resume_flow(client: Client) -> tuple[object, set[str]]:
    """Start anonymously, save page 1 for later, open the saved page; the tokens shown."""
    profile = start(client)
    first = client.get(page_url(profile, 1)).content.decode()
    names, hidden = page_fields(client, profile, 1)
    saving = client.post(page_url(profile, 1), {**hidden, "nav": "save", **{n: "4" for n in names}})
    assert saving.status_code == 302, saving.content.decode()[:2000]
    saved = client.get(reverse("profiles:saved", args=[profile.public_id])).content.decode()
    return profile, tokens_in(first) | tokens_in(saved)


def test_no_stored_session_holds_a_raw_resume_token_after_start_save_and_saved_page():
    client = Client()

    profile, tokens = walk_the_resume_flow(client)

    assert tokens, "the flow showed no resume link, so this test would prove nothing"
    assert profile in {queries.profile_by_token(t) for t in tokens}  # a working link
    leaks = [t for t in tokens for text in stored_sessions() if t in text]
    assert leaks == []


def test_the_purge_migration_removes_raw_tokens_from_stored_sessions_and_keeps_the_rest():
    with_tokens = new_session(
        relcap_tokens={PROFILE_ID: "raw-token-abcdefghijk"}, relcap_profiles=[PROFILE_ID]
    )
    tokenless = new_session(relcap_profiles=[PROFILE_ID])
    Session.objects.create(
        session_key="x" * 32,
        session_data="not-signed:data",
        expire_date=with_tokens.get_expiry_date(),
    )

    PURGE.purge_raw_tokens(apps, None)

    texts = stored_sessions()
    assert not any("raw-token-abcdefghijk" in text or "relcap_tokens" in text for text in texts)
    assert session_store(with_tokens.session_key)["relcap_profiles"] == [PROFILE_ID]
    assert session_store(tokenless.session_key)["relcap_profiles"] == [PROFILE_ID]
    assert not Session.objects.filter(session_key="x" * 32).exists()  # unreadable: ended


def session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def new_session(**data):
    store = session_store()
    store.update(data)
    store.create()
    return store
