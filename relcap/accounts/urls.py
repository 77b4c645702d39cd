"""Account URLs under /accounts/: Django's auth views with relcap's templates, plus sign-up.

The names are not namespaced because Django's auth views reverse "password_reset_confirm",
"password_change_done" and the like by their plain names.
"""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from relcap.accounts import views

urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path(
        "signup/done/",
        TemplateView.as_view(template_name="registration/signup_done.html"),
        name="signup_done",
    ),
    path("activate/<uidb64>/<token>/", views.activate, name="activate"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Own template names: the admin's password change pages keep Django's admin templates.
    path("password/change/", views.DelayedPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/change_password_done.html"
        ),
        name="password_change_done",
    ),
    path("password/reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
