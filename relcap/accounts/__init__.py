"""Sign-up, sign-in throttling and account activation, on top of django.contrib.auth."""
