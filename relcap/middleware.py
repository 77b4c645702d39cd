"""Response headers that keep people's pages private, and early 400s for undecodable requests.

Rule for Cache-Control: every response Django itself produces gets `no-store`. Static files
never reach this middleware (WhiteNoise answers them earlier and keeps its long caching), so
the rule needs no list of private paths that could fall out of date as URLs are added. The
landing page is included too: it shows whether someone is signed in, and it is cheap to render.

The request checks (here and in relcap/charset.py) answer before any view or the CSRF check
reads the request, and their 400 page goes back out through every other middleware, so it
carries the usual headers.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader
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


def bad_request_page() -> HttpResponse:
    """Django's own 400 page (templates/400.html, rendered without the request as Django does),
    made without reading the request: Django's handler first re-runs the CSRF check, which
    parses the body again and fails a second time."""
    return HttpResponseBadRequest(loader.get_template("400.html").render())


class NullCharacterQueryMiddleware:
    """400 for a query string holding a NUL character (%00). No page needs one, and PostgreSQL
    cannot compare text that contains it, so an admin search or filter with one raised a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return bad_request_page()
        return self.get_response(request)


FORM_CONTENT_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class FormBodiesOnlyMiddleware:
    """Every relcap view that takes a body is an HTML form, so a POST, PUT or PATCH that sends
    its body any other way (JSON, plain text, no content type) gets the 400 page before any
    view or the CSRF check reads it: such a body parses to an empty form, which a view must
    never mistake for a person's choices (issue 13, line 2). The declared charset is checked
    before this, by relcap.charset.DeclaredCharsetMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in BODY_METHODS and not is_form(request):
            return bad_request_page()
        return self.get_response(request)


def is_form(request: HttpRequest) -> bool:
    return (request.content_type or "").lower() in FORM_CONTENT_TYPES
