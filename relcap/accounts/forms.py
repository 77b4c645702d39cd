"""Forms for creating an account, confirming a destructive step, and the reset e-mail."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


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
