"""A logging filter that keeps answers, tokens and passwords out of every log line.

It rewrites the formatted message: query strings are dropped, private link tokens in paths
(`/r/<token>/`, activation and password reset links) are replaced, and `key=value` or
`"key": value` pairs with a sensitive key are masked. Tracebacks are redacted the same way.
"""

import logging
import re

REDACTED = "[redacted]"
SENSITIVE_KEYS = (
    "password", "password1", "password2", "new_password1", "new_password2", "old_password",
    "token", "csrfmiddlewaretoken", "csrftoken", "sessionid", "secret", "email", "answer",
    "answers", "value", "score", "scores", "data",
)  # fmt: skip
KEYS = "|".join(SENSITIVE_KEYS)
PATTERNS = (
    # Query strings: everything from "?" to the next space or quote.
    (re.compile(r"\?[^\s\"']*"), "?" + REDACTED),
    # Private resume links and token links of the account pages.
    (re.compile(r"/r/[^/\s\"'?]+"), "/r/" + REDACTED),
    (
        re.compile(r"/accounts/(activate|password/reset)/[^/\s\"'?]+/[^/\s\"'?]+"),
        r"/accounts/\1/" + REDACTED,
    ),
    # key=value, key: value and 'key': value
    (
        re.compile(
            rf"(?i)([\"']?\b(?:{KEYS})\b[\"']?\s*[=:]\s*)(\[[^\]]*\]|\{{[^}}]*\}}|[^\s,&;]+)"
        ),
        r"\1" + REDACTED,
    ),
)


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSensitive(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call still gets logged, redacted
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
