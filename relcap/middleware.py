"""Request and response guards: form bodies only; private pages, no powerful browser features.

Rule for Cache-Control: every response Django itself produces gets `no-store`. Static files
never reach PrivacyHeadersMiddleware (WhiteNoise answers them earlier and keeps its long
caching), so the rule needs no list of private paths that could fall out of date as URLs are
added. The landing page is included too: it shows whether someone is signed in, and it is
cheap to render.
"""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip


class PrivacyHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Django decodes form fields as UTF-8 (it refuses others for url-encoded bodies itself); a
# multipart body that names another charset is refused here too (issue 13, line 14).
FORM_CHARSETS = frozenset({"utf-8"})


class FormBodiesOnlyMiddleware:
    """Every relcap view that takes a body is an HTML form, so a request that sends its body
    any other way (JSON, plain text, no content type, a charset other than UTF-8) is refused
    with the 400 page before any view or the CSRF check reads it: such a body parses to an
    empty form, which a view must never mistake for a person's choices (issue 13, line 2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS:
            problem = body_problem(request)
            if problem:
                request._mark_post_parse_error()  # the error page reads an empty form
                raise BadRequest(problem)
            read_form(request)
        return self.get_response(request)


def read_form(request: HttpRequest) -> None:
    """Parse the form here, once. When Django cannot (a body over the size limit, too many
    fields, a broken multipart), the request is left with an empty form before the error is
    raised: the 400 page's CSRF decorator reads the form again, and a second failure there
    turns the 400 into a raw 500 without our headers (issue 13, line 14)."""
    try:
        request.POST  # noqa: B018 - parsing is the point
    except Exception:
        request._mark_post_parse_error()
        raise


def body_problem(request: HttpRequest) -> str | None:
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_CONTENT_TYPES:
        return f"{request.method} with content type {content_type[:60]!r}, not a form"
    charset = request.content_params.get("charset")
    if charset is not None and charset.strip().lower() not in FORM_CHARSETS:
        return f"form body in charset {charset[:30]!r}, not UTF-8"
    return None
