"""Requests are read as UTF-8 only: a body or query string in any other declared charset gets
a 400 page instead of a 500.

Browsers send forms as UTF-8 without naming a charset. Django takes a declared charset as the
request's encoding and decodes with it. Two things then failed:

- a form body declared as UTF-16 (or Latin-1, …) is refused by Django's form parser, and
  Django's 400 handler runs the CSRF check again, which parses it again and raises again:
  gunicorn answered with its raw 500 page, without our security headers;
- a charset naming a codec that is not a text encoding (rot13, base64) fails whenever the
  query string is decoded, which Django first does while constructing the request, before
  any middleware runs.

So the request classes below take a declared charset as the encoding only when it reads as
UTF-8 (`wsgi.py` and `asgi.py` serve with them), and `DeclaredCharsetMiddleware` answers any
other declared charset with the 400 page before a view or the CSRF check reads the request.
"""

import codecs
import logging
from collections.abc import Callable

import django
from django.core.handlers.asgi import ASGIHandler, ASGIRequest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_header_parameters

from relcap.middleware import bad_request_page

logger = logging.getLogger(__name__)


def reads_as_utf8(charset: str) -> bool:
    """Whether text in `charset` decodes unchanged as UTF-8: UTF-8 itself (utf8, UTF-8) or
    ASCII (us-ascii)."""
    try:
        return codecs.lookup(charset).name in {"utf-8", "ascii"}
    except LookupError:
        return False


class Utf8OnlyRequestMixin:
    """Django's content-type parsing, with only a UTF-8-compatible charset becoming the
    encoding (as "utf-8", the one spelling Django's form parser accepts)."""

    def _set_content_type_params(self, meta: dict) -> None:
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )
        if reads_as_utf8(self.content_params.get("charset", "")):
            self.encoding = "utf-8"


class Utf8OnlyWSGIRequest(Utf8OnlyRequestMixin, WSGIRequest):
    pass


class Utf8OnlyASGIRequest(Utf8OnlyRequestMixin, ASGIRequest):
    pass


class Utf8OnlyWSGIHandler(WSGIHandler):
    request_class = Utf8OnlyWSGIRequest


class Utf8OnlyASGIHandler(ASGIHandler):
    request_class = Utf8OnlyASGIRequest


def wsgi_application() -> Utf8OnlyWSGIHandler:
    """What django.core.wsgi.get_wsgi_application does, with the UTF-8-only request."""
    django.setup(set_prefix=False)
    return Utf8OnlyWSGIHandler()


def asgi_application() -> Utf8OnlyASGIHandler:
    django.setup(set_prefix=False)
    return Utf8OnlyASGIHandler()


class DeclaredCharsetMiddleware:
    """400 for a request whose Content-Type names a charset that does not read as UTF-8."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = (request.content_params or {}).get("charset")
        if charset is not None:
            if not reads_as_utf8(charset):
                logger.info("refused a request declared as charset %r", charset[:40])
                return bad_request_page()
            request.encoding = "utf-8"  # utf8 or us-ascii: Django's form parser wants "utf-8"
        return self.get_response(request)
