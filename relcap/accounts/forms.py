"""Forms for creating an account, signing in, confirming a step with the password, and the
reset e-mail.

Every form that checks a password goes through accounts/delays.py, so sign-in, password change
and account deletion share one count of failed checks per account name.
"""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm, AdminPasswordChangeForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreationForm,
)
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from relcap.accounts import delays

PAUSED = "paused"


def sign_in_paused(minutes: int) -> str:
    return ngettext(
        "There have been several unsuccessful tries to sign in with this username, so we are "
        "pausing sign-in with it for a short while to keep the account safe. Please try again "
        "in about %(minutes)d minute. If you have forgotten your password, you can reset it.",
        "There have been several unsuccessful tries to sign in with this username, so we are "
        "pausing sign-in with it for a short while to keep the account safe. Please try again "
        "in about %(minutes)d minutes. If you have forgotten your password, you can reset it.",
        minutes,
    ) % {"minutes": minutes}


def check_paused(minutes: int) -> str:
    return ngettext(
        "There have been several tries with a password that was not right, so we are pausing "
        "password checks for your account for a short while to keep it safe. Please try again "
        "in about %(minutes)d minute.",
        "There have been several tries with a password that was not right, so we are pausing "
        "password checks for your account for a short while to keep it safe. Please try again "
        "in about %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class UsernameLengthMixin:
    """Refuse a username longer than any account's before a password is checked.

    Django's sign-in form gives its username field a max_length without the validator, so
    any length reached `authenticate`, and django-axes then failed to record the attempt
    (its column holds 255 characters): a 500 on PostgreSQL. Such a name has no account, so
    it gets the usual "not right" answer and no password check.
    """

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username


class SignUpForm(UserCreationForm):
    """Username, e-mail, password twice and the 18+ confirmation (ASSESSMENT.md §7.1).

    A taken e-mail address is deliberately not an error here: the sign-up service answers it
    with an e-mail to that address, so the page never tells whether an address has an account.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm it. We never share it or send newsletters."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_adult = forms.BooleanField(
        label=_("I am 18 or older"),
        error_messages={
            "required": _("relcap is for adults: please confirm you are 18 or older."),
        },
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        help_texts = {
            "username": _(
                "You sign in with it. Choose one that does not identify you, such as a nickname. "
                "Letters, digits and @ . + - _ only."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password1"].help_text = _(
            "At least 12 characters. A few random words work well."
        )
        self.fields["password2"].label = _("Password again")

    def clean_email(self) -> str:
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])


class ConfirmPasswordForm(forms.Form):
    """Asks for the current password before a step that cannot be undone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        check_password_with_delay(
            self.user, password, wrong=_("That password is not right. Please try again.")
        )
        return password


def paused_error(message, retry_at: datetime) -> forms.ValidationError:
    """`message` is sign_in_paused or check_paused: the wording for the minutes to wait."""
    return forms.ValidationError(message(delays.minutes_until(retry_at)), code=PAUSED)


def is_paused(form: forms.Form) -> bool:
    """True when the form was refused because password checks are paused (answer 429)."""
    return any(e.code == PAUSED for errors in form.errors.as_data().values() for e in errors)


def check_password_with_delay(user: AbstractBaseUser, password: str, *, wrong: str) -> None:
    """Check the password of a signed-in person, counted with their sign-in failures."""
    name = user.get_username()
    retry_at = delays.begin_check(name=name)
    if retry_at is not None:
        raise paused_error(check_paused, retry_at)
    if not user.check_password(password):
        raise forms.ValidationError(wrong, code="password_incorrect")
    delays.forgive(name)


class DelayedSignInMixin:
    """For AuthenticationForm subclasses: wait out the account name's delay before checking.

    When django-axes has already locked this username and address pair, axes answers (its
    lockout page); the delay then neither counts nor speaks, so one message is shown at a time.
    """

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        if self.request is not None and AxesProxyHandler.is_locked(
            self.request, {"username": username}
        ):
            return super().clean()
        known = delays.device_is_known(self.request, name=username)
        retry_at = delays.begin_check(name=username, exempt=known)
        if retry_at is not None:
            raise paused_error(sign_in_paused, retry_at)
        try:
            return super().clean()
        finally:
            if self.user_cache is not None:  # the password was right
                delays.forgive(username)


class DelayedAuthenticationForm(UsernameLengthMixin, DelayedSignInMixin, AuthenticationForm):
    pass


class DelayedAdminAuthenticationForm(
    UsernameLengthMixin, DelayedSignInMixin, AdminAuthenticationForm
):
    pass


class DelayedPasswordChangeMixin:
    """For PasswordChangeForm subclasses: the old password is checked with the delays."""

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        check_password_with_delay(
            self.user, old_password, wrong=self.error_messages["password_incorrect"]
        )
        return old_password


class DelayedPasswordChangeForm(DelayedPasswordChangeMixin, PasswordChangeForm):
    pass


class DelayedAdminPasswordChangeForm(DelayedPasswordChangeMixin, AdminPasswordChangeForm):
    pass


class ResetMailForm(PasswordResetForm):
    """Django's reset form, except that a failed send raises: Django's own logs and carries
    on, and the task that sends it must see the error to try again."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()
