"""Logs keep no answers, scores, tokens or passwords: the Django filter and gunicorn's logger."""

import logging
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from gunicorn.config import Config
from gunicorn.glogging import SafeAtoms

from relcap.gunicorn_logging import RedactingLogger
from relcap.logfilter import RedactSensitive, redact


def filtered(message: str, *args) -> str:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)
    RedactSensitive().filter(record)
    return record.getMessage()


def test_redact_drops_query_strings():
    assert redact('"GET /p/x/?q1=7&q2=3 HTTP/1.1" 200') == '"GET /p/x/?[redacted] HTTP/1.1" 200'


def test_redact_replaces_resume_link_tokens():
    assert redact("GET /r/AbC-123_xyz/ 302") == "GET /r/[redacted]/ 302"


def test_redact_replaces_activation_and_reset_link_tokens():
    text = "/accounts/password/reset/MQ/abc-123/ and /accounts/activate/MQ/def-456/"

    assert redact(text) == "/accounts/password/reset/[redacted]/ and /accounts/activate/[redacted]/"


def test_redact_masks_sensitive_keys_in_any_notation():
    text = "password=hunter2 'score': 58, \"answers\": [4, 5], email: a@b.org, page=3"

    assert redact(text) == (
        "password=[redacted] 'score': [redacted], \"answers\": [redacted], "
        "email: [redacted], page=3"
    )


def test_filter_redacts_the_formatted_message_with_its_arguments():
    message = filtered("Not Found: %s", "/r/secret-token/?password=x")

    assert message == "Not Found: /r/[redacted]/?[redacted]"


def test_filter_redacts_tracebacks():
    try:
        raise ValueError("token=abc123")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, None)
        record.exc_info = __import__("sys").exc_info()

    RedactSensitive().filter(record)

    assert "abc123" not in record.exc_text
    assert "token=[redacted]" in record.exc_text


def test_every_log_handler_uses_the_redacting_filter():
    handlers = settings.LOGGING["handlers"]

    assert {name: h.get("filters") for name, h in handlers.items()} == {
        name: ["redact"] for name in handlers
    }
    assert settings.LOGGING["loggers"]["django"]["propagate"] is False


def test_gunicorn_access_log_hides_resume_tokens_queries_and_browsers():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/r/Secret-Token_1/?x=1",
        "PATH_INFO": "/r/Secret-Token_1/",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://relcap.example.org/r/Secret-Token_1/",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11)",
        "REMOTE_ADDR": "10.0.0.1",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("USER-AGENT", "Mozilla/5.0 (X11)")])

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))

    text = " ".join(str(v) for v in atoms.values())
    assert "Secret-Token_1" not in text
    assert "Mozilla" not in text
    assert "10.0.0.1" not in text
    assert atoms["U"] == "/r/[redacted]/"
    assert "q" not in atoms


def test_gunicorn_prints_a_dash_for_dropped_atoms():
    logger = RedactingLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/", "PATH_INFO": "/", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_USER_AGENT": "Mozilla/5.0"}  # fmt: skip
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(0))

    # gunicorn fills its access-log format with %-style lookups into SafeAtoms.
    line = "%(U)s %(a)s %({user-agent}i)s" % SafeAtoms(atoms)  # noqa: UP031

    assert line == "/ - -"
