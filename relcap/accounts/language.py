"""The interface language: the footer's switcher, and a signed-in person's remembered choice.

The switcher posts to `switch_language` (a thin wrapper around Django's `set_language`) without
a CSRF token, so that every page stays free of per-request values (the identical-response tests
of accounts compare whole pages) and sets no CSRF cookie for a visitor who never fills in a form.
Instead the view accepts only same-origin posts: by the browser's Fetch Metadata
(`Sec-Fetch-Site`), or where that is missing by the `Origin` header. A cross-site form can
therefore not change anyone's language. The form carries no `next` field either: it would echo
the page's address into the page (the URL ownership tests check that a page never shows an id
it did not show before), so `set_language` returns to the page by its Referer
(SECURE_REFERRER_POLICY is same-origin). A signed-in person's choice is stored on the account
(`LanguageChoice`) and applied at every sign-in by `apply_stored_language`, whose cookie
`SignInLanguageMiddleware` sets on the sign-in's response.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from relcap.accounts.models import LanguageChoice

COOKIE_TO_SET = "_relcap_language_cookie"


def supported(code: str | None) -> str | None:
    """`code` when it is one of settings.LANGUAGES, else None."""
    return code if code in dict(settings.LANGUAGES) else None


def same_origin(request: HttpRequest) -> bool:
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if not origin:
        return False
    return origin == f"{request.scheme}://{request.get_host()}" or origin in (
        settings.CSRF_TRUSTED_ORIGINS
    )


@csrf_exempt  # protected by same_origin instead: see the module's docstring
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    if not same_origin(request):
        raise PermissionDenied
    language = supported(request.POST.get("language"))
    if language is None:
        raise PermissionDenied
    response = set_language(request)
    if request.user.is_authenticated:
        LanguageChoice.objects.update_or_create(user=request.user, defaults={"language": language})
    return response


def language_of(user) -> str:
    """The language to write to `user` in when no request says it (an e-mail from a task): the
    one they chose, else the site's default. Select `language_choice` with the user to save
    the query."""
    try:
        stored = user.language_choice.language
    except LanguageChoice.DoesNotExist:
        stored = None
    return supported(stored) or settings.LANGUAGE_CODE


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def apply_stored_language(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """user_logged_in: the account's language becomes the interface's. An account without a
    stored choice keeps the language chosen before signing in, and remembers it from now on."""
    if request is None:
        return
    stored = supported(
        LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first()
    )
    if stored is None:
        chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen is not None:
            LanguageChoice.objects.create(user=user, language=chosen)
        return
    translation.activate(stored)
    request.LANGUAGE_CODE = stored
    setattr(request, COOKIE_TO_SET, stored)


class SignInLanguageMiddleware:
    """Puts the language cookie that apply_stored_language chose on the sign-in's response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, COOKIE_TO_SET, None)
        if language:
            set_language_cookie(response, language)
        return response
