"""Forms for signing in, creating an account and confirming a destructive step."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import AbstractBaseUser


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


class SignInForm(UsernameLengthMixin, AuthenticationForm):
    pass


class AdminSignInForm(UsernameLengthMixin, AdminAuthenticationForm):
    pass


class SignUpForm(UserCreationForm):
    """Username, e-mail, password twice and the 18+ confirmation (ASSESSMENT.md §7.1).

    A taken e-mail address is deliberately not an error here: the sign-up service answers it
    with an e-mail to that address, so the page never tells whether an address has an account.
    """

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send a link to confirm it. We never share it or send newsletters.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    is_adult = forms.BooleanField(
        label="I am 18 or older",
        error_messages={"required": "relcap is for adults: please confirm you are 18 or older."},
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")
        help_texts = {
            "username": (
                "You sign in with it. Choose one that does not identify you, such as a nickname. "
                "Letters, digits and @ . + - _ only."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password1"].help_text = "At least 12 characters. A few random words work well."
        self.fields["password2"].label = "Password again"

    def clean_email(self) -> str:
        return get_user_model().objects.normalize_email(self.cleaned_data["email"])


class ConfirmPasswordForm(forms.Form):
    """Asks for the current password before a step that cannot be undone."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right. Please try again.")
        return password
