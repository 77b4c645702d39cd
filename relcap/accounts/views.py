"""Sign-up, activation, and Django's own auth views with throttles and password delays."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.views import LoginView, PasswordChangeView, PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from relcap.accounts import delays, services, throttle
from relcap.accounts.forms import (
    DelayedAuthenticationForm,
    DelayedPasswordChangeForm,
    SignUpForm,
    is_paused,
)
from relcap.accounts.tokens import activation_token

SIGNUPS_PER_ADDRESS_PER_HOUR = 10
RESETS_PER_ADDRESS_PER_HOUR = 10
RESETS_PER_EMAIL_PER_HOUR = 3
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Sign-in and sign-up started from a profile carry an opaque, signed `keep` reference to it
# (made and checked by profiles/private_link.py, which attaches the profile when the person
# signs in); accounts only passes it along. Where activation should land, if not the account.
KEEP_FIELD = "keep"
KEEP_MAX_LENGTH = 200
LANDING_SESSION_KEY = "relcap_landing"


def carried_keep(request: HttpRequest) -> str:
    """The `keep` reference a sign-in or sign-up form carries along, or ""."""
    value = request.POST.get(KEEP_FIELD) or request.GET.get(KEEP_FIELD) or ""
    return value if len(value) <= KEEP_MAX_LENGTH else ""


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("profiles:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = throttle.client_ip(request)
        if not throttle.is_over_limit(scope="signup", key=ip, limit=SIGNUPS_PER_ADDRESS_PER_HOUR):
            services.request_sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                base_url=request.build_absolute_uri("/"),
                keep=carried_keep(request),
            )
        return redirect("signup_done")
    context = {"form": form, "keep": carried_keep(request)}
    return render(request, "registration/signup.html", context)


def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows a button and POST activates, so mail scanners that open links use up nothing."""
    user = user_from_uid(uidb64)
    if user is None or user.is_active or not activation_token.check_token(user, token):
        return render(request, "registration/activate_invalid.html", status=400)
    if request.method == "POST":
        services.activate_account(user=user)
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Welcome to relcap. Your account is ready."))
        # A sign-up from a report lands back on it (set while signing in, see KEEP_FIELD).
        return redirect(request.session.pop(LANDING_SESSION_KEY, None) or "profiles:account")
    return render(request, "registration/activate.html")


def user_from_uid(uidb64: str) -> AbstractUser | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return get_user_model().objects.filter(pk=pk).first()


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view, but the look-up and the mail happen in a task, so the request does
    the same work for any address; past the limits it sends nothing but answers the same."""

    def form_valid(self, form) -> HttpResponse:
        ip = throttle.client_ip(self.request)
        email = form.cleaned_data["email"].strip().lower()
        by_ip = throttle.is_over_limit(scope="reset-ip", key=ip, limit=RESETS_PER_ADDRESS_PER_HOUR)
        by_email = throttle.is_over_limit(
            scope="reset-email", key=email, limit=RESETS_PER_EMAIL_PER_HOUR
        )
        if not (by_ip or by_email):
            services.request_password_reset(
                email=form.cleaned_data["email"],
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
            )
        return HttpResponseRedirect(self.get_success_url())


class PausedStatusMixin:
    """A form refused because password checks are paused answers 429 Too Many Requests."""

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if is_paused(form):
            response.status_code = 429
        return response


class SignInView(PausedStatusMixin, LoginView):
    """Django's sign-in with per-account delays; a browser that signs in is remembered, so a
    stranger's guesses never hold it back (accounts/delays.py)."""

    authentication_form = DelayedAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        delays.remember_device(response, name=form.get_user().get_username())
        return response

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "keep": carried_keep(self.request)}


class DelayedPasswordChangeView(PausedStatusMixin, PasswordChangeView):
    form_class = DelayedPasswordChangeForm
    template_name = "registration/change_password.html"
