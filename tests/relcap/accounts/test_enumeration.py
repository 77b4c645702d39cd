"""Password reset and sign-up do the same work for a known and an unknown address (issue 13,
line 9): the same SQL statements and the same task, which looks the address up later."""

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from relcap.accounts import tasks as account_tasks
from relcap.jobs.engine import Dispatch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "quiet river morning lantern"
SAVEPOINT_NAME = re.compile(r'"s\d+_x\d+"')


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the e-mail throttles count in the cache
    yield
    cache.clear()


@pytest.fixture
def request_work(django_capture_on_commit_callbacks) -> Callable:
    """Run one request from a fresh visitor (empty throttle counts); return its SQL statements
    (without their values, savepoint names made alike), the tasks it queued for after its
    commit, and the response."""

    def run(send: Callable) -> tuple[list[str], list[Dispatch], object]:
        statements: list[str] = []

        def record(execute, sql, params, many, context):
            statements.append(SAVEPOINT_NAME.sub('"savepoint"', sql))
            return execute(sql, params, many, context)

        cache.clear()

        with django_capture_on_commit_callbacks() as queued, connection.execute_wrapper(record):
            response = send(Client())
        return statements, queued, response

    return run


def shape(queued: list[Dispatch]) -> list[tuple[str, list[str]]]:
    return [(d.task.name, sorted(d.kwargs)) for d in queued]


def reset(email: str) -> Callable:
    return lambda client: client.post(reverse("password_reset"), {"email": email})


def sign_up(username: str, email: str) -> Callable:
    data = {
        "username": username,
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "is_adult": "on",
    }
    return lambda client: client.post(reverse("signup"), data)


def test_password_reset_of_a_known_and_an_unknown_address_does_the_same_work(request_work):
    UserFactory(email="river@example.org")

    known_sql, known_tasks, known = request_work(reset("river@example.org"))
    unknown_sql, unknown_tasks, unknown = request_work(reset("nobody@example.org"))

    assert known_sql == unknown_sql
    assert (
        shape(known_tasks)
        == shape(unknown_tasks)
        == [(account_tasks.send_password_reset.name, ["domain", "email", "language", "use_https"])]
    )
    assert [d.kwargs["email"] for d in known_tasks + unknown_tasks] == [
        "river@example.org",
        "nobody@example.org",
    ]
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert not any("auth_user" in sql for sql in known_sql)
    assert mail.outbox == []  # nothing is sent inside the request


def test_password_reset_task_mails_a_known_address_and_nothing_else(request_work):
    UserFactory(email="river@example.org")
    _, known_tasks, _ = request_work(reset("river@example.org"))
    _, unknown_tasks, _ = request_work(reset("nobody@example.org"))

    for dispatch in known_tasks + unknown_tasks:
        dispatch()

    assert [m.to for m in mail.outbox] == [["river@example.org"]]


def test_sign_up_with_a_new_and_a_taken_address_does_the_same_work(request_work):
    UserFactory(username="existing", email="taken@example.org")

    new_sql, new_tasks, new = request_work(sign_up("quietfox", "new@example.org"))
    taken_sql, taken_tasks, taken = request_work(sign_up("otherfox", "taken@example.org"))

    assert new_sql == taken_sql
    assert (
        shape(new_tasks)
        == shape(taken_tasks)
        == [
            (
                account_tasks.finish_sign_up.name,
                ["base_url", "email", "keep", "language", "password_hash", "username"],
            )
        ]
    )
    assert (new.status_code, new.url) == (taken.status_code, taken.url)
    assert not any(sql.startswith('INSERT INTO "auth_user"') for sql in new_sql + taken_sql)
    assert mail.outbox == []


def test_sign_up_task_creates_the_new_account_and_tells_the_owner_of_a_taken_one(request_work):
    UserFactory(username="existing", email="taken@example.org")
    _, new_tasks, _ = request_work(sign_up("quietfox", "new@example.org"))
    _, taken_tasks, _ = request_work(sign_up("otherfox", "taken@example.org"))

    for dispatch in new_tasks + taken_tasks:
        dispatch()

    assert [m.to for m in mail.outbox] == [["new@example.org"], ["taken@example.org"]]
    assert "/accounts/activate/" in mail.outbox[0].body
    assert "You already have an account" in mail.outbox[1].body


def test_a_double_click_on_sign_up_makes_one_account_and_one_e_mail(request_work):
    _, first, _ = request_work(sign_up("quietfox", "new@example.org"))
    _, second, _ = request_work(sign_up("quietfox", "new@example.org"))

    for dispatch in first + second:
        dispatch()

    assert len(mail.outbox) == 1
    assert "/accounts/activate/" in mail.outbox[0].body
