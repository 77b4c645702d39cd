"""Single-use tokens for the account activation link, separate from password reset tokens."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    # A different salt, so a password reset link can never activate an account or vice versa.
    key_salt = "relcap.accounts.ActivationTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        # Including is_active makes the link stop working once it has been used.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


activation_token = ActivationTokenGenerator()
