"""`make run`'s administrator: made once in DEBUG, its password shown once, a way back if lost."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(**options) -> list[str]:
    out = StringIO()
    call_command("ensure_dev_admin", stdout=out, **options)
    return out.getvalue().splitlines()


def test_first_run_creates_admin_and_prints_its_password_once(settings):
    settings.DEBUG = True

    lines = run(port=8123)

    password = re.search(r"password '([^']+)'", lines[0])[1]
    assert lines[0].startswith("Admin: http://127.0.0.1:8123/admin/ user 'admin'")
    assert "changepassword admin" in lines[-1]
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_later_runs_print_no_password_but_how_to_set_a_new_one(settings):
    settings.DEBUG = True
    run()

    lines = run()

    assert "password '" not in "\n".join(lines)
    assert (
        lines[0]
        == "Admin: http://127.0.0.1:8000/admin/ (sign in with your existing administrator account)"
    )
    assert "changepassword admin" in lines[1]
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_nothing_is_created_when_debug_is_off(settings):
    settings.DEBUG = False

    lines = run()

    assert "createsuperuser" in lines[0]
    assert not get_user_model().objects.exists()
